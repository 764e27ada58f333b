import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttendanceEvent, RegisterAttendee } from '$lib/data';
import { parseAttendanceReport } from './attendance-report';
import { DEFAULT_RULES, planImport, stableId, statusFor } from './import-plan';
import { reportMismatches } from './report-checks';
import { foldName } from './report-people';
import { registerLines } from './register-state';

const fixture = (name: string) =>
	parseAttendanceReport(
		new Uint8Array(
			readFileSync(new URL(`../../../tests/fixtures/attendance-reports/${name}`, import.meta.url))
		)
	);
const teams = fixture('teams-attendance-report.csv');

const attendee = (id: string, email: string, fullName = id): RegisterAttendee => ({
	booking_id: id,
	user_id: `u-${id}`,
	booking_status: 'confirmed',
	full_name: fullName,
	email,
	agency: null,
	job_role: null
});
const register = {
	attendees: [
		attendee('priya', 'Priya@demo.hscp.example', 'Priya Shah'),
		attendee('owen', 'owen.price@hants.police.example', 'Owen Price'),
		attendee('grace', 'grace.kemp@school.example', 'Grace Kemp'),
		attendee('nobody', 'absent@example.org', 'Nora Body')
	]
};
/** the webinar the fixtures come from: Wednesday 18 November 2026, 10 to 11am */
const session = {
	starts_at: '2026-11-18T10:00:00Z',
	ends_at: '2026-11-18T11:00:00Z',
	trainers: [{ full_name: 'Tess Trainer', email: 'tess@hscp.example' }]
};
const marks = (plan: ReturnType<typeof planImport>) =>
	plan.marks.map((m) => [m.line.key, m.status, m.matchedBy]);

