/**
 * Where everything on the certificate goes, worked out before anything is drawn, so that
 * nothing can overlap whatever the length of the name, the course title or the outcomes:
 * the body shrinks (down to 60%) to fit above the footer, and outcomes that still do not fit
 * are summed up in one line. Pure: fonts come in as measurers, so tests can check the boxes.
 */
import { wrapText } from '$lib/ui/pdf-text';

export interface Measure {
	widthOfTextAtSize(text: string, size: number): number;
	heightAtSize(size: number, options?: { descender?: boolean }): number;
}

export interface CertificateText {
	partnership: string;
	name: string;
	course: string;
	/** e.g. "Wednesday 18 November 2026" */
	date: string;
	/** e.g. "3 hours" */
	learningTime: string;
	outcomes: string[];
	reference: string;
	/** where anyone can check the reference */
	verifyUrl: string;
	/** e.g. "2 December 2026" */
	issued: string;
}

export type Tone = 'ink' | 'brand' | 'muted';

export interface PlacedLine {
	text: string;
	x: number;
	/** baseline */
	y: number;
	size: number;
	bold: boolean;
	tone: Tone;
	/** the box the glyphs can fill: from the descender to the ascender */
	box: Box;
}

export interface Box {
	left: number;
	right: number;
	bottom: number;
	top: number;
}

export interface CertificateLayout {
	width: number;
	height: number;
	lines: PlacedLine[];
	/** the verification link as a QR code, square */
	qr: Box;
	/** the rule between the body and the footer */
	ruleY: number;
	/** body text size as a share of its designed size (1 = nothing shrunk) */
	scale: number;
	/** outcomes summed up rather than listed because they did not fit */
	outcomesLeftOut: number;
}

/** A4 landscape, in points */
export const A4_LANDSCAPE = { width: 841.89, height: 595.28 };
const INSET = 64;
const BODY_TOP = A4_LANDSCAPE.height - 56;
const RULE_Y = 138;
const BODY_BOTTOM = RULE_Y + 14;
const QR_SIZE = 76;
const OUTCOME_COLUMN = 600;
const BULLET_INDENT = 14;

interface Fonts {
	regular: Measure;
	bold: Measure;
}

interface Block {
	text: string;
	size: number;
	bold?: boolean;
	tone?: Tone;
	/** space above, in points at full size */
	gap: number;
	kind?: 'centred' | 'outcome';
}

function bodyBlocks(t: CertificateText, outcomes: string[], leftOut: number): Block[] {
	const blocks: Block[] = [
		{ text: t.partnership, size: 15, bold: true, tone: 'brand', gap: 0 },
		{ text: 'Certificate of attendance', size: 30, bold: true, gap: 10 },
		{ text: 'This certifies that', size: 12, tone: 'muted', gap: 14 },
		{ text: t.name, size: 24, bold: true, gap: 6 },
		{
			text: 'took part in the multi-agency safeguarding training',
			size: 12,
			tone: 'muted',
			gap: 8
		},
		{ text: t.course, size: 18, bold: true, gap: 6 },
		{ text: `on ${t.date}: ${t.learningTime} of learning`, size: 12, gap: 8 }
	];
	if (outcomes.length || leftOut) {
		blocks.push({ text: 'Learning outcomes', size: 11, bold: true, gap: 16, kind: 'outcome' });
		for (const outcome of outcomes)
			blocks.push({ text: outcome, size: 10, gap: 3, kind: 'outcome' });
		if (leftOut)
			blocks.push({
				text: `and ${leftOut} more learning ${leftOut === 1 ? 'outcome' : 'outcomes'} of the course`,
				size: 10,
				tone: 'muted',
				gap: 3,
				kind: 'outcome'
			});
	}
	return blocks;
}

function placeLine(
	font: Measure,
	text: string,
	x: number,
	y: number,
	size: number,
	style: { bold: boolean; tone: Tone }
): PlacedLine {
	const ascent = font.heightAtSize(size, { descender: false });
	const descent = font.heightAtSize(size) - ascent;
	const width = font.widthOfTextAtSize(text, size);
	return {
		text,
		x,
		y,
		size,
		...style,
		box: { left: x, right: x + width, bottom: y - descent, top: y + ascent }
	};
}

