export { default as ErrorSummary } from './ErrorSummary.svelte';
export { default as ConnectionStatus } from './ConnectionStatus.svelte';
export { default as UpdatePrompt } from './UpdatePrompt.svelte';
export { default as TextField } from './TextField.svelte';
export { default as TextArea } from './TextArea.svelte';
export { default as CheckboxGroup } from './CheckboxGroup.svelte';
export { default as SuccessBanner } from './SuccessBanner.svelte';
export { default as FieldNotes, describedBy } from './FieldNotes.svelte';
export { default as SelectField } from './SelectField.svelte';
