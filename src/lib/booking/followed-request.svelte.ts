import { myOutboxView } from '$lib/account';
import type { Booking } from '$lib/data';
import { refusedBookings, requestOutcome, type BookingRequest } from './outcome';

/**
 * The bookings just asked for on a page, followed as the server answers: `message` says
 * what became of them (see requestOutcome), or null before any request. Call it while a
 * component initialises; `bookings` are the person's live bookings on the device.
 */
export function followedRequest(
	bookings: () => Pick<Booking, 'id' | 'status' | 'waiting_position'>[]
) {
	let request = $state<BookingRequest | null>(null);
	const outbox = myOutboxView();
	const message = $derived(
		request ? requestOutcome(request, bookings(), refusedBookings(outbox.current ?? [])) : null
	);
	return {
		get message() {
			return message;
		},
		follow(next: BookingRequest | null) {
			request = next;
		}
	};
}
