import { loadPublished } from '$lib/brochure/published';
import type { PageLoad } from './$types';

// Prerendered for every course published at build time (found from the brochure's links);
// a course published since is rendered on the device from its own copy.
export const prerender = true;
export const ssr = true;

export const load: PageLoad = async ({ fetch, params }) => ({
	published: await loadPublished(fetch, `/published/courses/${params.slug}.json`)
});
