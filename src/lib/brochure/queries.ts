import type { Course, LearningOutcome, Session, TrainingDatabase } from '$lib/data';

export interface BrochureEntry {
	course: Course;
	upcoming: Session[];
}

function upcomingOnly(sessions: Session[], now: Date) {
	return sessions
		.filter((s) => s.status === 'scheduled' && new Date(s.ends_at) > now)
		.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
}

/** The published brochure: courses by title, each with its upcoming sessions. */
export async function brochure(
	database: TrainingDatabase,
	now = new Date()
): Promise<BrochureEntry[]> {
	const [courses, sessions] = await Promise.all([
		database.courses.where('status').equals('published').toArray(),
		database.sessions.toArray()
	]);
	const byCourse = new Map<string, Session[]>();
	for (const s of sessions) byCourse.set(s.course_id, [...(byCourse.get(s.course_id) ?? []), s]);
	return courses
		.sort((a, b) => a.title.localeCompare(b.title, 'en-GB'))
		.map((course) => ({ course, upcoming: upcomingOnly(byCourse.get(course.id) ?? [], now) }));
}

/** Current learning outcomes by course, for searching the brochure. */
export async function outcomesByCourse(database: TrainingDatabase) {
	const byCourse = new Map<string, LearningOutcome[]>();
	for (const o of await database.learningOutcomes.toArray()) {
		if (!o.retired_at) byCourse.set(o.course_id, [...(byCourse.get(o.course_id) ?? []), o]);
	}
	return byCourse;
}

export interface CoursePage {
	course: Course;
	outcomes: LearningOutcome[];
	upcoming: Session[];
}

/** A course with its current learning outcomes and upcoming sessions, or null if unknown. */
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
	return {
		course,
		outcomes: outcomes.filter((o) => !o.retired_at).sort((a, b) => a.position - b.position),
		upcoming: upcomingOnly(sessions, now)
	};
}
