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

/** Lines of at most `max` points; a word longer than a line is broken between characters. */
export function wrapText(
	font: { widthOfTextAtSize(text: string, size: number): number },
	text: string,
	size: number,
	max: number
): string[] {
	const lines: string[] = [];
	let line = '';
	const fits = (t: string) => font.widthOfTextAtSize(t, size) <= max;
	for (const word of text.trim().split(/\s+/).filter(Boolean)) {
		const next = line ? `${line} ${word}` : word;
		if (fits(next)) {
			line = next;
			continue;
		}
		if (line) lines.push(line);
		line = '';
		let rest = word;
		while (!fits(rest)) {
			let cut = rest.length - 1;
			while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
			lines.push(rest.slice(0, cut));
			rest = rest.slice(cut);
		}
		line = rest;
	}
	if (line) lines.push(line);
	return lines;
}
