import type { Course, Register, Session, TrainingDatabase } from '$lib/data';
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
