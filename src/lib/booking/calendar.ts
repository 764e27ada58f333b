import type { Booking, Course, Session } from '$lib/data';

/**
 * A calendar file (.ics) for a booked session. Times are written in UTC ("Z"), which every
 * calendar shows in its own zone, so a BST session stays right wherever it is opened.
 * The generator is loaded only when someone asks for a file.
 */
export async function calendarFile(course: Course, session: Session, booking: Booking) {
	const { default: ical } = await import('ical-generator');
	const calendar = ical({
		name: 'HSCP Training',
		prodId: { company: 'Hampshire Safeguarding Children Partnership', product: 'HSCP Training' }
	});
	const where = session.venue_name
		? `${session.venue_name}${session.venue_address ? `, ${session.venue_address}` : ''}`
		: 'Online';
	calendar.createEvent({
		id: `${booking.id}@hscp-training`,
		start: new Date(session.starts_at),
		end: new Date(session.ends_at),
		summary: course.title,
		location: where,
		description: [course.summary, booking.join_url ? `Join online: ${booking.join_url}` : '']
			.filter(Boolean)
			.join('\n\n'),
		url: booking.join_url ?? undefined
	});
	return calendar.toString();
}
