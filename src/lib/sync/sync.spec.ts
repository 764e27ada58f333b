import { beforeEach, describe, expect, it } from 'vitest';
import { TrainingDatabase, getMeta } from '$lib/data';
import { recordMutation } from './outbox';
import { applyPulledChanges, pullChanges } from './pull';
import { backoffDelay } from './backoff';
import { PUSH_BATCH_BYTES, pushOutbox } from './push';
import { USER_KEY } from './rebase';
import {
	ScriptedTransport,
	alice,
	bob,
	profile,
	saveName,
	serverName,
	shownName
} from './spec-helpers';
import { SyncError } from './transport';

let db: TrainingDatabase;
beforeEach(async () => {
	db = new TrainingDatabase(`test-${crypto.randomUUID()}`);
	await db.meta.put({ key: USER_KEY, value: alice });
});

describe('recordMutation', () => {
	it('writes the optimistic row and the outbox entry together, with increasing seq', async () => {
		const first = await saveName(db, alice, 'Alice A');
		const second = await saveName(db, alice, 'Alice B');
		expect((await db.profiles.get(alice.id))?.full_name).toBe('Alice B');
		expect(await db.outbox.count()).toBe(2);
		expect(second.seq).toBe(first.seq + 1);
		expect(second.deviceId).toBe(first.deviceId);
	});

	it('writes neither when the local change fails', async () => {
		await expect(
			recordMutation(db, {
				userId: alice.id,
				name: 'profile.update',
				args: {},
				entity: 'profile',
				entityId: alice.id,
				applyLocally: async () => {
					await db.profiles.put(profile(alice, 'half written'));
					throw new Error('disk full');
				}
			})
		).rejects.toThrow('disk full');
		expect(await db.profiles.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});
});

describe('applyPulledChanges', () => {
	it('stores rows, deletes tombstones and skips entities it does not know', async () => {
		await db.courses.put({ id: 'gone' } as never);
		await applyPulledChanges(db, [
			{
				entity: 'agency',
				id: 'x',
				row: { id: 'x', name: 'Hampshire Constabulary', sector: 'police' }
			},
			{ entity: 'course', id: 'gone', row: null },
			{ entity: 'something_new', id: 'y', row: { id: 'y' } }
		]);
		expect(await db.agencies.get('x')).toEqual({
			id: 'x',
			name: 'Hampshire Constabulary',
			sector: 'police'
		});
		expect(await db.courses.get('gone')).toBeUndefined();
	});

	it('keeps the server’s row apart and shows a waiting change on top of it', async () => {
		await saveName(db, alice, 'Typed offline');
		await serverName(db, 'Renamed by an admin');
		expect(await shownName(db)).toBe('Typed offline');
		expect(await db.serverCopies.get(['profiles', alice.id])).toMatchObject({
			row: { full_name: 'Renamed by an admin' }
		});
	});
});

describe('pullChanges', () => {
	it('never resumes from a cursor that belongs to someone else', async () => {
		const transport = new ScriptedTransport();
		await db.meta.put({ key: 'pull-cursor', value: { who: 'anon', cursor: '99:9' } });
		await pullChanges(db, transport, alice.id);
		expect(transport.pulls).toEqual(['']);
	});

	it('follows pages until the server has no more and keeps the cursor', async () => {
		const transport = new ScriptedTransport(
			[],
			[
				{
					changes: [{ entity: 'agency', id: '1', row: { id: '1', name: 'A', sector: 'police' } }],
					cursor: '10:1',
					more: true
				},
				{
					changes: [{ entity: 'agency', id: '2', row: { id: '2', name: 'B', sector: 'health' } }],
					cursor: '10:2',
					more: false
				}
			]
		);
		expect((await pullChanges(db, transport)).pulled).toBe(2);
		expect(transport.pulls).toEqual(['', '10:1']);
		expect(await getMeta(db, 'pull-cursor')).toEqual({ who: 'anon', cursor: '10:2' });
		await pullChanges(db, transport);
		expect(transport.pulls.at(-1)).toBe('10:2');
	});

	it('stops at a row it cannot read: nothing of the page stored, the cursor kept, the field named', async () => {
		const transport = new ScriptedTransport(
			[],
			[
				{
					changes: [{ entity: 'agency', id: '1', row: { id: '1', name: 'A', sector: 'police' } }],
					cursor: '10:1',
					more: true
				},
				{
					changes: [
						{ entity: 'agency', id: '2', row: { id: '2', name: 'B', sector: 'health' } },
						{ entity: 'agency', id: '3', row: { id: '3', name: 'C', sector: 'space_agency' } }
					],
					cursor: '10:3',
					more: false
				}
			]
		);
		const failure = await pullChanges(db, transport).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(SyncError);
		expect((failure as SyncError).code).toBe('reply_shape');
		expect((failure as SyncError).message).toMatch(
			/the server's agency 3 could not be read \(at sector\)/
		);
		expect((await db.agencies.toArray()).map((a) => a.id)).toEqual(['1']);
		expect(await getMeta(db, 'pull-cursor')).toEqual({ who: 'anon', cursor: '10:1' });
	});
});

describe('pushOutbox', () => {
	it('sends the user’s entries in order and removes the acknowledged ones', async () => {
		await saveName(db, alice, 'One');
		await saveName(db, bob, 'Bob’s change');
		await saveName(db, alice, 'Two');
		const transport = new ScriptedTransport();
		expect(await pushOutbox(db, transport, alice.id)).toBe(2);
		expect(transport.pushed.flat().map((m) => m.args.full_name)).toEqual(['One', 'Two']);
		// Bob's change is never sent under Alice's session
		expect((await db.outbox.toArray()).map((e) => e.userId)).toEqual([bob.id]);
	});

	it('sends batches as large as the server takes: at most 500 changes and about 640 KB each', async () => {
		for (let i = 0; i < 1_050; i++) await saveName(db, alice, `Name ${i}`);
		const transport = new ScriptedTransport();
		expect(await pushOutbox(db, transport, alice.id)).toBe(1_050);
		expect(transport.pushed.map((b) => b.length)).toEqual([500, 500, 50]);

		// large changes: a batch ends before the one that would take it past the budget
		for (let i = 0; i < 5; i++) await saveName(db, alice, 'x'.repeat(200_000 + i));
		const big = new ScriptedTransport();
		expect(await pushOutbox(db, big, alice.id)).toBe(5);
		expect(big.pushed.map((b) => b.length)).toEqual([3, 2]);
		for (const batch of big.pushed)
			expect(new TextEncoder().encode(JSON.stringify(batch)).length).toBeLessThan(PUSH_BATCH_BYTES);
		expect(big.pushed.flat().map((m) => (m.args.full_name as string).length)).toEqual([
			200_000, 200_001, 200_002, 200_003, 200_004
		]);
	});

	it('keeps a refused mutation with the server’s reason for the user to see', async () => {
		await saveName(db, alice, 'x'.repeat(300));
		const transport = new ScriptedTransport([
			(ms) =>
				ms.map((m) => ({
					id: m.id,
					status: 'invalid',
					error: {
						code: '22001',
						message: 'Full name must be 200 characters or fewer',
						details: null,
						hint: null
					}
				}))
		]);
		await pushOutbox(db, transport, alice.id);
		const [entry] = await db.outbox.toArray();
		expect(entry?.state).toBe('attention');
		expect(await shownName(db)).toBe('x'.repeat(300));
		expect(entry?.lastError).toBe('Full name must be 200 characters or fewer');
		// it is out of the queue: the next push does not resend it
		await pushOutbox(db, transport, alice.id);
		expect(transport.pushed).toHaveLength(1);
	});

	it('keeps everything and backs off when the server cannot be reached', async () => {
		await saveName(db, alice, 'Offline change');
		const transport = new ScriptedTransport([() => new SyncError('retry', 'Failed to fetch')]);
		await expect(
			pushOutbox(db, transport, alice.id, { now: () => 1_000, random: () => 0 })
		).rejects.toThrow('Failed to fetch');
		const [entry] = await db.outbox.toArray();
		expect(entry).toMatchObject({
			state: 'pending',
			attempts: 1,
			nextAttemptAt: 1_500,
			lastError: 'Failed to fetch'
		});
		// not due yet: nothing is sent
		expect(await pushOutbox(db, transport, alice.id, { now: () => 1_200 })).toBe(0);
		expect(transport.pushed).toHaveLength(1);
		// due again: sent and acknowledged
		expect(await pushOutbox(db, transport, alice.id, { now: () => 1_600 })).toBe(1);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.sentChanges.count()).toBe(1);
	});

	it('hands an expired session back to the engine without touching the outbox', async () => {
		await saveName(db, alice, 'Change');
		const transport = new ScriptedTransport([
			() => new SyncError('auth', 'JWT expired', 401, 'PGRST303')
		]);
		await expect(pushOutbox(db, transport, alice.id)).rejects.toMatchObject({ kind: 'auth' });
		expect(await db.outbox.toArray()).toMatchObject([{ state: 'pending', attempts: 0 }]);
	});
});

