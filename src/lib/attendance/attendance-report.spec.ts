import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAttendanceReport, parseMinutes, ReportError } from './attendance-report';

const sample = (name: string) =>
	new Uint8Array(
		readFileSync(new URL(`../../../tests/fixtures/attendance-reports/${name}`, import.meta.url))
	);

const emails = (name: string) => parseAttendanceReport(sample(name)).rows.map((r) => r.email);

describe('attendance reports', () => {
	it('reads the Teams report: UTF-16 with a byte-order mark, tabs, a summary block above, CRLF, and stops before In-Meeting Activities', () => {
		const report = parseAttendanceReport(sample('teams-attendance-report.csv'));
		expect(report.source).toBe('Microsoft Teams');
		expect(report.rows.map((r) => [r.name, r.email, Math.round(r.minutes), r.role])).toEqual([
			['Tom Reed', 'trainer@demo.hscp.example', 65, 'Organizer'],
			['Priya Shah', 'priya@demo.hscp.example', 58, 'Attendee'],
			['Owen Price', 'owen.price@hants.police.example', 61, 'Attendee'],
			['Grace Kemp', 'grace.kemp@school.example', 22, 'Attendee'],
			['Dev Patel', 'dev.patel@nhs.example', 45, 'Attendee'],
			['Unknown Guest', null, 30, 'Attendee']
		]);
	});

	it('reads the classic Teams report (UTF-8 with a byte-order mark, "Full Name", durations without seconds)', () => {
		const report = parseAttendanceReport(sample('teams-classic-utf8-bom.csv'));
		expect(report.source).toBe('Microsoft Teams');
		expect(report.rows.map((r) => Math.round(r.minutes))).toEqual([58, 61, 22, 45, 30]);
		expect(report.rows[0]!.name).toBe('Priya Shah');
	});

	it('reads the Zoom participants report below its meeting block, adding up rejoins by the same email', () => {
		const report = parseAttendanceReport(sample('zoom-participants.csv'));
		expect(report.source).toBe('Zoom');
		expect(report.rows).toHaveLength(5);
		const owen = report.rows.find((r) => r.email === 'owen.price@hants.police.example');
		expect(owen).toMatchObject({ name: 'Owen Price', minutes: 61 });
	});

	it('reads semicolons (Excel in a European locale) and ignores unknown columns, quoted commas and quotes', () => {
		expect(emails('semicolons-excel-europe.csv')).toEqual(emails('zoom-participants.csv'));
		const unknown = parseAttendanceReport(sample('unknown-columns.csv'));
		expect(unknown.rows.map((r) => [r.name, r.minutes])).toEqual([
			['Priya Shah', 58],
			['Owen Price', 61],
			['Grace Kemp', 22],
			['Dev Patel', 45],
			['Unknown Guest', 30]
		]);
	});

	it('reads 5,000 rows', () => {
		const lines = ['Name,Email,Duration (Minutes)'];
		for (let i = 0; i < 5000; i++) lines.push(`Person ${i},person.${i}@example.org,${i % 90}`);
		const report = parseAttendanceReport(new TextEncoder().encode(lines.join('\r\n')));
		expect(report.rows).toHaveLength(5000);
		expect(report.rows[4999]).toMatchObject({
			email: 'person.4999@example.org',
			minutes: 4999 % 90,
			line: 5001
		});
	});

	it('refuses what it cannot use, saying what is wrong', () => {
		const refuse = (bytes: Uint8Array) => {
			try {
				parseAttendanceReport(bytes);
			} catch (error) {
				expect(error).toBeInstanceOf(ReportError);
				return (error as Error).message;
			}
			throw new Error('accepted');
		};
		expect(refuse(sample('attendance-report.xlsx'))).toMatch(
			/Excel workbook \(\.xlsx\).*Save As › CSV UTF-8/
		);
		expect(refuse(sample('no-attendee-table.csv'))).toMatch(
			/Could not find the list of attendees.*“Meeting title,Webinar Wednesday”/
		);
		expect(refuse(new Uint8Array())).toBe('The file is empty.');
		expect(refuse(new TextEncoder().encode('%PDF-1.7\n...'))).toMatch(/This is a PDF/);
		expect(refuse(Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256))).toMatch(
			/not text/
		);
		expect(refuse(new TextEncoder().encode('Name,Email,Notes\nA,a@b.org,x'))).toMatch(
			/no duration column/
		);
		expect(refuse(new TextEncoder().encode('Name,Email,Duration\nA,a@b.org,soon'))).toMatch(
			/no rows with a name or email and a duration/
		);
		expect(refuse(new Uint8Array(6 * 1024 * 1024).fill(65))).toMatch(
			/6\.0 MB; an attendance report is at most 5 MB/
		);
	});

	it('understands the duration formats Teams and Zoom write', () => {
		expect(parseMinutes('1h 5m 30s', false)).toBeCloseTo(65.5);
		expect(parseMinutes('58m', false)).toBe(58);
		expect(parseMinutes('45s', false)).toBeCloseTo(0.75);
		expect(parseMinutes('01:05:30', false)).toBeCloseTo(65.5);
		expect(parseMinutes('65', true)).toBe(65);
		expect(parseMinutes('3900', false)).toBe(65);
		expect(parseMinutes('later', false)).toBeNull();
	});
});