/** Lays the body out from the top at a scale; the lowest point reached tells whether it fits. */
function layBody(fonts: Fonts, blocks: Block[], scale: number, width: number, top = BODY_TOP) {
	const lines: PlacedLine[] = [];
	let cursor = top;
	const centredMax = width - 2 * INSET - 40;
	const columnLeft = (width - OUTCOME_COLUMN) / 2;
	blocks.forEach((block, index) => {
		const size = block.size * scale;
		const font = block.bold ? fonts.bold : fonts.regular;
		const style = { bold: Boolean(block.bold), tone: block.tone ?? 'ink' };
		cursor -= block.gap * scale;
		const ascent = font.heightAtSize(size, { descender: false });
		const descent = font.heightAtSize(size) - ascent;
		const bullet = block.kind === 'outcome' && !block.bold && block.tone !== 'muted';
		const max = block.kind === 'outcome' ? OUTCOME_COLUMN - BULLET_INDENT : centredMax;
		wrapText(font, block.text, size, max).forEach((text, lineIndex) => {
			const y = cursor - ascent;
			const x =
				block.kind === 'outcome'
					? columnLeft + (block.bold ? 0 : BULLET_INDENT)
					: (width - font.widthOfTextAtSize(text, size)) / 2;
			if (bullet && lineIndex === 0)
				lines.push(placeLine(fonts.regular, '•', columnLeft + 2, y, size, style));
			lines.push(placeLine(font, text, x, y, size, style));
			cursor = y - descent - size * 0.2;
		});
		if (index === 0) cursor -= 4 * scale;
	});
	return { lines, bottom: cursor };
}

function layFooter(fonts: Fonts, t: CertificateText, width: number) {
	const lines: PlacedLine[] = [];
	const column = (width - 2 * INSET) / 2 - QR_SIZE;
	const stack = (
		rows: { text: string; size: number; bold?: boolean; tone?: Tone }[],
		align: 'left' | 'right',
		edge: number
	) => {
		let cursor = RULE_Y - 16;
		for (const row of rows) {
			const font = row.bold ? fonts.bold : fonts.regular;
			const ascent = font.heightAtSize(row.size, { descender: false });
			const descent = font.heightAtSize(row.size) - ascent;
			for (const text of wrapText(font, row.text, row.size, column)) {
				const y = cursor - ascent;
				const x = align === 'left' ? edge : edge - font.widthOfTextAtSize(text, row.size);
				lines.push(
					placeLine(font, text, x, y, row.size, {
						bold: Boolean(row.bold),
						tone: row.tone ?? 'ink'
					})
				);
				cursor = y - descent - 3;
			}
		}
	};
	stack(
		[
			{ text: 'Issued by', size: 9, tone: 'muted' },
			{ text: t.partnership, size: 11, bold: true, tone: 'brand' },
			{ text: 'Multi-agency safeguarding training', size: 10 },
			{ text: `Issued ${t.issued}`, size: 10 }
		],
		'left',
		INSET
	);
	const qrLeft = width - INSET - QR_SIZE;
	stack(
		[
			{ text: 'Certificate reference', size: 9, tone: 'muted' },
			{ text: t.reference, size: 13, bold: true },
			{ text: 'Anyone can check this certificate at', size: 9, tone: 'muted' },
			{ text: t.verifyUrl, size: 9 }
		],
		'right',
		qrLeft - 14
	);
	const qr = {
		left: qrLeft,
		right: qrLeft + QR_SIZE,
		bottom: RULE_Y - 14 - QR_SIZE,
		top: RULE_Y - 14
	};
	return { lines, qr };
}

export function certificateLayout(
	t: CertificateText,
	fonts: Fonts,
	page = A4_LANDSCAPE
): CertificateLayout {
	const footer = layFooter(fonts, t, page.width);
	const done = (
		body: ReturnType<typeof layBody>,
		scale: number,
		outcomesLeftOut: number
	): CertificateLayout => ({
		...page,
		lines: [...body.lines, ...footer.lines],
		qr: footer.qr,
		ruleY: RULE_Y,
		scale,
		outcomesLeftOut
	});
	for (let step = 0; step <= 8; step++) {
		const scale = 1 - step * 0.05;
		const body = layBody(fonts, bodyBlocks(t, t.outcomes, 0), scale, page.width);
		if (body.bottom < BODY_BOTTOM) continue;
		// a short certificate sits lower, sharing the space left above and below it
		const lower = Math.min((body.bottom - BODY_BOTTOM) / 2, 48);
		const blocks = bodyBlocks(t, t.outcomes, 0);
		return done(layBody(fonts, blocks, scale, page.width, BODY_TOP - lower), scale, 0);
	}
	const scale = 0.6;
	for (let kept = t.outcomes.length - 1; kept >= 0; kept--) {
		const leftOut = t.outcomes.length - kept;
		const body = layBody(
			fonts,
			bodyBlocks(t, t.outcomes.slice(0, kept), leftOut),
			scale,
			page.width
		);
		if (body.bottom >= BODY_BOTTOM || kept === 0) return done(body, scale, leftOut);
	}
	return done(layBody(fonts, bodyBlocks(t, [], 0), scale, page.width), scale, 0);
}
