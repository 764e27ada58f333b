import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { toCsv } from '$lib/ui/csv';
import type { AttendedSession, Renewal, TrainingRecord } from './api';
import {
	RECORD_COLUMNS,
	recordFileName,
	recordRows,
	recordTotals,
	renewalState,
	ukToday
} from './record';
import { recordPdf } from './record-pdf';

const attended = (over: Partial<AttendedSession> = {}): AttendedSession => ({
	session_id: crypto.randomUUID(),
	course_id: 'c1',
	course: 'Neglect: recognising and responding',
	slug: 'neglect',
	published: true,
	format: 'face_to_face',
	starts_at: '2025-03-04T09:30:00Z',
	ends_at: '2025-03-04T12:30:00Z',
	attendance: 'present',
	learning_minutes: 180,
	evaluated: true,
	certificate: { reference: '7K3M-Q9XD-2RTA', issued_at: '2025-03-04T13:00:00Z', outcomes: [] },
	...over
});

const renewal = (over: Partial<Renewal> = {}): Renewal => ({
	course_id: 'c1',
	course: 'Neglect: recognising and responding',
	slug: 'neglect',
	published: true,
	renew_years: 2,
	completed_at: '2025-03-04T09:30:00Z',
	due_on: '2027-03-04',
	booked_starts_at: null,
	...over
});

describe('the training record', () => {
	it('totals sessions, certificates and the learning time of training completed', () => {
		const record: TrainingRecord = {
			name: 'Sam',
			agency: null,
			sessions: [
				attended(),
				attended({ attendance: 'left_early', learning_minutes: 0, certificate: null }),
				attended({ attendance: 'late', learning_minutes: 90, certificate: null })
			],
			renewals: []
		};
		expect(recordTotals(record)).toEqual({ sessions: 3, learningMinutes: 270, certificates: 1 });
	});

	it('shows renewals as up to date, due within six weeks, overdue, or booked', () => {
		expect(renewalState(renewal(), '2027-01-20')).toEqual({
			state: 'current',
			text: 'Up to date until 4 March 2027'
		});
		expect(renewalState(renewal(), '2027-01-21').state).toBe('due'); // 42 days before
		expect(renewalState(renewal(), '2027-03-04')).toEqual({
			state: 'due',
			text: 'Due by 4 March 2027'
		});
		expect(renewalState(renewal(), '2027-03-05')).toEqual({
			state: 'overdue',
			text: 'Overdue: it was due on 4 March 2027'
		});
		expect(
			renewalState(renewal({ booked_starts_at: '2027-02-10T10:00:00Z' }), '2027-03-05')
		).toEqual({ state: 'booked', text: 'Booked for Wednesday 10 February 2027' });
	});

	it('exports one row per session, UK dates, the due date on the completion it counts from, and formulas as text', () => {
		const latest = attended({ starts_at: '2024-06-30T23:30:00Z' }); // 1 July in the UK
		const record: TrainingRecord = {
			name: 'Sam',
			agency: null,
			sessions: [
				latest,
				attended({ starts_at: '2023-01-10T10:00:00Z', course: '=HYPERLINK("http://x")' })
			],
			renewals: [renewal({ completed_at: latest.starts_at, due_on: '2026-07-01' })]
		};
		const rows = recordRows(record);
		expect(rows.map((r) => [r.date, r.renew_by])).toEqual([
			['2024-07-01', '2026-07-01'],
			['2023-01-10', '']
		]);
		const csv = toCsv(rows, RECORD_COLUMNS);
		expect(csv.split('\r\n')[0]).toBe(
			'\uFEFFDate,Course,Format,Attendance,Learning time (minutes),Evaluation sent,Certificate reference,Renew by'
		);
		expect(csv).toContain(
			'2024-07-01,Neglect: recognising and responding,Face to face,Attended,180,Yes,7K3M-Q9XD-2RTA,2026-07-01'
		);
		expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
	});

	it('names the file after the person and the UK date', () => {
		const record = { name: 'Zoë O’Brien', agency: null, sessions: [], renewals: [] };
		expect(recordFileName(record, new Date('2026-12-01T23:30:00Z'))).toBe(
			'training-record-zoe-o-brien-2026-12-01'
		);
		expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
	});

	it('prints every session, long titles in full, over as many pages as it takes', async () => {
		const long = 'Working together to safeguard children affected by domestic abuse '
			.repeat(3)
			.trim();
		const sessions = Array.from({ length: 70 }, (_, i) =>
			attended({
				course: `${long} ${i + 1}`,
				certificate: {
					reference: `AAAA-BBBB-${String(i).padStart(4, '0')}`,
					issued_at: '2025-03-04T13:00:00Z',
					outcomes: []
				}
			})
		);
		// the widest reference there can be is still printed whole
		sessions.push(
			attended({
				certificate: {
					reference: 'WWWW-WWWW-WWWW',
					issued_at: '2025-03-04T13:00:00Z',
					outcomes: []
				}
			})
		);
		const record: TrainingRecord = {
			name: 'Sam Record',
			agency: 'Hampshire Constabulary',
			sessions,
			renewals: [renewal()]
		};
		const bytes = await recordPdf(
			record,
			{ host: 'training.example' },
			new Date('2026-12-02T10:00:00Z')
		);
		const pdf = await getDocumentProxy(bytes);
		expect(pdf.numPages).toBeGreaterThan(3);
		const { text } = await extractText(pdf, { mergePages: true });
		const flat = (text as string).replace(/\s+/g, ' ');
		expect(flat).toContain('Training record');
		expect(flat).toContain('Sam Record');
		expect(flat).toContain('71 sessions attended · learning time 213 hours · 71 certificates');
		expect(flat).toContain('Up to date until 4 March 2027');
		for (let i = 0; i < 70; i++) expect(flat).toContain(`AAAA-BBBB-${String(i).padStart(4, '0')}`);
		expect(flat).toContain('WWWW-WWWW-WWWW');
		expect(flat).toContain('check a certificate at training.example/verify');
	});
});
