export { default as EvaluationForm } from './EvaluationForm.svelte';
export { default as FollowupForm } from './FollowupForm.svelte';
export { default as CertificateButton } from './CertificateButton.svelte';
export { default as SessionResults } from './SessionResults.svelte';
export {
	evaluationContext,
	evaluationContextView,
	paperDraftsView,
	paperFormsWaitingView,
	sessionOutcomes,
	sessionOutcomesView,
	type EvaluationContext
} from './queries';
export {
	earnsCertificate,
	saveCertificate,
	PARTNERSHIP,
	type EarnedCertificate
} from './certificate';
export { default as EvaluationActions } from './EvaluationActions.svelte';
export { default as CertificateCheck } from './CertificateCheck.svelte';
