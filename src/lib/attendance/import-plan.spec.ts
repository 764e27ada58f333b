import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttendanceEvent } from '$lib/data';
import { parseAttendanceReport } from './attendance-report';
import { planImport, stableId, statusFor } from './import-plan';
import { registerLines } from './register-state';

const teams = parseAttendanceReport(
	new Uint8Array(
		readFileSync(
			new URL(
				'../../../tests/fixtures/attendance-reports/teams-attendance-report.csv',
				import.meta.url
			)
		)
	)
);
const attendee = (id: string, email: string) => ({
	booking_id: id,
	user_id: `u-${id}`,
	booking_status: 'confirmed' as const,
	full_name: id,
	email,
	agency: null,
	job_role: null
});
const register = {
	attendees: [
		attendee('priya', 'Priya@demo.hscp.example'),
		attendee('owen', 'owen.price@hants.police.example'),
		attendee('grace', 'grace.kemp@school.example'),
		attendee('nobody', 'absent@example.org')
	]
};

describe('planning an import', () => {
	it('matches by email in any case, marks present from 75% of the session, otherwise left early, and sets hosts apart', () => {
		const plan = planImport(teams, registerLines(register, [], []), 60, 75);
		expect(plan.marks.map((m) => [m.line.key, m.status, m.change])).toEqual([
			['priya', 'present', true],
			['owen', 'present', true],
			['grace', 'left_early', true]
		]);
		expect(plan.unmatched.map((r) => r.name)).toEqual(['Dev Patel', 'Unknown Guest']);
		expect(plan.hosts.map((r) => r.name)).toEqual(['Tom Reed']);
	});

	it('the share is configurable', () => {
		expect(statusFor(44.9, 60, 75)).toBe('left_early');
		expect(statusFor(45, 60, 75)).toBe('present');
		expect(statusFor(42, 60, 70)).toBe('present');
		expect(
			planImport(teams, registerLines(register, [], []), 60, 30).marks.every(
				(m) => m.status === 'present'
			)
		).toBe(true);
	});

	it('a row matched by hand joins the register line the trainer chose', () => {
		const dev = teams.rows.find((r) => r.name === 'Dev Patel')!;
		const plan = planImport(
			teams,
			registerLines(register, [], []),
			60,
			75,
			new Map([[dev.line, 'nobody']])
		);
		expect(plan.marks.find((m) => m.line.key === 'nobody')).toMatchObject({ status: 'present' });
		expect(plan.unmatched.map((r) => r.name)).toEqual(['Unknown Guest']);
	});

	it('once applied, the same file plans no changes', () => {
		const first = planImport(teams, registerLines(register, [], []), 60, 75);
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
		const again = planImport(teams, registerLines(register, [], events), 60, 75);
		expect(again.marks.filter((m) => m.change)).toEqual([]);
	});

	it('stable ids are UUIDs that depend only on their parts', async () => {
		const a = await stableId('session', 'booking', 'present');
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(await stableId('session', 'booking', 'present')).toBe(a);
		expect(await stableId('session', 'booking', 'left_early')).not.toBe(a);
	});
});
