export { default as RegisterView } from './RegisterView.svelte';
export { default as WalkInForm } from './WalkInForm.svelte';
export { default as MessageBooked } from './MessageBooked.svelte';
export { default as CloseRegister } from './CloseRegister.svelte';
export { default as OfflineAvailability } from './OfflineAvailability.svelte';
export { default as CheckInDisplay } from './CheckInDisplay.svelte';
export { default as ImportReport } from './ImportReport.svelte';
export { default as SelfCheckIn } from './SelfCheckIn.svelte';
export {
	mySessionsView,
	registerLinesView,
	sessionRegisterView,
	type TrainerSession,
	type MySessions
} from './queries';
export { downloadRegisterNow, autoDownloads, refreshRegisters } from './download';
export { readCheckInParams, checkInIsOpen } from './checkin-code';
export { default as PrintRegister } from './PrintRegister.svelte';
