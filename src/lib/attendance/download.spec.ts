import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { TrainingDatabase, type AttendanceEvent, type Session } from '$lib/data';
import { SyncError, type RpcCall } from '$lib/sync';
import { downloadRegister, refreshRegisters, registersToKeep } from './download';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 9, 0);
let db: TrainingDatabase;

const session = (id: string, startsInDays: number): Session => ({
	id,
	course_id: 'c',
	starts_at: new Date(NOW + startsInDays * DAY).toISOString(),
	ends_at: new Date(NOW + startsInDays * DAY + 3_600_000).toISOString(),
	venue_name: 'Hall',
	venue_address: null,
	capacity: 20,
	waitlist_mode: 'offer',
	booking_closes_at: new Date(NOW).toISOString(),
	status: 'scheduled'
});

const event = (id: string, sessionId: string): AttendanceEvent => ({
	id,
	session_id: sessionId,
	booking_id: 'b1',
	walk_in_id: null,
	status: 'present',
	marked_at: new Date(NOW).toISOString(),
	source: 'register',
	supersedes: [],
	marked_by_name: 'Tom'
});

function server(events: Record<string, AttendanceEvent[]>, refused: string[] = []): RpcCall {
	return async (fn, args, reply) => {
		const id = 'p_session_id' in args ? String(args.p_session_id) : '';
		expect(fn).toBe('get_register');
		if (refused.includes(id)) throw new SyncError('refused', 'Only the trainers…', 403, '42501');
		const sheet = {
			session_id: id,
			downloaded_at: new Date(NOW).toISOString(),
			checkin_key: 'a2V5',
			closed_at: null,
			attendees: [],
			walk_ins: [],
			events: events[id] ?? []
		};
		// the reply is checked as the real call checks it
		return v.parse(reply, sheet);
	};
}

beforeEach(async () => {
	db = new TrainingDatabase(`test-${crypto.randomUUID()}`);
	await db.sessions.bulkPut([session('soon', 2), session('later', 20), session('today', 0)]);
	await db.sessionAssignments.bulkPut(
		['soon', 'later', 'today'].map((s) => ({ id: `a-${s}`, session_id: s, trainer_id: 'me' }))
	);
});

describe('registers on the device', () => {
	it('holds the next 7 days by itself, and a later one only when kept offline', async () => {
		expect((await registersToKeep(db, 'me', NOW)).sort()).toEqual(['soon', 'today']);
		await downloadRegister(db, server({}), 'later', true);
		expect((await registersToKeep(db, 'me', NOW)).sort()).toEqual(['later', 'soon', 'today']);
		expect(await registersToKeep(db, 'someone-else', NOW)).toEqual(['later']);
	});

	it('keeps a register a trainer opened for a day, however old its session', async () => {
		await db.sessions.put(session('old', -20));
		await db.sessionAssignments.put({ id: 'a-old', session_id: 'old', trainer_id: 'me' });
		await downloadRegister(db, server({}), 'old', undefined, true);
		const opened = Date.parse((await db.registers.get('old'))!.opened_at!);
		expect(await registersToKeep(db, 'me', opened)).toContain('old');
		// a refresh keeps when it was opened; a day later it goes
		await downloadRegister(db, server({}), 'old');
		expect((await db.registers.get('old'))!.opened_at).toBe(new Date(opened).toISOString());
		expect(await registersToKeep(db, 'me', opened + DAY + 1)).not.toContain('old');
	});

	it('adds the server’s marks to the device’s and never loses one waiting to be sent', async () => {
		await db.attendanceEvents.put(event('local', 'soon'));
		await downloadRegister(db, server({ soon: [event('remote', 'soon')] }), 'soon');
		expect(
			(await db.attendanceEvents.where('session_id').equals('soon').primaryKeys()).sort()
		).toEqual(['local', 'remote']);
	});

	it('drops a register the trainer was taken off, unless marks for it are unsent', async () => {
		await downloadRegister(db, server({}), 'later', false);
		await db.attendanceEvents.put(event('unsent', 'later'));
		await db.outbox.add({
			id: 'o1',
			deviceId: 'd',
			seq: 1,
			userId: 'me',
			name: 'attendance.mark',
			args: { session_id: 'later' },
			entity: 'attendance_event',
			entityId: 'unsent',
			createdAt: new Date(NOW).toISOString(),
			attempts: 0,
			nextAttemptAt: 0,
			lastError: null,
			state: 'pending'
		});
		await refreshRegisters(db, server({}, ['later']), 'me');
		expect(await db.registers.get('later')).toBeDefined();

		await db.outbox.clear();
		await refreshRegisters(db, server({}, ['later']), 'me');
		expect(await db.registers.get('later')).toBeUndefined();
		expect(await db.attendanceEvents.where('session_id').equals('later').count()).toBe(0);
	});
});
