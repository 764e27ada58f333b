import { describe, expect, it } from 'vitest';
import type { AttendanceEvent, RegisterAttendee } from '$lib/data';
import { registerCounts, registerLines, searchLines } from './register-state';

const attendee = (
	id: string,
	name: string,
	status: RegisterAttendee['booking_status'] = 'confirmed'
): RegisterAttendee => ({
	booking_id: id,
	user_id: `u-${id}`,
	booking_status: status,
	full_name: name,
	email: `${name.split(' ')[0]!.toLowerCase()}@example.org`,
	agency: 'Hampshire Constabulary',
	job_role: null
});

let n = 0;
function mark(
	booking: string,
	status: AttendanceEvent['status'],
	minute: number,
	extra: Partial<AttendanceEvent> = {}
): AttendanceEvent {
	return {
		id: `e${++n}`,
		session_id: 's',
		booking_id: booking,
		walk_in_id: null,
		status,
		marked_at: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
		source: 'register',
		supersedes: [],
		marked_by_name: 'Tom',
		...extra
	};
}

const register = {
	attendees: [
		attendee('b1', 'Ana Núñez'),
		attendee('b2', 'Ben Cole'),
		attendee('b3', 'Cat Day', 'waitlisted')
	]
};

describe('register lines', () => {
	it('the status is the latest mark that nobody superseded', () => {
		const first = mark('b1', 'absent', 1);
		const second = mark('b1', 'late', 5, { supersedes: [first.id] });
		const [ana, ben] = registerLines(register, [], [second, first]);
		expect(ana).toMatchObject({ status: 'late', conflict: false });
		expect(ana!.heads.map((h) => h.id)).toEqual([second.id]);
		expect(ben).toMatchObject({ status: null, conflict: false, noShow: false });
	});

	it('two marks made without seeing each other are a conflict, shown with both, until a mark supersedes them', () => {
		const a = mark('b1', 'present', 2, { marked_by_name: 'Tom' });
		const b = mark('b1', 'absent', 3, { marked_by_name: 'Sam' });
		const [ana] = registerLines(register, [], [a, b]);
		expect(ana).toMatchObject({ status: 'absent', conflict: true });
		expect(ana!.heads.map((h) => h.marked_by_name)).toEqual(['Sam', 'Tom']);

		const resolved = mark('b1', 'present', 4, { supersedes: [a.id, b.id] });
		expect(registerLines(register, [], [a, b, resolved])[0]).toMatchObject({
			status: 'present',
			conflict: false
		});
	});

	it('two devices agreeing is not a conflict', () => {
		const [ana] = registerLines(register, [], [mark('b1', 'present', 2), mark('b1', 'present', 3)]);
		expect(ana!.conflict).toBe(false);
	});

	it('a no-show from closing the register gives way to any mark a person made, whatever its time', () => {
		const closure = mark('b1', 'absent', 50, { source: 'closure' });
		expect(registerLines(register, [], [closure])[0]).toMatchObject({
			status: 'absent',
			noShow: true
		});
		const offline = mark('b1', 'late', 20);
		expect(registerLines(register, [], [closure, offline])[0]).toMatchObject({
			status: 'late',
			noShow: false,
			conflict: false
		});
	});

	it('a mark without a status clears the marks it supersedes; after closing that is a no-show', () => {
		const bulk = mark('b1', 'present', 10);
		const undo = mark('b1', 'absent', 11, { status: null, supersedes: [bulk.id] });
		expect(registerLines(register, [], [bulk, undo])[0]).toMatchObject({
			status: null,
			noShow: false,
			conflict: false
		});
		const closure = mark('b1', 'absent', 50, { source: 'closure' });
		expect(registerLines(register, [], [bulk, undo, closure])[0]).toMatchObject({
			status: 'absent',
			noShow: true
		});
		// another device marked present without seeing the undo: the two disagree
		const other = mark('b1', 'late', 12, { supersedes: [bulk.id] });
		expect(registerLines(register, [], [bulk, undo, other])[0]!.conflict).toBe(true);
	});

	it('walk-ins follow the bookings, with their own marks', () => {
		const walkIn = {
			id: 'w1',
			session_id: 's',
			full_name: 'Walk In',
			email: null,
			agency_id: null,
			agency_name: 'Youth club'
		};
		const lines = registerLines(
			register,
			[walkIn],
			[mark('x', 'present', 1, { booking_id: null, walk_in_id: 'w1' })]
		);
		expect(lines.at(-1)).toMatchObject({
			key: 'walk-in:w1',
			status: 'present',
			agency: 'Youth club',
			booking_status: null
		});
	});

	it('counts confirmed and walk-ins; a waiting-list booking counts only once marked; disagreeing marks apart', () => {
		const lines = registerLines(
			register,
			[],
			[mark('b1', 'present', 1), mark('b2', 'present', 1), mark('b2', 'excused', 2)]
		);
		// b2's two devices disagree (present, apologies): counted as neither until decided
		expect(registerCounts(lines)).toEqual({
			present: 1,
			late: 0,
			left_early: 0,
			absent: 0,
			excused: 0,
			unmarked: 0,
			conflicts: 1,
			awaiting: 0
		});
	});

	it('an offline check-in waits on its line, counted apart, until a mark decides it or the register says they came', () => {
		const checkIn = {
			id: 'c1',
			booking_id: 'b1',
			walk_in_id: null,
			status: 'late' as const,
			shown_at: '2026-11-21T10:20:00.000Z',
			scanned_at: '2026-11-21T10:20:05.000Z',
			received_at: '2026-11-21T10:45:00.000Z'
		};
		const waiting = { ...register, offline_checkins: [checkIn] };
		const [ana] = registerLines(waiting, [], []);
		expect(ana!.awaiting).toEqual(checkIn);
		expect(registerCounts(registerLines(waiting, [], []))).toMatchObject({
			awaiting: 1,
			unmarked: 1
		});
		// closing the register made them a no-show: still waiting, and not counted absent
		const closure = mark('b1', 'absent', 50, { source: 'closure' });
		expect(registerCounts(registerLines(waiting, [], [closure]))).toMatchObject({
			awaiting: 1,
			absent: 0
		});
		// the trainer's decision on this device settles it before the register refreshes
		const decided = mark('b1', 'absent', 51, { checkin_id: 'c1', supersedes: [closure.id] });
		expect(registerLines(waiting, [], [closure, decided])[0]!.awaiting).toBeNull();
		// a trainer who had already marked them present has nothing to decide
		expect(registerLines(waiting, [], [mark('b1', 'present', 21)])[0]!.awaiting).toBeNull();
		// marked absent by a person: the check-in is shown, and the line counts as absent
		const absent = registerLines(waiting, [], [mark('b1', 'absent', 21)]);
		expect(absent[0]!.awaiting).toEqual(checkIn);
		expect(registerCounts(absent)).toMatchObject({ awaiting: 0, absent: 1 });
	});

	it('search ignores case and accents and looks at name, email and agency', () => {
		const lines = registerLines(register, [], []);
		expect(searchLines(lines, 'nunez').map((l) => l.full_name)).toEqual(['Ana Núñez']);
		expect(searchLines(lines, 'BEN@').map((l) => l.full_name)).toEqual(['Ben Cole']);
		expect(searchLines(lines, 'constabulary')).toHaveLength(3);
		expect(searchLines(lines, '  ')).toHaveLength(3);
	});
});
