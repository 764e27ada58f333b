import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '$lib/data';
import { refusedBookings, requestOutcome, type BookingRequest } from './outcome';

const one: BookingRequest = {
	bookingIds: ['b1'],
	what: 'Neglect on Wednesday 9 December 2026',
	offline: false
};
const none = new Map<string, string>();

describe('what a booking request says as the server answers', () => {
	it('follows one request from requested to booked, waiting list, offer or refusal', () => {
		expect(requestOutcome(one, [{ id: 'b1', status: 'requested' }], none)).toBe(
			'Booking requested for Neglect on Wednesday 9 December 2026.'
		);
		expect(requestOutcome({ ...one, offline: true }, [], none)).toBe(
			'Booking requested for Neglect on Wednesday 9 December 2026. It will be confirmed when you are back online.'
		);
		expect(requestOutcome(one, [{ id: 'b1', status: 'confirmed' }], none)).toBe(
			'You are booked on Neglect on Wednesday 9 December 2026.'
		);
		expect(
			requestOutcome(one, [{ id: 'b1', status: 'waitlisted', waiting_position: 2 }], none)
		).toBe(
			'Neglect on Wednesday 9 December 2026 is full: you are number 2 on the waiting list. We will email you if a place comes up.'
		);
		expect(requestOutcome(one, [{ id: 'b1', status: 'offered' }], none)).toMatch(
			/is offered to you/
		);
		expect(requestOutcome(one, [], new Map([['b1', 'Booking has closed for this date']]))).toBe(
			'Your booking for Neglect on Wednesday 9 December 2026 was not accepted: Booking has closed for this date'
		);
	});

	it('sums up several at once', () => {
		const three = {
			bookingIds: ['a', 'b', 'c'],
			what: 'Wednesday 9 December 2026',
			offline: false
		};
		expect(requestOutcome(three, [], none)).toBe(
			'Bookings requested for all 3 webinars on Wednesday 9 December 2026.'
		);
		expect(
			requestOutcome(
				three,
				['a', 'b', 'c'].map((id) => ({ id, status: 'confirmed' as const })),
				none
			)
		).toBe('You are booked on all 3 webinars on Wednesday 9 December 2026.');
		expect(
			requestOutcome(
				three,
				[
					{ id: 'a', status: 'confirmed' },
					{ id: 'b', status: 'waitlisted' }
				],
				new Map([['c', 'Full']])
			)
		).toBe(
			'Wednesday 9 December 2026: booked on 1 of 3, 1 on the waiting list, 1 not accepted (see below).'
		);
	});

	it('reads refusals from the outbox: booking requests only, refused only', () => {
		const entry = (over: Partial<OutboxEntry>) =>
			({
				name: 'booking.request',
				state: 'rejected',
				args: { booking_id: 'b1' },
				lastError: 'Full',
				...over
			}) as OutboxEntry;
		expect(
			refusedBookings([
				entry({}),
				entry({ args: { booking_id: 'b2' }, state: 'pending' }),
				entry({ args: { booking_id: 'b3' }, name: 'booking.cancel' })
			])
		).toEqual(new Map([['b1', 'Full']]));
	});
});
