import { describe, expect, it } from 'vitest';
import { certificatePdf, durationText, earnsCertificate } from './certificate';

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
		const bytes = await certificatePdf({
			name: 'Ana Núñez Łukasz 王',
			course: 'Neglect: recognising and responding',
			date: 'Wednesday 18 November 2026',
			duration: '1 hour',
			outcomes: ['Recognise the signs of neglect', 'Use the graded care profile'],
			reference: 'abc'
		});
		expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
		expect(bytes.length).toBeGreaterThan(1000);
	});
});
