/**
 * The links that make the app installable: its web app manifest and the home-screen icon.
 * They are added once the app has started, not written in the page: a browser fetches them
 * (the manifest, then its icons) as the page first paints, where they only compete with it,
 * and installing needs the app's service worker, which needs its scripts anyway. Each link
 * is added once. The page's own icon is written in the page, as data (no request).
 */
export function addInstallLinks(
	hrefs: { manifest: string; touchIcon: string },
	doc: Document = document
): void {
	for (const [rel, href] of [
		['manifest', hrefs.manifest],
		['apple-touch-icon', hrefs.touchIcon]
	] as const) {
		if (doc.head.querySelector(`link[rel="${rel}"]`)) continue;
		const link = doc.createElement('link');
		link.rel = rel;
		link.href = href;
		doc.head.append(link);
	}
}
