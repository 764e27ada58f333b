import { fontSafe, wrapText } from '$lib/ui/pdf-text';
import { ukDateKey } from '$lib/brochure';
import { PARTNERSHIP } from '$lib/evaluation';
import type { TrainingRecord } from './api';
import {
	ATTENDANCE_LABELS,
	dayText,
	learningTimeText,
	recordTotals,
	renewalState,
	ukToday
} from './record';

/**
 * The training record on paper (A4 portrait), for an appraisal or a professional portfolio:
 * who, the totals, the training to renew, and every session attended. Long course titles
 * wrap rather than being cut; the table continues on further pages with its header.
 * pdf-lib is loaded only when a record is asked for.
 */

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const SIZE = 9;
const LINE = 12;
const COLUMNS = [
	{ label: 'Date', width: 78 },
	{ label: 'Course', width: 172 },
	{ label: 'Attendance', width: 80 },
	{ label: 'Learning time', width: 64 },
	// a reference is never broken: it is drawn smaller when its letters are wide
	{ label: 'Certificate', width: 105, oneLine: true }
];

export async function recordPdf(
	record: TrainingRecord,
	where: { host: string },
	now = new Date()
): Promise<Uint8Array> {
	const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
	const pdf = await PDFDocument.create();
	pdf.setTitle(`Training record – ${record.name ?? 'no name given'}`);
	pdf.setAuthor(PARTNERSHIP);
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const ink = rgb(0.04, 0.05, 0.05);
	const muted = rgb(0.31, 0.33, 0.35);
	const brand = rgb(0.11, 0.27, 0.53);
	const rule = rgb(0.69, 0.71, 0.71);
	const width = A4.width - 2 * MARGIN;
	const safe = (text: string) => fontSafe(regular, text);

	let page = pdf.addPage([A4.width, A4.height]);
	let pageNumber = 1;
	let y = A4.height - MARGIN;
	const footer = () =>
		page.drawText(
			safe(`${PARTNERSHIP} · check a certificate at ${where.host}/verify · page ${pageNumber}`),
			{ x: MARGIN, y: MARGIN - 18, size: 8, font: regular, color: muted }
		);
	const newPage = () => {
		footer();
		page = pdf.addPage([A4.width, A4.height]);
		pageNumber++;
		y = A4.height - MARGIN;
	};
	/** Wrapped lines of text, moving down; a new page first when they do not fit. */
	const paragraph = (
		text: string,
		options: { size?: number; font?: typeof regular; color?: typeof ink; gap?: number } = {}
	) => {
		const { size = 10, font = regular, color = ink, gap = 4 } = options;
		const lines = wrapText(font, safe(text), size, width);
		if (y - lines.length * (size + 3) < MARGIN) newPage();
		for (const line of lines) {
			y -= size + 3;
			page.drawText(line, { x: MARGIN, y, size, font, color });
		}
		y -= gap;
	};

	const totals = recordTotals(record);
	paragraph(PARTNERSHIP, { size: 11, font: bold, color: brand });
	paragraph('Training record', { size: 22, font: bold, gap: 8 });
	paragraph(record.name ?? 'No name on the account', { size: 14, font: bold });
	if (record.agency) paragraph(record.agency);
	paragraph(
		`${totals.sessions} ${totals.sessions === 1 ? 'session' : 'sessions'} attended · learning time ${learningTimeText(totals.learningMinutes)} · ${totals.certificates} ${totals.certificates === 1 ? 'certificate' : 'certificates'}`,
		{ font: bold }
	);
	paragraph(
		`As recorded by ${PARTNERSHIP} on ${dayText(ukToday(now))}. Learning time counts training completed (present or late); leaving early counts as attended without learning time.`,
		{ size: 9, color: muted, gap: 12 }
	);

	if (record.renewals.length) {
		paragraph('Training to renew', { size: 13, font: bold });
		for (const r of record.renewals) {
			const { text } = renewalState(r, ukToday(now));
			paragraph(
				`${r.course}: renewed every ${r.renew_years} ${r.renew_years === 1 ? 'year' : 'years'}, last completed ${dayText(ukDateKey(r.completed_at))}. ${text}.`
			);
		}
		y -= 8;
	}

	paragraph('Sessions attended', { size: 13, font: bold });
	if (!record.sessions.length) paragraph('No sessions attended yet.');
	const header = () => {
		let x = MARGIN;
		y -= LINE;
		for (const c of COLUMNS) {
			page.drawText(c.label, { x, y, size: SIZE, font: bold, color: ink });
			x += c.width;
		}
		y -= 5;
		page.drawLine({
			start: { x: MARGIN, y },
			end: { x: MARGIN + width, y },
			thickness: 1,
			color: ink
		});
	};
	if (record.sessions.length) header();
	for (const s of record.sessions) {
		const cells = [
			dayText(ukDateKey(s.starts_at)),
			s.course,
			ATTENDANCE_LABELS[s.attendance],
			learningTimeText(s.learning_minutes),
			s.certificate?.reference ??
				(s.attendance === 'left_early' ? 'Not issued' : s.evaluated ? '' : 'Evaluation not sent')
		].map((text, i) =>
			COLUMNS[i]!.oneLine
				? [safe(text)]
				: wrapText(regular, safe(text), SIZE, COLUMNS[i]!.width - 6)
		);
		const height = Math.max(...cells.map((lines) => lines.length)) * LINE + 6;
		if (y - height < MARGIN) {
			newPage();
			header();
		}
		let x = MARGIN;
		cells.forEach((lines, i) => {
			lines.forEach((line, n) => {
				page.drawText(line, {
					x,
					y: y - (n + 1) * LINE + 1,
					size: SIZE,
					font: regular,
					color: ink
				});
			});
			x += COLUMNS[i]!.width;
		});
		y -= height;
		page.drawLine({
			start: { x: MARGIN, y },
			end: { x: MARGIN + width, y },
			thickness: 0.5,
			color: rule
		});
	}
	footer();
	return pdf.save();
}
