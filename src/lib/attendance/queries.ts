import {
	db,
	liveView,
	type Course,
	type Register,
	type Session,
	type TrainingDatabase
} from '$lib/data';
import { signedInView } from '$lib/sync';
import { checkInIsOpen } from './checkin-code';
import { registerLines } from './register-state';

export interface TrainerSession {
	session: Session;
	course: Course;
	/** the register on this device, if it is */
	register: Register | undefined;
}

export interface MySessions {
	today: TrainerSession[];
	upcoming: TrainerSession[];
	past: TrainerSession[];
}

const DAY = 24 * 60 * 60 * 1000;

/** The sessions a trainer is assigned to: today's, coming, and the last 30 days'. */
export async function mySessions(
	database: TrainingDatabase,
	userId: string,
	now = Date.now()
): Promise<MySessions> {
	const assignments = await database.sessionAssignments
		.where('trainer_id')
		.equals(userId)
		.toArray();
	const sessions = (await database.sessions.bulkGet(assignments.map((a) => a.session_id))).filter(
		(s): s is Session => Boolean(s)
	);
	const courses = new Map(
		(await database.courses.bulkGet([...new Set(sessions.map((s) => s.course_id))]))
			.filter((c): c is Course => Boolean(c))
			.map((c) => [c.id, c])
	);
	const registers = new Map((await database.registers.toArray()).map((r) => [r.session_id, r]));
	const todayKey = londonDay(now);
	const result: MySessions = { today: [], upcoming: [], past: [] };
	for (const session of sessions.sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
		const course = courses.get(session.course_id);
		if (!course) continue;
		const entry = { session, course, register: registers.get(session.id) };
		const starts = Date.parse(session.starts_at);
		if (londonDay(starts) === todayKey) result.today.push(entry);
		else if (starts > now) result.upcoming.push(entry);
		else if (starts > now - 30 * DAY) result.past.push(entry);
	}
	result.past.reverse();
	return result;
}

function londonDay(time: number) {
	return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short' }).format(
		time
	);
}

/** Everything the register screen shows, read from the device. */
export async function registerView(database: TrainingDatabase, sessionId: string) {
	const session = await database.sessions.get(sessionId);
	const course = session ? await database.courses.get(session.course_id) : undefined;
	const register = await database.registers.get(sessionId);
	if (!register) return { session, course, register, lines: [] };
	const [walkIns, events] = await Promise.all([
		database.walkIns.where('session_id').equals(sessionId).toArray(),
		database.attendanceEvents.where('session_id').equals(sessionId).toArray()
	]);
	return { session, course, register, lines: registerLines(register, walkIns, events) };
}

/** A session, its course and its register as this device holds them. */
export async function sessionRegister(database: TrainingDatabase, sessionId: string) {
	const session = await database.sessions.get(sessionId);
	const course = session ? await database.courses.get(session.course_id) : undefined;
	return { session, course, register: await database.registers.get(sessionId) };
}

/** The register to print, and how many of its marks are still waiting to be sent. */
export async function printableRegister(database: TrainingDatabase, sessionId: string) {
	const [current, unsent] = await Promise.all([
		registerView(database, sessionId),
		database.outbox
			.filter(
				(e) =>
					e.name.startsWith('attendance.') &&
					(e.args as { session_id?: string }).session_id === sessionId &&
					e.state !== 'rejected'
			)
			.count()
	]);
	return { lines: current.lines, unsent };
}

/** The person's sessions open for check-in now, with their courses. */
export async function checkInChoices(database: TrainingDatabase, userId: string) {
	const bookings = await database.bookings.where('user_id').equals(userId).toArray();
	const live = bookings.filter((b) => !['cancelled', 'declined'].includes(b.status));
	const sessions = (await database.sessions.bulkGet(live.map((b) => b.session_id))).filter(
		(s): s is Session => Boolean(s) && checkInIsOpen(s!)
	);
	const courses = await database.courses.bulkGet(sessions.map((s) => s.course_id));
	return sessions.map((session, i) => ({ session, course: courses[i] as Course | undefined }));
}

/**
 * Where the person's check-in to a session stands on this device: held, waiting to be
 * sent, refused, or awaiting the trainer's confirmation. Null without a session.
 */
export async function checkInProgress(
	database: TrainingDatabase,
	userId: string,
	sessionId: string
) {
	if (!sessionId) return null;
	const [mine, entries] = await Promise.all([
		database.checkIns.get(sessionId),
		database.outbox
			.where('[entity+entityId]')
			.equals(['check_in', sessionId])
			.filter((e) => e.userId === userId)
			.toArray()
	]);
	const session = await database.sessions.get(sessionId);
	const course = session ? await database.courses.get(session.course_id) : undefined;
	const booking = await database.bookings
		.where('user_id')
		.equals(userId)
		.filter((b) => b.session_id === sessionId)
		.first();
	const pending = entries.find((e) => e.state === 'pending' || e.state === 'attention');
	const refused = entries.filter((e) => e.state === 'rejected').at(-1);
	return { mine, pending, refused, session, course, awaiting: !!booking?.checkin_awaiting };
}

/** Forgets the device's check-in to a session, before a typed code replaces it. */
export function forgetCheckIn(sessionId: string) {
	return db.checkIns.delete(sessionId);
}

// the live views the trainer's pages hold
export const mySessionsView = signedInView(mySessions);
export const registerLinesView = liveView(registerView);
export const sessionRegisterView = liveView(sessionRegister);
export const printableRegisterView = liveView(printableRegister);
export const checkInChoicesView = signedInView(checkInChoices);
export const checkInProgressView = signedInView(checkInProgress);
