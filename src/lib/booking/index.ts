export { default as SessionChoices } from './SessionChoices.svelte';
export { default as BookingStatus } from './BookingStatus.svelte';
export { default as BookingActions } from './BookingActions.svelte';
export {
	myTrainingView,
	myBookingsView,
	myBookingView,
	type BookedSession,
	type MyTraining
} from './queries';
export { default as CalendarEntry } from './CalendarEntry.svelte';
export { requestBooking, cancelBooking, respondToOffer } from './mutations';
export { type BookingRequest } from './outcome';
export { followedRequest } from './followed-request.svelte';
export { placesLeft, bookingIsOpen, bookingClosesLabel, overlaps, statusLabel } from './rules';
export { default as WebinarDayCard } from './WebinarDayCard.svelte';
