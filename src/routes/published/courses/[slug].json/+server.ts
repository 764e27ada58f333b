import { error, json } from '@sveltejs/kit';
import { publishedCourse, readPublished } from '$lib/server/published';
import type { EntryGenerator, RequestHandler } from './$types';

// Written into the static build: one course's part of the published brochure.
export const prerender = true;

export const entries: EntryGenerator = async () =>
	(await readPublished()).courses.map((c) => ({ slug: c.slug }));

export const GET: RequestHandler = async ({ params }) => {
	const course = publishedCourse(await readPublished(), params.slug);
	if (!course) error(404, `No published course is called ${params.slug}`);
	return json(course);
};
