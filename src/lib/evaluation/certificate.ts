import type { AttendanceStatus, Evaluation } from '$lib/data';
import { ukDate } from '$lib/brochure';
import { saveFile } from '$lib/ui';
import { fontSafe } from '$lib/ui/pdf-text';
import { certificateLayout, type CertificateText } from './certificate-layout';

/** A certificate is issued to someone marked present or late who has sent their evaluation. */
export function earnsCertificate(
	attendance: AttendanceStatus | null | undefined,
	evaluation: Evaluation | undefined
) {
	return (attendance === 'present' || attendance === 'late') && Boolean(evaluation);
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

/** What the certificate says, and the link its QR code opens to check it. */
export interface CertificateDetails extends Omit<CertificateText, 'partnership'> {
	checkLink: string;
}

/** The page that checks a reference, as a link with the reference filled in. */
export function verifyLink(origin: string, reference: string) {
	return `${origin}/verify?ref=${encodeURIComponent(reference)}`;
}

/**
 * The certificate of attendance as a PDF, made on the device (works offline once the data
 * is there). pdf-lib is loaded only when someone asks for one; the layout is worked out
 * first (certificate-layout.ts) so nothing overlaps.
 */
export async function certificatePdf(details: CertificateDetails): Promise<Uint8Array> {
	const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
	const { encode } = await import('uqr');
	const pdf = await PDFDocument.create();
	pdf.setTitle(`Certificate of attendance – ${details.course}`);
	pdf.setAuthor(PARTNERSHIP);
	pdf.setSubject(`Reference ${details.reference}`);
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const safe = (text: string) => fontSafe(regular, text);
	const layout = certificateLayout(
		{
			...details,
			partnership: PARTNERSHIP,
			name: safe(details.name),
			course: safe(details.course),
			outcomes: details.outcomes.map(safe),
			verifyUrl: safe(details.verifyUrl)
		},
		{ regular, bold }
	);
	const page = pdf.addPage([layout.width, layout.height]);
	const brand = rgb(0x4c / 255, 0x2c / 255, 0x92 / 255);
	const tones = { ink: rgb(0.04, 0.05, 0.05), brand, muted: rgb(0.3, 0.31, 0.32) };

	page.drawRectangle({
		x: 22,
		y: 22,
		width: layout.width - 44,
		height: layout.height - 44,
		borderColor: brand,
		borderWidth: 4
	});
	page.drawRectangle({
		x: 32,
		y: 32,
		width: layout.width - 64,
		height: layout.height - 64,
		borderColor: brand,
		borderWidth: 0.75
	});
	page.drawLine({
		start: { x: 64, y: layout.ruleY },
		end: { x: layout.width - 64, y: layout.ruleY },
		thickness: 0.75,
		color: brand
	});
	for (const line of layout.lines)
		page.drawText(line.text, {
			x: line.x,
			y: line.y,
			size: line.size,
			font: line.bold ? bold : regular,
			color: tones[line.tone]
		});

	const qr = encode(details.checkLink, { ecc: 'M', border: 0 });
	const module = (layout.qr.right - layout.qr.left) / qr.size;
	qr.data.forEach((row, r) => {
		let start = -1;
		row.forEach((dark, c) => {
			if (dark && start < 0) start = c;
			if ((!dark || c === row.length - 1) && start >= 0) {
				const end = dark ? c + 1 : c;
				page.drawRectangle({
					x: layout.qr.left + start * module,
					y: layout.qr.top - (r + 1) * module,
					width: (end - start) * module,
					height: module,
					color: tones.ink
				});
				start = -1;
			}
		});
	});
	return pdf.save();
}

/** A certificate someone has earned, as their device or their training record holds it. */
export interface EarnedCertificate {
	name: string;
	course: string;
	startsAt: string;
	learningMinutes: number;
	outcomes: string[];
	reference: string;
	/** when the evaluation was sent: the certificate's issue date */
	issuedAt: string;
}

/** Makes the certificate on the device and saves it as a PDF. */
export async function saveCertificate(c: EarnedCertificate) {
	const bytes = await certificatePdf({
		name: c.name,
		course: c.course,
		date: ukDate(c.startsAt),
		learningTime: durationText(c.learningMinutes),
		outcomes: c.outcomes,
		reference: c.reference,
		verifyUrl: `${location.host}/verify`,
		checkLink: verifyLink(location.origin, c.reference),
		issued: ukDate(c.issuedAt)
	});
	saveFile(
		`Certificate – ${c.course}.pdf`.replace(/[\\/:*?"<>|]/g, ''),
		bytes as BlobPart,
		'application/pdf'
	);
}
