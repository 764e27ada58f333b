/**
 * Text as a standard PDF font can draw it. The standard fonts cover Western European
 * text; any other character is drawn as '?' rather than making the PDF fail.
 */
export function fontSafe(font: { encodeText(text: string): unknown }, text: string) {
	return [...text]
		.map((ch) => {
			try {
				font.encodeText(ch);
				return ch;
			} catch {
				return '?';
			}
		})
		.join('');
}
