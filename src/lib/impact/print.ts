/**
 * The printed page's running header: the pack's title in the top margin of every page
 * (the page numbers and margins are in app.scss). A CSS string, so quotes, backslashes and
 * line breaks in the title are escaped.
 */
export function pageStyle(header: string) {
	const text = header.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ');
	return `@page { @top-left { content: "${text}"; } }`;
}

/** Adds the running header to the document's styles; returns what takes it away again. */
export function addPageStyle(header: string) {
	const sheet = new CSSStyleSheet();
	sheet.replaceSync(pageStyle(header));
	document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
	return () => {
		document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
	};
}
