import type { Course, Session, TrainingDatabase } from '$lib/data';
import { ukDateKey } from './search';

export const WEBINAR_WEDNESDAYS = 'webinar-wednesdays';

export interface WebinarDay {
	/** yyyy-mm-dd in UK time */
	date: string;
	theme: string;
	webinars: { course: Course; session: Session }[];
}

/** The coming Webinar Wednesdays: one theme a day, its webinars in time order. */
export async function webinarWednesdays(
	database: TrainingDatabase,
	now = new Date()
): Promise<WebinarDay[]> {
	const courses = (await database.courses.where('status').equals('published').toArray()).filter(
		(c) => c.series === WEBINAR_WEDNESDAYS
	);
	const byId = new Map(courses.map((c) => [c.id, c]));
	const sessions = (
		await database.sessions
			.where('course_id')
			.anyOf([...byId.keys()])
			.toArray()
	)
		.filter((s) => s.status === 'scheduled' && new Date(s.ends_at) > now)
		.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
	const days = new Map<string, WebinarDay>();
	for (const session of sessions) {
		const course = byId.get(session.course_id)!;
		const date = ukDateKey(session.starts_at);
		const day = days.get(date) ?? { date, theme: course.themes[0] ?? course.title, webinars: [] };
		day.webinars.push({ course, session });
		days.set(date, day);
	}
	return [...days.values()];
}
