import type { Booking, Course, Profile, Session, TrainingDatabase } from '$lib/data';

export interface SessionOverview {
	session: Session;
	course: Course;
	confirmed: number;
	waiting: number;
}

/** Every session from today on, soonest first, with its course and numbers. */
export async function upcomingSessions(
	database: TrainingDatabase,
	now = new Date()
): Promise<SessionOverview[]> {
	const sessions = (
		await database.sessions.where('starts_at').aboveOrEqual(now.toISOString()).toArray()
	).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
	const courses = new Map((await database.courses.toArray()).map((c) => [c.id, c]));
	return sessions.flatMap((session) => {
		const course = courses.get(session.course_id);
		if (!course) return [];
		return [
			{
				session,
				course,
				confirmed: session.places_taken ?? 0,
				waiting: session.waiting ?? 0
			}
		];
	});
}

export interface Attendee {
	booking: Booking;
	profile: Profile | undefined;
}

export interface SessionBookings {
	session: Session;
	course: Course;
	confirmed: Attendee[];
	offered: Attendee[];
	waiting: Attendee[];
	cancelled: Attendee[];
}

/** One session's bookings for an admin: who has a place, who is offered one, the queue. */
export async function sessionBookings(
	database: TrainingDatabase,
	sessionId: string
): Promise<SessionBookings | null> {
	const session = await database.sessions.get(sessionId);
	const course = session && (await database.courses.get(session.course_id));
	if (!session || !course) return null;
	const bookings = await database.bookings.where('session_id').equals(sessionId).toArray();
	const profiles = await database.profiles.bulkGet(bookings.map((b) => b.user_id));
	const people = bookings.map((booking, i) => ({ booking, profile: profiles[i] }));
	const byArrival = (a: Attendee, b: Attendee) =>
		(a.booking.waitlisted_at ?? a.booking.created_at).localeCompare(
			b.booking.waitlisted_at ?? b.booking.created_at
		);
	const withStatus = (...statuses: Booking['status'][]) =>
		people.filter((p) => statuses.includes(p.booking.status)).sort(byArrival);
	return {
		session,
		course,
		confirmed: withStatus('confirmed'),
		offered: withStatus('offered'),
		waiting: withStatus('waitlisted'),
		cancelled: withStatus('cancelled', 'declined')
	};
}
