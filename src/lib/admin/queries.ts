import {
	liveView,
	type Agency,
	type Booking,
	type Course,
	type Profile,
	type Session,
	type TrainingDatabase
} from '$lib/data';
import { ROLE_LABELS, type StaffMember } from './staff';

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

/** Everyone holding a staff role, by name, each role with its agency where it has one. */
export async function staffMembers(database: TrainingDatabase): Promise<StaffMember[]> {
	const [holders, agencies] = await Promise.all([
		database.staffRoles.toArray(),
		database.agencies.toArray()
	]);
	const agencyName = new Map(agencies.map((a: Agency) => [a.id, a.name]));
	const profiles = await database.profiles.bulkGet(holders.map((h) => h.id));
	return holders
		.flatMap((h, i) => {
			const profile = profiles[i];
			if (!profile || h.roles.length === 0) return [];
			const roles = h.roles.map((r) => ({
				role: r.role,
				label:
					r.role === 'agency_lead'
						? `Agency lead, ${agencyName.get(r.agency_id ?? '') ?? 'an agency'}`
						: ROLE_LABELS[r.role]
			}));
			return [{ profile, roles }];
		})
		.sort((a, b) =>
			(a.profile.full_name ?? a.profile.email).localeCompare(
				b.profile.full_name ?? b.profile.email,
				'en-GB'
			)
		);
}

/** Everyone who holds the trainer role. */
export async function trainers(database: TrainingDatabase) {
	const ids = (await database.staffRoles.toArray())
		.filter((r) => r.roles.some((role) => role.role === 'trainer'))
		.map((r) => r.id);
	return (await database.profiles.bulkGet(ids)).filter((p) => p !== undefined);
}

/** The ids of the trainers assigned to a session. */
export async function assignedTrainers(database: TrainingDatabase, sessionId: string) {
	return (await database.sessionAssignments.where('session_id').equals(sessionId).toArray()).map(
		(a) => a.trainer_id
	);
}

/** Every course, by title. */
export async function coursesByTitle(database: TrainingDatabase) {
	return (await database.courses.toArray()).sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
}

/**
 * A course with its current outcomes in order and its sessions, soonest first; null when
 * there is no such course. `new` is a course still to be created.
 */
export async function courseDetails(database: TrainingDatabase, courseId: string) {
	if (courseId === 'new') return { course: undefined, outcomes: [], sessions: [] };
	const course = await database.courses.get(courseId);
	const outcomes = (await database.learningOutcomes.where('course_id').equals(courseId).toArray())
		.filter((o) => !o.retired_at)
		.sort((a, b) => a.position - b.position);
	const sessions = (await database.sessions.where('course_id').equals(courseId).toArray()).sort(
		(a, b) => a.starts_at.localeCompare(b.starts_at)
	);
	return course ? { course, outcomes, sessions } : null;
}

/** Agencies by id. */
export async function agenciesById(database: TrainingDatabase) {
	return new Map((await database.agencies.toArray()).map((a: Agency) => [a.id, a]));
}

// the live views the admin pages hold
export const upcomingSessionsView = liveView(upcomingSessions);
export const sessionBookingsView = liveView(sessionBookings);
export const staffMembersView = liveView(staffMembers);
export const trainersView = liveView(trainers);
export const assignedTrainersView = liveView(assignedTrainers);
export const coursesView = liveView(coursesByTitle);
export const courseDetailsView = liveView(courseDetails);
export const agenciesByIdView = liveView(agenciesById);