describe('planning an import', () => {
	it('matches by email in any case; the times decide the mark; the organiser is left out', () => {
		const plan = planImport(teams, registerLines(register, [], []), session, DEFAULT_RULES);
		expect(marks(plan)).toEqual([
			['priya', 'present', 'email'],
			['owen', 'present', 'email'],
			// in the meeting from 10:00 to 11:00 but for 22 minutes of it
			['grace', 'left_early', 'email']
		]);
		expect(plan.marks.every((m) => m.change)).toBe(true);
		expect(plan.unmatched.map((r) => r.name)).toEqual(['Dev Patel', 'Unknown Guest']);
		expect(plan.leftOut.map((l) => [l.row.name, l.reason])).toEqual([
			['Tom Reed', "the meeting's organizer"]
		]);
	});

	it('a Zoom report: late, left early and both from join and leave times; guests matched by name; hosts, trainers, devices, dial-ins and the waiting room left out', () => {
		const zoom = fixture('zoom-participants-host-guests.csv');
		const people = {
			attendees: [
				attendee('priya', 'priya@demo.hscp.example', 'Priya Shah'),
				attendee('ana', 'ana.nunez@council.example', 'Ana Nunez'),
				attendee('liam', 'liam.latecomer@hants.police.example', 'Liam Latecomer'),
				attendee('erin', 'erin.early@nhs.example', 'Erin Early'),
				attendee('bo', 'bo.both@school.example', 'Bo Both')
			]
		};
		const plan = planImport(zoom, registerLines(people, [], []), session, DEFAULT_RULES);
		expect(plan.marks.map((m) => [m.line.key, m.status, m.timing, m.matchedBy])).toEqual([
			['priya', 'present', null, 'email'],
			// joined 24 minutes late and stayed to the end: late, not left early
			['liam', 'late', 'late', 'email'],
			['erin', 'left_early', 'early', 'email'],
			['bo', 'left_early', 'both', 'email'],
			// "Núñez, Ana" with no email is the one Ana Nunez booked: matched, to check
			['ana', 'present', null, 'name']
		]);
		expect(plan.leftOut.map((l) => [l.row.name, l.reason])).toEqual([
			['HSCP Webinars', 'the meeting’s host'],
			['Tess Trainer', 'a trainer of this session'],
			['Priya Shah', 'only in the waiting room'],
			['iPhone', 'a device’s name, not a person’s'],
			['+44 20 7946 0123', 'joined by phone: no name to mark'],
			['Waiting Wendy', 'only in the waiting room']
		]);
		expect(plan.unmatched).toEqual([]);
	});

	it('the older Teams list has no emails: everyone is matched by name, for the trainer to check', () => {
		const legacy = fixture('teams-attendance-list-legacy.csv');
		const people = {
			attendees: [...register.attendees, attendee('dev', 'dev@nhs.example', 'PATEL, Dev')]
		};
		const plan = planImport(legacy, registerLines(people, [], []), session, DEFAULT_RULES);
		expect(marks(plan)).toEqual([
			['owen', 'present', 'name'],
			['priya', 'present', 'name'],
			['grace', 'left_early', 'name'],
			// joined at 10:24
			['dev', 'late', 'name']
		]);
		expect(plan.unmatched.map((r) => r.name)).toEqual(['Tom Reed']);
	});

	it('a name two people on the register share is not matched by name', () => {
		const twins = {
			attendees: [
				attendee('a', 'one@example.org', 'Sam Smith'),
				attendee('b', 'two@example.org', 'Sam Smith')
			]
		};
		const report = parseAttendanceReport(
			new TextEncoder().encode('Name,Email,Duration (Minutes)\nSam Smith,,60')
		);
		const plan = planImport(report, registerLines(twins, [], []), session, DEFAULT_RULES);
		expect(plan.marks).toEqual([]);
		expect(plan.unmatched.map((r) => r.name)).toEqual(['Sam Smith']);
	});

	it('names compare without case, accents, punctuation, word order or a trailing note', () => {
		expect(foldName('Núñez, Ana')).toBe(foldName('ana nunez'));
		expect(foldName('Owen Price (Owen P)')).toBe(foldName('Price Owen'));
		expect(foldName("Siobhán O'Neill")).toBe(foldName('siobhan o neill'));
		expect(foldName('Ana Nunez')).not.toBe(foldName('Ana Nunes'));
	});

	it('the thresholds are the trainer’s', () => {
		const row = {
			minutes: 37,
			firstJoin: Date.parse('2026-11-18T10:24:00Z'),
			lastLeave: Date.parse('2026-11-18T11:00:45Z')
		};
		expect(statusFor(row, session, DEFAULT_RULES).status).toBe('late');
		expect(statusFor(row, session, { ...DEFAULT_RULES, lateMinutes: 30 }).status).toBe('present');
		const away = { ...row, firstJoin: Date.parse('2026-11-18T10:00:00Z'), minutes: 40 };
		expect(statusFor(away, session, DEFAULT_RULES).status).toBe('left_early');
		expect(statusFor(away, session, { ...DEFAULT_RULES, sharePercent: 60 }).status).toBe('present');
		// without times, the share of the session alone
		const bare = { minutes: 44.9, firstJoin: null, lastLeave: null };
		expect(statusFor(bare, session, DEFAULT_RULES).status).toBe('left_early');
		expect(statusFor({ ...bare, minutes: 45 }, session, DEFAULT_RULES).status).toBe('present');
	});

	it('a row matched by hand joins the register line the trainer chose, a left-out one too', () => {
		const dev = teams.rows.find((r) => r.name === 'Dev Patel')!;
		const tom = teams.rows.find((r) => r.name === 'Tom Reed')!;
		const plan = planImport(
			teams,
			registerLines(register, [], []),
			session,
			DEFAULT_RULES,
			new Map([
				[dev.line, 'nobody'],
				[tom.line, 'owen']
			])
		);
		expect(plan.marks.find((m) => m.line.key === 'nobody')).toMatchObject({
			status: 'present',
			matchedBy: 'hand'
		});
		expect(plan.marks.find((m) => m.line.key === 'owen')!.matchedBy).toBe('hand');
		expect(plan.leftOut).toEqual([]);
	});

	it('once applied, the same file plans no changes', () => {
		const first = planImport(teams, registerLines(register, [], []), session, DEFAULT_RULES);
		const events: AttendanceEvent[] = first.marks.map((m, i) => ({
			id: `e${i}`,
			session_id: 's',
			booking_id: m.line.booking_id,
			walk_in_id: null,
			status: m.status,
			marked_at: '2026-11-18T11:05:00Z',
			source: 'import',
			supersedes: [],
			marked_by_name: 'Tom'
		}));
		const again = planImport(teams, registerLines(register, [], events), session, DEFAULT_RULES);
		expect(again.marks.filter((m) => m.change)).toEqual([]);
	});

	it('stable ids are UUIDs that depend only on their parts', async () => {
		const a = await stableId('session', 'booking', 'present');
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(await stableId('session', 'booking', 'present')).toBe(a);
		expect(await stableId('session', 'booking', 'left_early')).not.toBe(a);
	});
});

describe('checking a report against the session', () => {
	it('a report from another day, or of another meeting, is named; the right one passes', () => {
		expect(reportMismatches(teams, session, 'Neglect: recognising and responding')).toEqual([]);
		expect(
			reportMismatches(teams, { starts_at: '2026-12-01T10:00:00Z' }, 'Neglect: recognising')
		).toEqual([
			'The report is for a meeting on Wednesday 18 November 2026; this session was on Tuesday 1 December 2026.'
		]);
		expect(reportMismatches(teams, session, 'Domestic abuse and its impact')).toEqual([
			"The report's meeting is called “Webinar Wednesday: Neglect”; this session is “Domestic abuse and its impact”."
		]);
		expect(reportMismatches(fixture('semicolons-excel-europe.csv'), session, 'Neglect')).toEqual([
			'The report does not say when the meeting took place, so it cannot be checked against this session.'
		]);
		// the older list has no summary: its first join says the day
		expect(
			reportMismatches(fixture('teams-attendance-list-legacy.csv'), session, 'Neglect')
		).toEqual([]);
	});
});
