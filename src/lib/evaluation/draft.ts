import type { EvaluationDraft, LearningOutcome, Session } from '$lib/data';

export const MAX_TEXT = 5000;

/** The outcomes an evaluation of a session asks about: those current when it ran. */
export function outcomesAt(outcomes: LearningOutcome[], session: Pick<Session, 'starts_at'>) {
	return outcomes
		.filter((o) => !o.retired_at || o.retired_at > session.starts_at)
		.sort((a, b) => a.position - b.position);
}

export function emptyDraft(key: string, sessionId: string): EvaluationDraft {
	return {
		key,
		session_id: sessionId,
		step: 0,
		ratings: {},
		practice_change: '',
		comments: '',
		updated_at: new Date().toISOString()
	};
}

/**
 * The form's pages: one per learning outcome, then overall usefulness, then how it will
 * inform practice, then a check of the answers before sending.
 */
export type Step =
	| { kind: 'outcome'; outcome: LearningOutcome; index: number }
	| { kind: 'overall' }
	| { kind: 'practice' }
	| { kind: 'check' };

export function steps(outcomes: LearningOutcome[]): Step[] {
	return [
		...outcomes.map((outcome, index) => ({ kind: 'outcome' as const, outcome, index })),
		{ kind: 'overall' as const },
		{ kind: 'practice' as const },
		{ kind: 'check' as const }
	];
}

/** field id → message for what is missing on a page; empty when the page is complete. */
export function stepErrors(step: Step, draft: EvaluationDraft): Record<string, string> {
	const errors: Record<string, string> = {};
	if (step.kind === 'outcome') {
		const rating = draft.ratings[step.outcome.id] ?? {};
		if (!rating.before) errors['before-1'] = 'Choose how confident you felt before the training';
		if (!rating.after) errors['after-1'] = 'Choose how confident you feel now';
	}
	if (step.kind === 'overall' && !draft.overall) {
		errors['overall-1'] = 'Choose how useful the training was';
	}
	if (step.kind === 'practice') {
		if (!draft.practice_change.trim())
			errors['practice-change'] = 'Enter how this training will inform your practice';
		else if (draft.practice_change.trim().length > MAX_TEXT)
			errors['practice-change'] = `Your answer must be ${MAX_TEXT} characters or fewer`;
		if (draft.comments.trim().length > MAX_TEXT)
			errors['comments'] = `Your comments must be ${MAX_TEXT} characters or fewer`;
	}
	return errors;
}

/** The first page still to answer, or null when every page is complete. */
export function firstIncomplete(all: Step[], draft: EvaluationDraft) {
	const index = all.findIndex((s) => Object.keys(stepErrors(s, draft)).length > 0);
	return index === -1 ? null : index;
}

/** The arguments the server's submit functions take. */
export function submission(draft: EvaluationDraft, outcomes: LearningOutcome[], id: string) {
	return {
		id,
		session_id: draft.session_id,
		overall: draft.overall!,
		practice_change: draft.practice_change.trim(),
		comments: draft.comments.trim() || null,
		ratings: outcomes.map((o) => ({
			outcome_id: o.id,
			before: draft.ratings[o.id]!.before!,
			after: draft.ratings[o.id]!.after!
		}))
	};
}
