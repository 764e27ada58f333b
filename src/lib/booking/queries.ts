import type { Booking, Course, Session, TrainingDatabase } from '$lib/data';
import { signedInView } from '$lib/sync';
import { ukDateKey } from '$lib/brochure';
import { isLive } from './rules';

export interface BookedSession {
	booking: Booking;
	session: Session;
	course: Course;
}

export interface MyTraining {
	/** in progress, or later today (UK time) */
	today: BookedSession[];
	upcoming: BookedSession[];
	cancelled: BookedSession[];
	past: BookedSession[];
}

/** A person's bookings with their sessions and courses, grouped for My training. */
export async function myTraining(
	database: TrainingDatabase,
	userId: string,
	now = new Date()
): Promise<MyTraining> {
	const bookings = await database.bookings.where('user_id').equals(userId).toArray();
	const sessions = await database.sessions.bulkGet(bookings.map((b) => b.session_id));
	const courses = await database.courses.bulkGet(sessions.map((s) => s?.course_id ?? ''));
	const rows: BookedSession[] = [];
	bookings.forEach((booking, i) => {
		const session = sessions[i];
		const course = courses[i];
		if (session && course) rows.push({ booking, session, course });
	});
	rows.sort((a, b) => a.session.starts_at.localeCompare(b.session.starts_at));
	const ended = (r: BookedSession) => new Date(r.session.ends_at) <= now;
	const today = (r: BookedSession) =>
		new Date(r.session.starts_at) <= now ||
		ukDateKey(r.session.starts_at) === ukDateKey(now.toISOString());
	const live = rows.filter((r) => !ended(r) && isLive(r.booking));
	return {
		today: live.filter(today),
		upcoming: live.filter((r) => !today(r)),
		cancelled: rows.filter((r) => !ended(r) && !isLive(r.booking)),
		past: rows.filter((r) => ended(r) && r.booking.status === 'confirmed').reverse()
	};
}

/** The person's live bookings, each with its session, to show status and overlaps. */
export async function liveBookings(database: TrainingDatabase, userId: string) {
	const bookings = (await database.bookings.where('user_id').equals(userId).toArray()).filter(
		isLive
	);
	const sessions = await database.sessions.bulkGet(bookings.map((b) => b.session_id));
	return bookings.flatMap((booking, i) => (sessions[i] ? [{ booking, session: sessions[i] }] : []));
}

/** One of the person's bookings, with its session and course; null when it is not theirs. */
export async function bookedSession(
	database: TrainingDatabase,
	bookingId: string,
	userId: string
): Promise<BookedSession | null> {
	const booking = await database.bookings.get(bookingId);
	if (!booking || booking.user_id !== userId) return null;
	const session = await database.sessions.get(booking.session_id);
	const course = session && (await database.courses.get(session.course_id));
	return session && course ? { booking, session, course } : null;
}

// the live views of the signed-in person's bookings (null while nobody is signed in)
export const myTrainingView = signedInView(myTraining);
export const myBookingsView = signedInView(liveBookings);
export const myBookingView = signedInView((database, userId, bookingId: string) =>
	bookedSession(database, bookingId, userId)
);
