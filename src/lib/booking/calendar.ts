import type { Booking, Course, Session } from '$lib/data';

/** Who sends the entry (the partnership's training team) and whose calendar it is for. */
export interface CalendarPeople {
	organiser: { name: string; email: string };
	attendee: { name?: string | null; email: string };
}

/**
 * What a booking's calendar entry is now: one to add (or to replace the one the calendar
 * holds, after the session moved), one that takes it out (the place was released or
 * declined, or the session cancelled), or none (waiting, offered, not yet confirmed).
 */
export function calendarEntry(
	booking: Pick<Booking, 'status'>,
	session: Pick<Session, 'status'>
): 'add' | 'remove' | null {
	if (session.status === 'cancelled' || ['cancelled', 'declined'].includes(booking.status))
		return 'remove';
	return booking.status === 'confirmed' ? 'add' : null;
}

/** When the calendar reminds: in time to travel to a venue, or to open the joining link. */
export function alarmMinutesBefore(session: Pick<Session, 'venue_name'>) {
	return session.venue_name ? 60 : 15;
}

/**
 * A calendar file (.ics) for a booking, as an iTIP message (RFC 5546) so calendars treat
 * it as the same entry each time: UID is the booking, SEQUENCE the session's
 * calendar_sequence. METHOD:REQUEST adds or updates the entry, with an alarm; METHOD:CANCEL
 * (one sequence higher) takes it out. Times are written in UTC ("Z"), which every calendar
 * shows in its own zone, so a BST session stays right wherever it is opened. The generator
 * is loaded only when someone asks for a file.
 */
export async function calendarFile(
	course: Course,
	session: Session,
	booking: Booking,
	people: CalendarPeople
) {
	const entry = calendarEntry(booking, session);
	if (entry === null) throw new Error('A calendar entry needs a confirmed or cancelled place');
	const {
		default: ical,
		ICalAlarmType,
		ICalCalendarMethod,
		ICalEventStatus,
		ICalAttendeeStatus
	} = await import('ical-generator');
	const cancelled = entry === 'remove';
	const calendar = ical({
		name: 'HSCP Training',
		prodId: { company: 'Hampshire Safeguarding Children Partnership', product: 'HSCP Training' },
		method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST
	});
	const where = session.venue_name
		? `${session.venue_name}${session.venue_address ? `, ${session.venue_address}` : ''}`
		: 'Online';
	const sequence = (session.calendar_sequence ?? 0) + (cancelled ? 1 : 0);
	const event = calendar.createEvent({
		id: `${booking.id}@hscp-training`,
		sequence,
		stamp: new Date(),
		start: new Date(session.starts_at),
		end: new Date(session.ends_at),
		summary: cancelled ? `Cancelled: ${course.title}` : course.title,
		location: where,
		status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		description: [
			cancelled && session.cancelled_reason
				? `The partnership has cancelled this session: ${session.cancelled_reason}`
				: '',
			course.summary,
			!cancelled && booking.join_url ? `Join online: ${booking.join_url}` : ''
		]
			.filter(Boolean)
			.join('\n\n'),
		url: (!cancelled && booking.join_url) || undefined,
		organizer: { name: people.organiser.name, email: people.organiser.email },
		attendees: [
			{
				email: people.attendee.email,
				name: people.attendee.name ?? undefined,
				status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
				rsvp: false
			}
		]
	});
	if (!cancelled) {
		event.createAlarm({
			type: ICalAlarmType.display,
			triggerBefore: alarmMinutesBefore(session) * 60,
			description: course.title
		});
	}
	return calendar.toString();
}
