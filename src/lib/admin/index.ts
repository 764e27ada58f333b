export { default as WebinarWednesdayForm } from './WebinarWednesdayForm.svelte';
export { default as AttendeeTable } from './AttendeeTable.svelte';
export { default as CancelSession } from './CancelSession.svelte';
export { isAdmin } from './roles';
export {
	upcomingSessionsView,
	sessionBookingsView,
	coursesView,
	courseDetailsView,
	agenciesByIdView,
	type SessionOverview,
	type SessionBookings
} from './queries';
export { default as AdminOnly } from './AdminOnly.svelte';
export { default as CourseForm } from './CourseForm.svelte';
export { default as SessionForm } from './SessionForm.svelte';
export { default as TrainerAssignment } from './TrainerAssignment.svelte';
export { default as SessionSettings } from './SessionSettings.svelte';
export { default as EmailsPanel } from './EmailsPanel.svelte';
export { default as SessionMove } from './SessionMove.svelte';
export { default as StaffRolesPanel } from './StaffRolesPanel.svelte';
