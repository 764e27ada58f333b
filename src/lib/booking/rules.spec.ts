import { describe, expect, it } from 'vitest';
import type { Session } from '$lib/data';
import { bookingClosesLabel, bookingIsOpen, isLive, overlaps, placesLeft } from './rules';

const session = (over: Partial<Session> = {}): Session => ({
	id: 's',
	course_id: 'c',
	starts_at: '2026-12-02T09:30:00Z',
	ends_at: '2026-12-02T10:30:00Z',
	venue_name: null,
	venue_address: null,
	capacity: 10,
	waitlist_mode: 'auto',
	booking_closes_at: '2026-12-02T08:30:00Z',
	status: 'scheduled',
	...over
});

describe('booking rules', () => {
	it('counts places left and never goes negative', () => {
		expect(placesLeft(session({ places_taken: 7 }))).toBe(3);
		expect(placesLeft(session({ places_taken: 12 }))).toBe(0);
		expect(placesLeft(session())).toBe(10);
	});

	it('says when booking closes, in UK time (summer time too)', () => {
		expect(bookingClosesLabel(session())).toBe('Book by Wednesday 2 December 2026, 8:30am');
		expect(bookingClosesLabel({ booking_closes_at: '2026-06-29T08:30:00Z' })).toBe(
			'Book by Monday 29 June 2026, 9:30am'
		);
	});

	it('closes booking at the closing time and for cancelled sessions', () => {
		expect(bookingIsOpen(session(), new Date('2026-12-02T08:29:59Z'))).toBe(true);
		expect(bookingIsOpen(session(), new Date('2026-12-02T08:30:00Z'))).toBe(false);
		expect(bookingIsOpen(session({ status: 'cancelled' }), new Date('2026-11-01T00:00:00Z'))).toBe(
			false
		);
	});

	it('flags overlapping sessions but not back-to-back ones', () => {
		const morning = session();
		expect(
			overlaps(
				morning,
				session({ starts_at: '2026-12-02T10:00:00Z', ends_at: '2026-12-02T11:00:00Z' })
			)
		).toBe(true);
		expect(
			overlaps(
				morning,
				session({ starts_at: '2026-12-02T10:30:00Z', ends_at: '2026-12-02T11:30:00Z' })
			)
		).toBe(false);
	});

	it('treats cancelled and declined bookings as no longer live', () => {
		expect(
			['requested', 'confirmed', 'waitlisted', 'offered'].every((status) =>
				isLive({ status } as never)
			)
		).toBe(true);
		expect(isLive({ status: 'cancelled' })).toBe(false);
		expect(isLive({ status: 'declined' })).toBe(false);
	});
});
