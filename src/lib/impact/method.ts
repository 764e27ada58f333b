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

/** A block of the methodology for a document: a heading, a paragraph or a bullet, as runs. */
export interface MethodBlock {
	kind: 'heading' | 'paragraph' | 'bullet';
	runs: { text: string; bold: boolean }[];
}

type Inline = { type: string; raw: string; text?: string; tokens?: Inline[] };

function runs(tokens: Inline[], bold = false): MethodBlock['runs'] {
	return tokens.flatMap((t) => {
		if (t.type === 'strong') return runs(t.tokens ?? [], true);
		if (t.tokens?.length) return runs(t.tokens, bold);
		const text = (t.type === 'text' || t.type === 'codespan' ? (t.text ?? t.raw) : t.raw)
			.replace(/\s*\n\s*/g, ' ')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&');
		return [{ text, bold }];
	});
}

/** The same methodology as methodHtml, as blocks for the evidence pack's Word document. */
export function methodBlocks(markdown: string = definitions): MethodBlock[] {
	const start = markdown.indexOf('\n## ');
	const body = start < 0 ? markdown : markdown.slice(start + 1);
	return govuk.lexer(body).flatMap((token): MethodBlock[] => {
		if (token.type === 'heading')
			return [{ kind: 'heading', runs: runs(token.tokens as Inline[]) }];
		if (token.type === 'paragraph')
			return [{ kind: 'paragraph', runs: runs(token.tokens as Inline[]) }];
		if (token.type === 'list')
			return (token as Tokens.List).items.map((item) => ({
				kind: 'bullet' as const,
				runs: runs(item.tokens as Inline[])
			}));
		return [];
	});
}