describe('a business rejection', () => {
	it('shows the server’s row again and keeps the reason for the user', async () => {
		await serverName(db, 'Before');
		await saveName(db, alice, 'Refused');
		const transport = new ScriptedTransport([
			(ms) => ms.map((m) => ({ id: m.id, status: 'rejected', reason: 'Profiles are locked' }))
		]);
		await pushOutbox(db, transport, alice.id);
		expect((await db.profiles.get(alice.id))?.full_name).toBe('Before');
		expect(await db.outbox.toArray()).toMatchObject([
			{ state: 'rejected', lastError: 'Profiles are locked' }
		]);
	});

	it('leaves the row alone when a later change to it is still waiting', async () => {
		await saveName(db, alice, 'Refused');
		await saveName(db, alice, 'Later');
		const transport = new ScriptedTransport([
			(ms) => [
				{ id: ms[0]!.id, status: 'rejected', reason: 'No' },
				{
					id: ms[1]!.id,
					status: 'invalid',
					error: { code: 'X', message: 'Later failed', details: null, hint: null }
				}
			]
		]);
		await pushOutbox(db, transport, alice.id);
		expect((await db.profiles.get(alice.id))?.full_name).toBe('Later');
	});

	it('removes a row that did not exist before the refused change', async () => {
		await saveName(db, alice, 'New');
		const transport = new ScriptedTransport([
			(ms) => ms.map((m) => ({ id: m.id, status: 'rejected', reason: 'No' }))
		]);
		await pushOutbox(db, transport, alice.id);
		expect(await db.profiles.get(alice.id)).toBeUndefined();
	});
});

