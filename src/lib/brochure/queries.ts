import type { Course, LearningOutcome, Session, TrainingDatabase } from '$lib/data';
import { COURSE_FIELDS, SESSION_FIELDS } from './fields';
import { WEBINAR_WEDNESDAYS, webinarDaysOf, type WebinarDay } from './webinar-wednesdays';

export interface BrochureEntry {
	course: Course;
	upcoming: Session[];
}

function upcomingOnly(sessions: Session[], now: Date) {
	return sessions
		.filter((s) => s.status === 'scheduled' && new Date(s.ends_at) > now)
		.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
}

/** Courses by title, each with its upcoming sessions: the brochure from any copy of the rows. */
export function brochureOf(courses: Course[], sessions: Session[], now: Date): BrochureEntry[] {
	const byCourse = new Map<string, Session[]>();
	for (const s of sessions) byCourse.set(s.course_id, [...(byCourse.get(s.course_id) ?? []), s]);
	return courses
		.filter((c) => c.status === 'published')
		.sort((a, b) => a.title.localeCompare(b.title, 'en-GB'))
		.map((course) => ({ course, upcoming: upcomingOnly(byCourse.get(course.id) ?? [], now) }));
}

/** The same value in every field the public pages read; arrays are compared item by item. */
function sameFields<T>(a: T, b: T, fields: readonly (keyof T)[]) {
	return fields.every((field) => {
		const x = a[field];
		const y = b[field];
		if (Array.isArray(x) && Array.isArray(y)) {
			return x.length === y.length && x.every((item, i) => item === y[i]);
		}
		return x === y;
	});
}

function sameEntry(a: BrochureEntry, b: BrochureEntry) {
	return (
		sameFields(a.course, b.course, COURSE_FIELDS) &&
		a.upcoming.length === b.upcoming.length &&
		a.upcoming.every((s, i) => sameFields(s, b.upcoming[i]!, SESSION_FIELDS))
	);
}

/**
 * `next`, keeping each entry of `previous` that it holds unchanged in what the pages show
 * (the very same object), and `previous` itself when nothing changed. A keyed list then
 * leaves an unchanged card alone: the brochure does not redraw its fifty cards when the
 * device's copy replaces the build's with the same content.
 */
export function keepUnchanged(previous: BrochureEntry[], next: BrochureEntry[]) {
	const before = new Map(previous.map((entry) => [entry.course.id, entry]));
	let unchanged = previous.length === next.length;
	const kept = next.map((entry, i) => {
		const old = before.get(entry.course.id);
		const same = old !== undefined && sameEntry(old, entry) ? old : entry;
		if (same !== previous[i]) unchanged = false;
		return same;
	});
	return unchanged ? previous : kept;
}

/** The published brochure on this device: courses by title, each with its upcoming sessions. */
export async function brochure(
	database: TrainingDatabase,
	now = new Date()
): Promise<BrochureEntry[]> {
	const [courses, sessions] = await Promise.all([
		database.courses.where('status').equals('published').toArray(),
		database.sessions.toArray()
	]);
	return brochureOf(courses, sessions, now);
}

/** Current learning outcomes by course, for searching the brochure. */
export function outcomesOf(outcomes: LearningOutcome[]) {
	const byCourse = new Map<string, LearningOutcome[]>();
	for (const o of outcomes) {
		if (!o.retired_at) byCourse.set(o.course_id, [...(byCourse.get(o.course_id) ?? []), o]);
	}
	return byCourse;
}

/** Current learning outcomes by course on this device. */
export async function outcomesByCourse(database: TrainingDatabase) {
	return outcomesOf(await database.learningOutcomes.toArray());
}

export interface CoursePage {
	course: Course;
	outcomes: LearningOutcome[];
	upcoming: Session[];
}

/** A published course with its current outcomes in order and its upcoming sessions, or null. */
export function coursePageOf(
	course: Course | undefined,
	outcomes: LearningOutcome[],
	sessions: Session[],
	now: Date
): CoursePage | null {
	if (!course || course.status !== 'published') return null;
	return {
		course,
		outcomes: outcomes
			.filter((o) => o.course_id === course.id && !o.retired_at)
			.sort((a, b) => a.position - b.position),
		upcoming: upcomingOnly(
			sessions.filter((s) => s.course_id === course.id),
			now
		)
	};
}

/** A course on this device with its current learning outcomes and upcoming sessions, or null. */
export async function coursePage(
	database: TrainingDatabase,
	slug: string,
	now = new Date()
): Promise<CoursePage | null> {
	const course = await database.courses.where('slug').equals(slug).first();
	if (!course || course.status !== 'published') return null;
	const [outcomes, sessions] = await Promise.all([
		database.learningOutcomes.where('course_id').equals(course.id).toArray(),
		database.sessions.where('course_id').equals(course.id).toArray()
	]);
	return coursePageOf(course, outcomes, sessions, now);
}

/** The coming Webinar Wednesdays on this device. */
export async function webinarWednesdays(
	database: TrainingDatabase,
	now = new Date()
): Promise<WebinarDay[]> {
	const courses = (await database.courses.where('status').equals('published').toArray()).filter(
		(c) => c.series === WEBINAR_WEDNESDAYS
	);
	const sessions = await database.sessions
		.where('course_id')
		.anyOf(courses.map((c) => c.id))
		.toArray();
	return webinarDaysOf(courses, sessions, now);
}
