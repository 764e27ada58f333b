import type { Course, Session } from '$lib/data';
import { ukDateKey } from './search';

export const WEBINAR_WEDNESDAYS = 'webinar-wednesdays';

export interface WebinarDay {
	/** yyyy-mm-dd in UK time */
	date: string;
	theme: string;
	webinars: { course: Course; session: Session }[];
}

/** The coming Webinar Wednesdays from any copy of the rows: one theme a day, in time order. */
export function webinarDaysOf(courses: Course[], sessions: Session[], now: Date): WebinarDay[] {
	const byId = new Map(
		courses
			.filter((c) => c.status === 'published' && c.series === WEBINAR_WEDNESDAYS)
			.map((c) => [c.id, c])
	);
	const coming = sessions
		.filter((s) => byId.has(s.course_id) && s.status === 'scheduled' && new Date(s.ends_at) > now)
		.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
	const days = new Map<string, WebinarDay>();
	for (const session of coming) {
		const course = byId.get(session.course_id)!;
		const date = ukDateKey(session.starts_at);
		const day = days.get(date) ?? { date, theme: course.themes[0] ?? course.title, webinars: [] };
		day.webinars.push({ course, session });
		days.set(date, day);
	}
	return [...days.values()];
}
