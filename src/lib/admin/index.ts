export { default as WebinarWednesdayForm } from './WebinarWednesdayForm.svelte';
export { default as AttendeeTable } from './AttendeeTable.svelte';
export { default as CancelSession } from './CancelSession.svelte';
export { isAdmin } from './roles';
export {
	upcomingSessions,
	sessionBookings,
	type SessionOverview,
	type SessionBookings
} from './sessions';
export { default as AdminOnly } from './AdminOnly.svelte';
