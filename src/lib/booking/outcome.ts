import type { Booking, OutboxEntry } from '$lib/data';

/** Bookings just asked for on this device: what to say about them as the server answers. */
export interface BookingRequest {
	bookingIds: string[];
	/** "Neglect: the basics on Wednesday 9 December 2026", or the day for several */
	what: string;
	/** made offline: the answer waits for a connection */
	offline: boolean;
}

/** The reason the server gave for each refused booking request, by booking id. */
export function refusedBookings(outbox: OutboxEntry[]) {
	return new Map(
		outbox
			.filter((e) => e.name === 'booking.request' && e.state === 'rejected')
			.map((e) => [String(e.args.booking_id), e.lastError ?? 'the server refused it'])
	);
}

/**
 * What happened to a request, in words that follow it: requested, then booked, on the
 * waiting list, offered a place, or not accepted and why. `bookings` are the person's live
 * bookings on the device; `refused` comes from refusedBookings.
 */
export function requestOutcome(
	request: BookingRequest,
	bookings: Pick<Booking, 'id' | 'status' | 'waiting_position'>[],
	refused: Map<string, string>
): string {
	const byId = new Map(bookings.map((b) => [b.id, b]));
	const states = request.bookingIds.map((id) =>
		refused.has(id) ? 'refused' : (byId.get(id)?.status ?? 'requested')
	);
	const waitingNote = request.offline ? ' It will be confirmed when you are back online.' : '';
	if (request.bookingIds.length === 1) {
		const id = request.bookingIds[0]!;
		const position = byId.get(id)?.waiting_position;
		switch (states[0]) {
			case 'refused':
				return `Your booking for ${request.what} was not accepted: ${refused.get(id)}`;
			case 'confirmed':
				return `You are booked on ${request.what}.`;
			case 'waitlisted':
				return `${request.what} is full: you are ${position ? `number ${position} ` : ''}on the waiting list. We will email you if a place comes up.`;
			case 'offered':
				return `A place on ${request.what} is offered to you: accept or decline it below.`;
			default:
				return `Booking requested for ${request.what}.${waitingNote}`;
		}
	}
	const n = request.bookingIds.length;
	const count = (state: string) => states.filter((s) => s === state).length;
	const booked = count('confirmed');
	const waiting = count('waitlisted') + count('offered');
	const notAccepted = count('refused');
	const pending = n - booked - waiting - notAccepted;
	if (pending === n)
		return `Bookings requested for all ${n} webinars on ${request.what}.${waitingNote}`;
	if (booked === n) return `You are booked on all ${n} webinars on ${request.what}.`;
	const parts = [
		booked ? `booked on ${booked} of ${n}` : '',
		waiting ? `${waiting} on the waiting list` : '',
		notAccepted ? `${notAccepted} not accepted (see below)` : '',
		pending ? `${pending} waiting to be confirmed` : ''
	].filter(Boolean);
	return `${request.what}: ${parts.join(', ')}.`;
}
