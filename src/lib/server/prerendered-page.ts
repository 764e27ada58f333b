import { createHash } from 'node:crypto';
import { PurgeCSS } from 'purgecss';
import { CRITICAL_STYLES } from '$lib/ui/prerendered';

// What the build does to each prerendered page's HTML so that a first visit on a slow phone
// paints the page before anything else competes for it (BENCHMARKS.md, "First visit after
// prerendering"). Both change inline code the Content Security Policy names by hash (`kit.csp`,
// mode `hash`), so the hashes follow; a page whose policy does not name the code it changes is
// an error, and the build stops rather than ship a page the browser would refuse to style or
// start.

/** the stylesheets SvelteKit inlined into a page (`inlineStyleThreshold`), with no attributes */
const INLINED_STYLE = /<style>([\s\S]*?)<\/style>/g;
/** SvelteKit's start-up script: it loads the app and hydrates the page */
const START_UP = /<script>([\s\S]*?)<\/script>/g;
/** in the start-up script, the statement that loads the app and starts it */
const LOAD_AND_START = /Promise\.all\(\[[\s\S]*?kit\.start\([\s\S]*?\}\);\s*\}\);/;

const cspHash = (code: string) =>
	`'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

function swapCspHash(html: string, before: string, after: string, what: string): string {
	const old = cspHash(before);
	if (!html.includes(old)) {
		throw new Error(`The page's Content Security Policy does not name its ${what}`);
	}
	return html.replaceAll(old, cspHash(after));
}

/**
 * The inlined stylesheets keep only the rules the page's own HTML uses: the whole GOV.UK
 * stylesheet is 94 KB (12 KB gzip), and a phone spends longer parsing and matching it than
 * painting the page. They are marked `CRITICAL_STYLES`; after hydration the root layout enables
 * SvelteKit's own links to the whole files (`enableWholeStylesheets` in `$lib/ui`).
 */
export async function keepCriticalStyles(html: string): Promise<string> {
	const sheets = [...html.matchAll(INLINED_STYLE)].map((match) => match[1] ?? '');
	if (sheets.length === 0) return html;
	const purged = await new PurgeCSS().purge({
		content: [{ raw: html.replace(INLINED_STYLE, ''), extension: 'html' }],
		css: sheets.map((raw) => ({ raw }))
	});
	const critical = sheets.map((_, i) => purged[i]?.css ?? '');
	let index = 0;
	let page = html.replace(
		INLINED_STYLE,
		() => `<style ${CRITICAL_STYLES}>${critical[index++]}</style>`
	);
	sheets.forEach((sheet, i) => {
		page = swapCspHash(page, sheet, critical[i] ?? '', `inlined stylesheet ${i + 1}`);
	});
	return page;
}

/**
 * The app's scripts load after the page's first contentful paint instead of during it: the
 * page can be read (and its links followed) before they arrive, and on a phone their
 * evaluation would otherwise hold up that paint. A browser that cannot report paints starts
 * at once; a tab that does not paint (opened in the background) starts after 3 seconds.
 */
export function startAfterFirstPaint(html: string): string {
	const scripts = [...html.matchAll(START_UP)].filter((match) =>
		LOAD_AND_START.test(match[1] ?? '')
	);
	if (scripts.length !== 1) {
		throw new Error(`Expected one SvelteKit start-up script in the page, found ${scripts.length}`);
	}
	const [tag, script = ''] = scripts[0] ?? [];
	const deferred = script.replace(
		LOAD_AND_START,
		(loadAndStart) => `let started = false;
					const start = () => {
						if (started) return;
						started = true;
						${loadAndStart}
					};
					if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
						new PerformanceObserver((list, observer) => {
							if (list.getEntriesByName('first-contentful-paint').length === 0) return;
							observer.disconnect();
							setTimeout(start);
						}).observe({ type: 'paint', buffered: true });
						setTimeout(start, 3000);
					} else start();`
	);
	return swapCspHash(
		html.replace(tag ?? '', () => `<script>${deferred}</script>`),
		script,
		deferred,
		'start-up script'
	);
}

/** Everything the build does to a prerendered page, in order. */
export async function finishPrerenderedPage(html: string): Promise<string> {
	return startAfterFirstPaint(await keepCriticalStyles(html));
}
