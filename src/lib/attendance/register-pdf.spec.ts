import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { RegisterAttendee } from '$lib/data';
import { registerPdf } from './register-pdf';
import { registerLines } from './register-state';

/** The text a PDF draws, from its page streams (pdf-lib writes standard-font text as hex). */
function drawnText(bytes: Uint8Array) {
	const raw = Buffer.from(bytes).toString('latin1');
	const out: string[] = [];
	for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
		let content: string;
		try {
			content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
		} catch {
			content = match[1]!;
		}
		for (const hex of content.matchAll(/<([0-9A-Fa-f]+)>\s*Tj/g)) {
			out.push(Buffer.from(hex[1]!, 'hex').toString('latin1'));
		}
	}
	return out;
}

const attendee = (
	id: string,
	name: string,
	status: RegisterAttendee['booking_status'] = 'confirmed'
) => ({
	booking_id: id,
	user_id: `u-${id}`,
	booking_status: status,
	full_name: name,
	email: `${id}@example.org`,
	agency: 'Hampshire Constabulary',
	job_role: null
});

const paper = (kind: 'sign-in' | 'register', count: number) => {
	const attendees = Array.from({ length: count }, (_, i) =>
		attendee(`b${i}`, `Person ${String(i).padStart(3, '0')}`)
	);
	attendees.push(attendee('w', 'Wendy Waiting', 'waitlisted'), attendee('z', 'Zoë Núñez 王'));
	const lines = registerLines(
		{ attendees },
		[],
		[
			{
				id: 'e1',
				session_id: 's',
				booking_id: 'b0',
				walk_in_id: null,
				status: 'late',
				marked_at: '2026-12-01T10:20:00Z',
				source: 'register',
				supersedes: [],
				marked_by_name: 'Tom'
			}
		]
	);
	return {
		kind,
		title: 'Neglect: recognising and responding',
		when: 'Tuesday 1 December 2026, 10:00am to 11:00am GMT',
		where: 'St Mary’s church hall, Winchester',
		trainers: ['Tom Reed'],
		lines,
		printedAt: '1 December 2026, 9:40am',
		unsent: 2
	};
};

describe('the register on paper', () => {
	it('a sign-in sheet lists everyone with a place, not the waiting list, with blank lines for walk-ins', async () => {
		const bytes = await registerPdf(paper('sign-in', 3));
		const text = drawnText(bytes);
		expect(text).toContain('Sign-in sheet: Neglect: recognising and responding');
		expect(text).toContain('Trainer: Tom Reed');
		expect(text.filter((t) => /^Person \d+$/.test(t))).toEqual([
			'Person 000',
			'Person 001',
			'Person 002'
		]);
		expect(text).not.toContain('Wendy Waiting');
		// characters the PDF fonts lack are replaced, not fatal
		expect(text).toContain('Zoë Núñez ?');
		expect(text).toContain('Signature');
		expect(text.some((t) => t.includes('2 marks not yet sent to the server'))).toBe(true);
	});

	it('the register shows each mark and the counts, over as many pages as it takes', async () => {
		const bytes = await registerPdf(paper('register', 80));
		const text = drawnText(bytes);
		expect(text).toContain(
			'0 present · 1 late · 0 left early · 0 absent · 0 apologies · 80 not marked'
		);
		expect(text).toContain('Late');
		expect(text.filter((t) => /^Person \d+$/.test(t))).toHaveLength(80);
		const pages = (await PDFDocument.load(bytes)).getPageCount();
		expect(pages).toBeGreaterThan(1);
		expect(text.filter((t) => t.includes(`page ${pages}`))).toHaveLength(1);
	});
});
