import { building } from '$app/environment';
import type { Handle } from '@sveltejs/kit';

/**
 * The prerendered public pages paint before their scripts arrive:
 * - no <link rel=modulepreload> in the head, so on a slow connection the scripts do not share
 *   the bandwidth the HTML and its inlined styles need for the first paint. The start-up
 *   script at the end of the page loads them, and the page hydrates when they have come
 *   (links work as plain links until then);
 * - the inlined stylesheets keep only the rules the page's HTML uses, and the app's scripts
 *   load after the first contentful paint (`$lib/server/prerendered-page`). Not the app shell
 *   (`spa.html`, no route): it renders nothing on the server, so it keeps the whole stylesheet
 *   and starts at once.
 * Measured with Lighthouse in `npm run bench` (BENCHMARKS.md).
 */
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, {
		preload: ({ type }) => type !== 'js',
		transformPageChunk:
			building && event.route.id !== null
				? async ({ html, done }) => {
						if (!done) throw new Error('a prerendered page is rendered whole, not streamed');
						const { finishPrerenderedPage } = await import('$lib/server/prerendered-page');
						return finishPrerenderedPage(html);
					}
				: undefined
	});
