import { createHash } from 'node:crypto';
import { PurgeCSS } from 'purgecss';

/** the stylesheets SvelteKit inlined into a page (`inlineStyleThreshold`), with no attributes */
const INLINED = /<style>([\s\S]*?)<\/style>/g;

/** how the Content Security Policy names an inline stylesheet (`kit.csp`, mode `hash`) */
const cspHash = (css: string) =>
	`'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/**
 * A prerendered page keeps, in its inlined stylesheets, only the rules its own HTML uses:
 * the whole GOV.UK stylesheet is 94 KB (12 KB gzip) and a first visit on a slow phone spends
 * longer parsing and matching it than painting the page (BENCHMARKS.md, "First visit after
 * prerendering"). The stylesheets are marked `data-critical`; after hydration the root layout
 * enables SvelteKit's own links to the whole files (`enableWholeStylesheets`), for the states
 * and pages that come next. The Content Security Policy's hashes follow the new text; a page
 * whose policy does not name its stylesheet is an error, so the build stops rather than ship
 * a page with no styles.
 */
export async function keepCriticalStyles(html: string): Promise<string> {
	const sheets = [...html.matchAll(INLINED)].map((match) => match[1] ?? '');
	if (sheets.length === 0) return html;
	const markup = html.replace(INLINED, '');
	const purged = await new PurgeCSS().purge({
		content: [{ raw: markup, extension: 'html' }],
		css: sheets.map((raw) => ({ raw }))
	});
	let index = 0;
	let page = html.replace(
		INLINED,
		() => `<style data-critical>${purged[index++]?.css ?? ''}</style>`
	);
	sheets.forEach((sheet, i) => {
		const before = cspHash(sheet);
		if (!page.includes(before)) {
			throw new Error(
				`The page's Content Security Policy does not name its inlined stylesheet ${i + 1}`
			);
		}
		page = page.replaceAll(before, cspHash(purged[i]?.css ?? ''));
	});
	return page;
}