describe('pullChanges after a change of role', () => {
	it('starts again from the beginning to fetch rows the new role may read', async () => {
		const transport = new ScriptedTransport(
			[],
			[
				{
					changes: [
						{
							entity: 'staff_roles',
							id: alice.id,
							row: { id: alice.id, roles: [{ role: 'trainer', agency_id: null }] }
						}
					],
					cursor: '20:1',
					more: false
				},
				{
					changes: [
						{
							entity: 'booking',
							id: 'b1',
							row: {
								id: 'b1',
								session_id: 's',
								user_id: bob.id,
								status: 'confirmed',
								waitlisted_at: null,
								offer_expires_at: null,
								created_at: '2026-01-01T00:00:00Z',
								cancelled_at: null
							}
						}
					],
					cursor: '20:5',
					more: false
				}
			]
		);
		await db.meta.put({ key: 'pull-cursor', value: { who: alice.id, cursor: '10:1' } });
		await pullChanges(db, transport, alice.id);
		expect(transport.pulls).toEqual(['10:1', '']);
		expect(await db.bookings.get('b1')).toBeDefined();
	});
});

describe('backoffDelay', () => {
	it('doubles per attempt with jitter and is capped at five minutes', () => {
		expect(backoffDelay(1, () => 0)).toBe(500);
		expect(backoffDelay(1, () => 1)).toBe(1_000);
		expect(backoffDelay(4, () => 1)).toBe(8_000);
		expect(backoffDelay(30, () => 1)).toBe(300_000);
	});
});
