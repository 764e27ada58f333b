import { building } from '$app/environment';
import type { Course, LearningOutcome, Session } from '$lib/data';

/**
 * The published brochure as the build read it (docs/architecture.md, Layers): what the prerendered public
 * pages show, and hydrate with, until the device's own copy has arrived.
 */
export interface PublishedBrochure {
	/** when the build read it: "upcoming" is as of this moment, so hydration matches the HTML */
	takenAt: string;
	courses: Course[];
	outcomes: LearningOutcome[];
	sessions: Session[];
}

/**
 * Reads a published brochure file written by the build. In the browser a missing file (a
 * course published since the build, no connection) is null: the page shows the device's
 * copy. During the build it is an error, so a build never ships an empty brochure.
 *
 * The body is read from a clone: SvelteKit copies into the page's HTML every response a load
 * reads through `fetch`'s own body methods while prerendering, so that hydration needs no
 * request. Here that copy was a third of the brochure's HTML (7.5 KB gzip), sent before the
 * first paint; the browser fetches the file after the page has painted instead.
 */
export async function loadPublished(
	fetch: typeof globalThis.fetch,
	path: string
): Promise<PublishedBrochure | null> {
	try {
		const response = await fetch(path);
		if (!response.ok) throw new Error(`${path} answered ${response.status}`);
		return (await response.clone().json()) as PublishedBrochure;
	} catch (error) {
		if (building) throw error;
		return null;
	}
}
