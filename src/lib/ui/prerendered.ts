/** the attribute the build puts on a prerendered page's inlined stylesheets (`$lib/server/prerendered-page`) */
export const CRITICAL_STYLES = 'data-critical';

/**
 * Whether this document is a page the build prerendered (docs/architecture.md, Layers) rather than the app
 * shell: the layout hydrates its HTML, so what the first render shows must match it.
 */
export function isPrerenderedDocument(doc: Document = document): boolean {
	return doc.querySelector(`style[${CRITICAL_STYLES}]`) !== null;
}

/**
 * A prerendered page inlines only the style rules its own HTML uses (`data-critical`, see
 * `$lib/server/prerendered-page`). After hydration this enables SvelteKit's links to the whole
 * stylesheets, which it wrote disabled because it had inlined them, for the states and pages
 * that come next. They follow the inlined rules in the head, so the cascade is the whole
 * files' own. The app shell inlines whole stylesheets: nothing to do there.
 */
export function enableWholeStylesheets(doc: Document = document): void {
	if (!isPrerenderedDocument(doc)) return;
	for (const link of doc.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"][disabled]')) {
		link.removeAttribute('media');
		link.removeAttribute('disabled');
	}
}
