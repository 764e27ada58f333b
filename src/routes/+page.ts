import { loadPublished } from '$lib/brochure/published';
import type { PageLoad } from './$types';

// Prerendered with the brochure as published at build time (docs/architecture.md, Layers): readable before
// any script runs; after hydration the page follows the device's copy.
export const prerender = true;
export const ssr = true;

export const load: PageLoad = async ({ fetch }) => ({
	published: await loadPublished(fetch, '/published/brochure.json')
});
