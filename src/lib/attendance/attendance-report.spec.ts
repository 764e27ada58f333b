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
			/^Line 2 could not be read: the duration “soon” is not a length of time\. Nothing has been imported/
		);
		expect(refuse(new TextEncoder().encode('Name,Email,Duration\n,,\n'))).toMatch(
			/no rows with a name or email and a duration/
		);
		expect(refuse(new Uint8Array(6 * 1024 * 1024).fill(65))).toMatch(
			/6\.0 MB; an attendance report is at most 5 MB/
		);
	});

	it('refuses a damaged Zoom file whole, naming the line, instead of importing the rest', () => {
		expect(() => parseAttendanceReport(sample('zoom-participants-damaged.csv'))).toThrow(
			/^Line 6 could not be read: a quote is not closed\. Nothing has been imported/
		);
		const lines = ['Name,Email,Join Time,Leave Time,Duration (Minutes)'];
		lines.push('A,a@b.org,18/11/2026 10:00,18/11/2026 11:00,60');
		lines.push('B,b@b.org,yesterday,18/11/2026 11:00,60');
		lines.push('C,c@b.org,18/11/2026 10:00,18/11/2026 11:00,60,extra,cells');
		lines.push('D');
		expect(() => parseAttendanceReport(new TextEncoder().encode(lines.join('\n')))).toThrow(
			'3 lines could not be read — line 3: the join time “yesterday” is not a date and time; line 4: it has 7 cells but the header has 5 (a stray separator or quote); line 5: it has 1 of the 5 columns.'
		);
	});

	it('reads join and leave times and the meeting, in the day–month order the file uses', () => {
		const teams = parseAttendanceReport(sample('teams-attendance-report.csv'));
		expect(teams.meeting).toEqual({
			title: 'Webinar Wednesday: Neglect',
			start: Date.parse('2026-11-18T09:58:12Z'),
			end: Date.parse('2026-11-18T11:03:40Z'),
			hostEmail: null
		});
		expect(teams.rows[1]).toMatchObject({
			firstJoin: Date.parse('2026-11-18T10:00:02Z'),
			lastLeave: Date.parse('2026-11-18T11:00:40Z')
		});
		// day first, 24-hour clock
		const classic = parseAttendanceReport(sample('teams-classic-utf8-bom.csv'));
		expect(classic.meeting.start).toBe(Date.parse('2026-11-18T09:58:12Z'));
		const zoom = parseAttendanceReport(sample('zoom-participants-host-guests.csv'));
		expect(zoom.meeting).toMatchObject({
			title: 'Webinar Wednesday: Neglect',
			hostEmail: 'webinars@hscp.example'
		});
		// time in the waiting room is kept apart from time in the session
		const priya = zoom.rows.filter((r) => r.email === 'priya@demo.hscp.example');
		expect(priya.map((r) => [r.waitingRoom, r.minutes])).toEqual([
			[true, 2],
			[false, 61]
		]);
		// British Summer Time is UK time too
		const summer = parseAttendanceReport(
			new TextEncoder().encode(
				'Name,Email,Join Time,Duration (Minutes)\nA,a@b.org,2026-07-01 10:00:00,60'
			)
		);
		expect(summer.rows[0]!.firstJoin).toBe(Date.parse('2026-07-01T09:00:00Z'));
	});

	it('dates that could be either order are read so the meeting falls on the session’s day', () => {
		const file = new TextEncoder().encode(
			'Name,Email,Join Time,Duration (Minutes)\nA,a@b.org,01/12/2026 10:00,60'
		);
		expect(parseAttendanceReport(file).rows[0]!.firstJoin).toBe(Date.parse('2026-12-01T10:00:00Z'));
		expect(
			parseAttendanceReport(file, { sessionStart: Date.parse('2026-01-12T10:00:00Z') }).rows[0]!
				.firstJoin
		).toBe(Date.parse('2026-01-12T10:00:00Z'));
	});

	it('reads the older Teams attendance list: joins and leaves added up, no email', () => {
		const report = parseAttendanceReport(sample('teams-attendance-list-legacy.csv'));
		expect(report.source).toBe('Microsoft Teams attendance list');
		expect(
			report.rows.map((r) => [r.name, r.email, Math.round(r.minutes), r.lastLeave !== null])
		).toEqual([
			// still in the meeting when the list was downloaded: counted to the list's end
			['Tom Reed', null, 63, false],
			['Owen Price', null, 61, true],
			['Priya Shah', null, 60, true],
			['Grace Kemp', null, 22, true],
			['Dev Patel', null, 36, true]
		]);
		expect(report.meeting.start).toBe(Date.parse('2026-11-18T09:58:12Z'));
		expect(() =>
			parseAttendanceReport(
				new TextEncoder().encode('Full Name,User Action,Timestamp\nA,Waved,11/18/2026 10:00 AM')
			)
		).toThrow(/^Line 2 could not be read: the action “waved” is not Joined, Joined before or Left/);
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
