import type { Booking, BookingAnswer } from '$lib/data';
import { defineMutation } from '$lib/sync';

/**
 * Asks for a place. The server decides confirmed or waitlisted; until then it is requested.
 * Answers to the course's questions at booking travel with the request.
 */
export const requestBooking = defineMutation<{
	booking_id: string;
	session_id: string;
	title: string;
	answers?: BookingAnswer[];
}>({
	name: 'booking.request',
	entity: 'booking',
	entityId: (args) => args.booking_id,
	applyLocally: (database, args, user, madeAt) => {
		const booking: Booking = {
			id: args.booking_id,
			session_id: args.session_id,
			user_id: user.id,
			status: 'requested',
			waitlisted_at: null,
			offer_expires_at: null,
			created_at: madeAt,
			cancelled_at: null,
			answers: args.answers?.length ? args.answers : null
		};
		return database.bookings.put(booking);
	},
	describe: (args) => `Book a place: ${args.title}`
});

/** Releases a place or leaves the waiting list. */
export const cancelBooking = defineMutation<{ booking_id: string; title: string }>({
	name: 'booking.cancel',
	entity: 'booking',
	entityId: (args) => args.booking_id,
	applyLocally: (database, args, _user, madeAt) =>
		database.bookings.update(args.booking_id, {
			status: 'cancelled',
			cancelled_at: madeAt,
			join_url: null
		}),
	describe: (args) => `Cancel: ${args.title}`
});

/** Accepts or declines a place offered from the waiting list. */
export const respondToOffer = defineMutation<{
	booking_id: string;
	accept: boolean;
	title: string;
}>({
	name: 'booking.respond_to_offer',
	entity: 'booking',
	entityId: (args) => args.booking_id,
	applyLocally: (database, args) =>
		database.bookings.update(args.booking_id, {
			status: args.accept ? 'confirmed' : 'declined',
			offer_expires_at: null
		}),
	describe: (args) => `${args.accept ? 'Accept' : 'Decline'} offered place: ${args.title}`
});
