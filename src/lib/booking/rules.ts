import { ukDate, ukTime } from '$lib/brochure/format';
import type { Booking, BookingStatus, Session } from '$lib/data';

/** Places still free, never below zero (the server's count may lag a booking just made). */
export function placesLeft(session: Session) {
	return Math.max(0, session.capacity - (session.places_taken ?? 0));
}

export function bookingIsOpen(session: Session, now = new Date()) {
	return session.status === 'scheduled' && new Date(session.booking_closes_at) > now;
}

/** "Book by Monday 30 November 2026, 9:30am": when booking a date closes, in UK time. */
export function bookingClosesLabel(session: Pick<Session, 'booking_closes_at'>) {
	return `Book by ${ukDate(session.booking_closes_at)}, ${ukTime(session.booking_closes_at)}`;
}

/** A booking that holds or waits for a place (not cancelled or declined). */
export function isLive(booking: Pick<Booking, 'status'>) {
	return !['cancelled', 'declined'].includes(booking.status);
}

/** Whether two sessions overlap in time (touching end to start does not count). */
export function overlaps(
	a: Pick<Session, 'starts_at' | 'ends_at'>,
	b: Pick<Session, 'starts_at' | 'ends_at'>
) {
	return new Date(a.starts_at) < new Date(b.ends_at) && new Date(b.starts_at) < new Date(a.ends_at);
}

export const statusLabel: Record<BookingStatus, string> = {
	requested: 'Requested – will confirm when online',
	confirmed: 'Booked',
	waitlisted: 'On the waiting list',
	offered: 'Place offered – accept or decline',
	cancelled: 'Cancelled',
	declined: 'Declined'
};
