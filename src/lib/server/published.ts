import { building } from '$app/environment';
import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$env/static/public';
import { COURSE_FIELDS, OUTCOME_FIELDS, SESSION_FIELDS } from '$lib/brochure/fields';
import type { PublishedBrochure } from '$lib/brochure/published';
import type { Course, LearningOutcome, Session } from '$lib/data';
import { httpTransport } from '$lib/sync/http-transport';

let read: Promise<PublishedBrochure> | undefined;

/**
 * The published brochure, read as anon through `sync_pull` like any visitor's device
 * (docs/architecture.md, Layers). A build reads it once for every public page; a dev server on each request.
 * Fails with the reason when the API cannot be reached: a build never ships without it.
 */
export function readPublished(): Promise<PublishedBrochure> {
	if (building && read) return read;
	read = pullPublished().catch((error: unknown) => {
		read = undefined;
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(
			`The public pages are built from the published brochure, read as anon from ` +
				`${PUBLIC_SUPABASE_URL || '(PUBLIC_SUPABASE_URL is not set)'}, and it could not be ` +
				`read: ${reason}. Start the local Supabase first (npm run local-supabase) or point ` +
				`PUBLIC_SUPABASE_URL at the project.`
		);
	});
	return read;
}

async function pullPublished(): Promise<PublishedBrochure> {
	const transport = httpTransport(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY);
	const rows = {
		course: new Map<string, Course>(),
		learning_outcome: new Map<string, LearningOutcome>(),
		session: new Map<string, Session>()
	};
	const takenAt = new Date();
	for (let cursor = '', more = true; more;) {
		const page = await transport.pull(cursor, 1000);
		for (const change of page.changes) {
			const table = rows[change.entity as keyof typeof rows] as Map<string, unknown> | undefined;
			if (!table) continue;
			if (change.row) table.set(change.id, change.row);
			else table.delete(change.id);
		}
		cursor = page.cursor;
		more = page.more;
	}
	const courses = [...rows.course.values()].filter((c) => c.status === 'published');
	const published = new Set(courses.map((c) => c.id));
	return {
		takenAt: takenAt.toISOString(),
		courses: courses.map((c) => pick(c, COURSE_FIELDS)),
		outcomes: [...rows.learning_outcome.values()]
			.filter((o) => published.has(o.course_id) && !o.retired_at)
			.map((o) => pick(o, OUTCOME_FIELDS)),
		// past sessions are never shown: the pages need only those still to come
		sessions: [...rows.session.values()]
			.filter((s) => published.has(s.course_id) && new Date(s.ends_at) > takenAt)
			.map((s) => pick(s, SESSION_FIELDS))
	};
}

function pick<T extends object, K extends keyof T>(row: T, keys: readonly K[]): T {
	return Object.fromEntries(keys.filter((k) => k in row).map((k) => [k, row[k]])) as T;
}

/**
 * The brochure page's part: every course and its upcoming sessions. The learning outcomes
 * (half the size) are left to the device's copy, which arrives moments after the page has
 * hydrated; until then a search matches titles, summaries and descriptions.
 */
export function publishedBrochure(all: PublishedBrochure): PublishedBrochure {
	return { ...all, outcomes: [] };
}

/** One course's part of the published brochure, or null if it is not published. */
export function publishedCourse(all: PublishedBrochure, slug: string): PublishedBrochure | null {
	const course = all.courses.find((c) => c.slug === slug);
	if (!course) return null;
	return {
		takenAt: all.takenAt,
		courses: [course],
		outcomes: all.outcomes.filter((o) => o.course_id === course.id),
		sessions: all.sessions.filter((s) => s.course_id === course.id)
	};
}

/** A series' part of the published brochure (Webinar Wednesdays): its courses and sessions. */
export function publishedSeries(all: PublishedBrochure, series: string): PublishedBrochure {
	const courses = all.courses.filter((c) => c.series === series);
	const ids = new Set(courses.map((c) => c.id));
	return {
		takenAt: all.takenAt,
		courses,
		outcomes: [],
		sessions: all.sessions.filter((s) => ids.has(s.course_id))
	};
}
