import { Marked, type Tokens } from 'marked';
import definitions from '../../../docs/impact-definitions.md?raw';

/** Markdown as GOV.UK Frontend styles it: its classes on headings, paragraphs and lists. */
const govuk = new Marked({
	renderer: {
		heading({ tokens, depth }: Tokens.Heading) {
			const size = depth <= 2 ? 'l' : depth === 3 ? 'm' : 's';
			return `<h${depth} class="govuk-heading-${size}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
		},
		paragraph({ tokens }: Tokens.Paragraph) {
			return `<p class="govuk-body">${this.parser.parseInline(tokens)}</p>\n`;
		},
		list(token: Tokens.List) {
			const items = token.items.map((item) => `<li>${this.parser.parse(item.tokens)}</li>\n`);
			const tag = token.ordered ? 'ol' : 'ul';
			const kind = token.ordered ? 'number' : 'bullet';
			return `<${tag} class="govuk-list govuk-list--${kind}">\n${items.join('')}</${tag}>\n`;
		}
	}
});

/**
 * The evidence pack's methodology: docs/impact-definitions.md, the one statement of the
 * definitions, from its first section on (its opening is for whoever maintains the code),
 * with its sections one level below the pack's heading. The text is the project's own, not
 * anyone's input, so its HTML is shown as it is.
 */
export function methodHtml(markdown: string = definitions) {
	const start = markdown.indexOf('\n## ');
	const body = start < 0 ? markdown : markdown.slice(start + 1);
	return govuk.parse(body.replace(/^## /gm, '### '), { async: false });
}
