import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
	certificatePdf,
	durationText,
	earnsCertificate,
	PARTNERSHIP,
	type CertificateDetails
} from './certificate';
import { certificateLayout, type Box, type CertificateLayout } from './certificate-layout';
import { wrapText } from '$lib/ui/pdf-text';

const evaluation = {
	id: 'e',
	session_id: 's',
	user_id: 'u',
	overall: 4,
	practice_change: 'x',
	comments: null,
	submitted_at: '2026-11-18T12:00:00Z',
	from_paper: false,
	ratings: []
};

describe('certificates', () => {
	it('are earned by attending (present or late) and sending the evaluation', () => {
		expect(earnsCertificate('present', evaluation)).toBe(true);
		expect(earnsCertificate('late', evaluation)).toBe(true);
		expect(earnsCertificate('left_early', evaluation)).toBe(false);
		expect(earnsCertificate('present', undefined)).toBe(false);
		expect(earnsCertificate(null, evaluation)).toBe(false);
	});

	it('say the duration in words', () => {
		expect(durationText(60)).toBe('1 hour');
		expect(durationText(90)).toBe('1 hour 30 minutes');
		expect(durationText(150)).toBe('2 hours 30 minutes');
		expect(durationText(45)).toBe('45 minutes');
	});

	it('are a PDF, with characters the PDF fonts lack replaced rather than failing', async () => {
		const bytes = await certificatePdf(details({ name: 'Ana Núñez Łukasz 王' }));
		expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
		expect(bytes.length).toBeGreaterThan(1000);
	});
});

const details = (over: Partial<CertificateDetails> = {}): CertificateDetails => ({
	name: 'Sam Carter',
	course: 'Neglect: recognising and responding',
	date: 'Wednesday 18 November 2026',
	learningTime: '3 hours',
	outcomes: ['Recognise the signs of neglect', 'Use the graded care profile'],
	reference: '7K3M-Q9XD-2RTA',
	verifyUrl: 'training.hscp.org.uk/verify',
	checkLink: 'https://training.hscp.org.uk/verify?ref=7K3M-Q9XD-2RTA',
	issued: '18 November 2026',
	...over
});

async function fonts() {
	const pdf = await PDFDocument.create();
	return {
		regular: await pdf.embedFont(StandardFonts.Helvetica),
		bold: await pdf.embedFont(StandardFonts.HelveticaBold)
	};
}

const overlaps = (a: Box, b: Box) =>
	a.left < b.right && b.left < a.right && a.bottom < b.top && b.bottom < a.top;

function layoutProblems(layout: CertificateLayout) {
	const problems: string[] = [];
	const boxes = [
		...layout.lines.map((l) => ({ what: l.text, box: l.box })),
		{ what: 'QR code', box: layout.qr }
	];
	boxes.forEach((a, i) => {
		if (a.box.left < 40 || a.box.right > layout.width - 40)
			problems.push(`${a.what} crosses the side border`);
		if (a.box.bottom < 40 || a.box.top > layout.height - 40)
			problems.push(`${a.what} crosses the top or bottom`);
		const above = a.box.bottom > layout.ruleY;
		if (above !== a.box.top > layout.ruleY) problems.push(`${a.what} crosses the rule`);
		for (const b of boxes.slice(i + 1))
			if (overlaps(a.box, b.box)) problems.push(`"${a.what}" overlaps "${b.what}"`);
	});
	return problems;
}

describe('the certificate layout', () => {
	const longest = {
		partnership: PARTNERSHIP,
		// the longest a profile's name and a course's title may be (200 characters)
		name: 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh '.repeat(4).slice(0, 200),
		course: 'Recognising and responding to child sexual exploitation, criminal exploitation and '
			.repeat(3)
			.slice(0, 200),
		date: 'Wednesday 30 September 2026',
		learningTime: '47 hours 59 minutes',
		outcomes: Array.from({ length: 12 }, (_, i) =>
			`Outcome ${i + 1}: ${'explain how agencies share information about risk '.repeat(10)}`.slice(
				0,
				500
			)
		),
		reference: 'WWWW-WWWW-WWWW',
		verifyUrl: 'training.hampshire-safeguarding-children-partnership.org.uk/verify',
		issued: 'Wednesday 30 September 2026'
	};

	it('has nothing overlapping for a short certificate, at full size', async () => {
		const layout = certificateLayout({ ...details(), partnership: PARTNERSHIP }, await fonts());
		expect(layoutProblems(layout)).toEqual([]);
		expect(layout.scale).toBe(1);
		expect(layout.outcomesLeftOut).toBe(0);
		// the words around the name are separate lines from it
		const texts = layout.lines.map((l) => l.text);
		expect(texts).toContain('This certifies that');
		expect(texts).toContain('Sam Carter');
	});

	it('has nothing overlapping at the longest name, title and outcomes, and says what it left out', async () => {
		const layout = certificateLayout(longest, await fonts());
		expect(layoutProblems(layout)).toEqual([]);
		expect(layout.scale).toBeLessThan(1);
		const texts = layout.lines.map((l) => l.text).join(' ');
		expect(texts.replace(/\s/g, '')).toContain(longest.name.replace(/\s/g, ''));
		expect(texts.replace(/\s/g, '')).toContain(longest.course.replace(/\s/g, ''));
		if (layout.outcomesLeftOut)
			expect(texts).toContain(`and ${layout.outcomesLeftOut} more learning outcomes of the course`);
	});

	it('has nothing overlapping for every length of name in between', async () => {
		const f = await fonts();
		for (let length = 1; length <= 200; length += 7) {
			const layout = certificateLayout({ ...longest, name: 'Mm '.repeat(70).slice(0, length) }, f);
			expect(layoutProblems(layout), `name of ${length} characters`).toEqual([]);
		}
	});

	it('breaks a word too long for a line rather than letting it run off the page', async () => {
		const f = await fonts();
		const lines = wrapText(f.bold, 'W'.repeat(120), 24, 300);
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.join('')).toBe('W'.repeat(120));
		for (const line of lines) expect(f.bold.widthOfTextAtSize(line, 24)).toBeLessThanOrEqual(300);
	});
});
