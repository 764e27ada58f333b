import type { AttendanceStatus, Evaluation } from '$lib/data';
import { fontSafe } from '$lib/ui/pdf-text';

/** A certificate is issued to someone marked present or late who has sent their evaluation. */
export function earnsCertificate(
	attendance: AttendanceStatus | null | undefined,
	evaluation: Evaluation | undefined
) {
	return (attendance === 'present' || attendance === 'late') && Boolean(evaluation);
}

export interface CertificateDetails {
	name: string;
	course: string;
	/** e.g. "Wednesday 18 November 2026" */
	date: string;
	/** e.g. "1 hour 30 minutes" */
	duration: string;
	outcomes: string[];
	reference: string;
}

export function durationText(minutes: number) {
	const hours = Math.floor(minutes / 60);
	const rest = Math.round(minutes % 60);
	return [
		hours ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
		rest ? `${rest} ${rest === 1 ? 'minute' : 'minutes'}` : ''
	]
		.filter(Boolean)
		.join(' ');
}

export const PARTNERSHIP = 'Hampshire Safeguarding Children Partnership';

/**
 * The certificate of attendance as a PDF, made on the device (works offline once the data
 * is there). pdf-lib is loaded only when someone asks for one.
 */
export async function certificatePdf(details: CertificateDetails): Promise<Uint8Array> {
	const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
	const pdf = await PDFDocument.create();
	pdf.setTitle(`Certificate of attendance – ${details.course}`);
	pdf.setAuthor(PARTNERSHIP);
	const page = pdf.addPage([841.89, 595.28]); // A4 landscape
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const purple = rgb(0x4c / 255, 0x2c / 255, 0x92 / 255);
	const { width, height } = page.getSize();

	const safe = (text: string) => fontSafe(regular, text);
	const wrap = (text: string, size: number, max: number) => {
		const lines: string[] = [];
		let line = '';
		for (const word of safe(text).split(/\s+/)) {
			const next = line ? `${line} ${word}` : word;
			if (regular.widthOfTextAtSize(next, size) > max && line) {
				lines.push(line);
				line = word;
			} else line = next;
		}
		if (line) lines.push(line);
		return lines;
	};
	let y = height - 70;
	const centred = (text: string, size: number, font = regular, colour = rgb(0.04, 0.05, 0.05)) => {
		for (const line of wrap(text, size, width - 160)) {
			page.drawText(line, {
				x: (width - font.widthOfTextAtSize(line, size)) / 2,
				y,
				size,
				font,
				color: colour
			});
			y -= size * 1.35;
		}
	};

	page.drawRectangle({
		x: 24,
		y: 24,
		width: width - 48,
		height: height - 48,
		borderColor: purple,
		borderWidth: 3
	});
	centred(PARTNERSHIP, 16, bold, purple);
	y -= 14;
	centred('Certificate of attendance', 34, bold);
	y -= 10;
	centred('This is to certify that', 14);
	centred(details.name, 26, bold);
	centred('attended', 14);
	centred(details.course, 20, bold);
	centred(`on ${details.date} (${details.duration})`, 14);
	y -= 10;
	if (details.outcomes.length) {
		centred('Learning outcomes', 13, bold);
		for (const outcome of details.outcomes) centred(`• ${outcome}`, 11);
	}
	page.drawText(safe(`Multi-agency safeguarding training · Reference ${details.reference}`), {
		x: 48,
		y: 40,
		size: 9,
		font: regular,
		color: rgb(0.3, 0.3, 0.3)
	});
	return pdf.save();
}
