import type { Handle } from '@sveltejs/kit';

/**
 * The prerendered public pages paint before their scripts arrive: no <link rel=modulepreload>
 * in the head, so on a slow connection the scripts do not share the bandwidth the HTML and
 * its inlined styles need for the first paint. The start-up script at the end of the page
 * loads them, and the page hydrates when they have come (links work as plain links until
 * then). Measured with Lighthouse in `npm run bench` (BENCHMARKS.md).
 */
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, { preload: ({ type }) => type !== 'js' });
