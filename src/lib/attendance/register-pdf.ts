import { fontSafe } from '$lib/ui/pdf-text';
import type { RegisterLine } from './register-state';
import { registerCounts, statusLabel } from './register-state';

/**
 * The register on paper, made on the device from what it holds, so it works with no
 * signal: a sign-in sheet for when every device fails (everyone with a place, a column to
 * sign, and blank lines for people who did not book), and the register as marked. pdf-lib
 * is loaded only when one is asked for.
 */
export interface PaperRegister {
	kind: 'sign-in' | 'register';
	title: string;
	/** e.g. "Tuesday 1 December 2026, 10:00am to 11:00am GMT" */
	when: string;
	where: string;
	trainers: string[];
	lines: RegisterLine[];
	/** e.g. "1 December 2026, 10:42am" */
	printedAt: string;
	/** marks made on this device not yet sent */
	unsent: number;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const BLANK_LINES = 12;

/** Who the sheet lists: confirmed places and walk-ins, and anyone else already marked. */
export function paperLines(lines: RegisterLine[]) {
	return lines
		.filter((l) => !l.booking_status || l.booking_status === 'confirmed' || l.status !== null)
		.toSorted((a, b) => a.full_name.localeCompare(b.full_name, 'en-GB'));
}

export async function registerPdf(paper: PaperRegister): Promise<Uint8Array> {
	const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
	const pdf = await PDFDocument.create();
	const heading = paper.kind === 'sign-in' ? 'Sign-in sheet' : 'Register';
	pdf.setTitle(`${heading} – ${paper.title}`);
	pdf.setAuthor('Hampshire Safeguarding Children Partnership');
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const ink = rgb(0.04, 0.05, 0.05);
	const rule = rgb(0.69, 0.71, 0.71);

	const safe = (text: string) => fontSafe(regular, text);
	const fit = (text: string, size: number, max: number, font = regular) => {
		let out = safe(text);
		while (out.length > 1 && font.widthOfTextAtSize(out, size) > max) out = out.slice(0, -1);
		return out.length < safe(text).length ? `${out.slice(0, -1)}…` : out;
	};

	const columns =
		paper.kind === 'sign-in'
			? [
					{ label: 'Name', width: 170 },
					{ label: 'Organisation', width: 150 },
					{ label: 'Signature', width: 195 }
				]
			: [
					{ label: 'Name', width: 170 },
					{ label: 'Organisation', width: 165 },
					{ label: 'Mark', width: 180 }
				];
	const rows = paperLines(paper.lines).map((l) => [
		l.full_name,
		l.agency ?? (l.walk_in_id ? 'Walk-in' : ''),
		paper.kind === 'sign-in'
			? ''
			: l.conflict
				? 'Marks disagree: decide'
				: l.awaiting && (l.status === null || l.noShow)
					? 'Checked in offline: confirm'
					: l.noShow
						? 'Did not attend'
						: statusLabel(l.status)
	]);
	if (paper.kind === 'sign-in') for (let i = 0; i < BLANK_LINES; i++) rows.push(['', '', '']);

	let page = pdf.addPage(A4);
	let y = A4[1] - MARGIN;
	const text = (value: string, x: number, size: number, font = regular) =>
		page.drawText(value, { x, y, size, font, color: ink });
	const header = (first: boolean) => {
		text(fit(`${heading}: ${paper.title}`, 16, A4[0] - 2 * MARGIN, bold), MARGIN, 16, bold);
		y -= 20;
		if (first) {
			for (const line of [
				paper.when,
				paper.where,
				paper.trainers.length ? `Trainer: ${paper.trainers.join(', ')}` : ''
			]) {
				if (!line) continue;
				text(fit(line, 10, A4[0] - 2 * MARGIN), MARGIN, 10);
				y -= 14;
			}
			if (paper.kind === 'register') {
				const c = registerCounts(paper.lines);
				const summary = `${c.present} present · ${c.late} late · ${c.left_early} left early · ${c.absent} absent · ${c.excused} apologies · ${c.unmarked} not marked${c.conflicts ? ` · ${c.conflicts} to decide` : ''}${c.awaiting ? ` · ${c.awaiting} to confirm` : ''}`;
				text(fit(summary, 10, A4[0] - 2 * MARGIN, bold), MARGIN, 10, bold);
				y -= 14;
			} else {
				text(
					'Sign next to your name. Not on the list? Write your name and organisation on a blank line.',
					MARGIN,
					9
				);
				y -= 14;
			}
		}
		y -= 6;
		let x = MARGIN;
		for (const column of columns) {
			text(column.label, x + 2, 10, bold);
			x += column.width;
		}
		y -= 6;
		page.drawLine({
			start: { x: MARGIN, y },
			end: { x: A4[0] - MARGIN, y },
			thickness: 1,
			color: ink
		});
	};
	const footer = (n: number) => {
		const note =
			`Printed ${paper.printedAt} from this device` +
			(paper.unsent
				? `; ${paper.unsent} ${paper.unsent === 1 ? 'mark' : 'marks'} not yet sent to the server`
				: '') +
			` · page ${n}`;
		page.drawText(fit(note, 8, A4[0] - 2 * MARGIN), {
			x: MARGIN,
			y: MARGIN - 14,
			size: 8,
			font: regular,
			color: rgb(0.3, 0.3, 0.3)
		});
	};

	header(true);
	let pageNumber = 1;
	const rowHeight = paper.kind === 'sign-in' ? 26 : 20;
	for (const row of rows) {
		if (y - rowHeight < MARGIN + 10) {
			footer(pageNumber++);
			page = pdf.addPage(A4);
			y = A4[1] - MARGIN;
			header(false);
		}
		y -= rowHeight;
		let x = MARGIN;
		row.forEach((cell, i) => {
			if (cell) {
				page.drawText(fit(cell, 10, columns[i]!.width - 6), {
					x: x + 2,
					y: y + 7,
					size: 10,
					font: regular,
					color: ink
				});
			}
			x += columns[i]!.width;
		});
		page.drawLine({
			start: { x: MARGIN, y },
			end: { x: A4[0] - MARGIN, y },
			thickness: 0.5,
			color: rule
		});
	}
	footer(pageNumber);
	return pdf.save();
}
