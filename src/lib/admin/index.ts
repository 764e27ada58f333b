export { default as WebinarWednesdayForm } from './WebinarWednesdayForm.svelte';
export { isAdmin } from './roles';
