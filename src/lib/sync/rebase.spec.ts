import { beforeEach, describe, expect, it } from 'vitest';
import { TrainingDatabase } from '$lib/data';
import { defineMutation } from './mutation';
import { recordMutation, removeEntry } from './outbox';
import { pushOutbox, settleSentChanges } from './push';
import { USER_KEY } from './rebase';
import { ScriptedTransport, alice, saveName, serverName, shownName } from './spec-helpers';
import { SyncError, type MutationEnvelope, type MutationResult } from './transport';

// Each way a change ends converges on the server's copy with the waiting changes on top.

let db: TrainingDatabase;
beforeEach(async () => {
	db = new TrainingDatabase(`test-${crypto.randomUUID()}`);
	await db.meta.put({ key: USER_KEY, value: alice });
});

describe('converging on the server (rebase)', () => {
	const answer =
		(result: Record<string, unknown>) =>
		(ms: MutationEnvelope[]): MutationResult[] =>
			ms.map((m) => ({ id: m.id, ...result }) as MutationResult);

	it('removing a refused change shows the server’s newer row, pulled while it waited', async () => {
		await serverName(db, 'Alice');
		const long = await saveName(db, alice, 'x'.repeat(300));
		const invalid = answer({
			status: 'invalid',
			error: { code: '22001', message: 'Too long', details: null, hint: null }
		});
		await pushOutbox(db, new ScriptedTransport([invalid]), alice.id);
		await serverName(db, 'Alice Renamed');
		expect(await shownName(db)).toBe('x'.repeat(300));
		await removeEntry(db, long.id);
		expect(await shownName(db)).toBe('Alice Renamed');
	});

	it('a rejection shows the server’s row as it is now, not as it was before the change', async () => {
		await serverName(db, 'Before');
		await saveName(db, alice, 'Refused');
		await serverName(db, 'Changed by an admin meanwhile');
		const rejected = answer({ status: 'rejected', reason: 'No' });
		await pushOutbox(db, new ScriptedTransport([rejected]), alice.id);
		expect(await shownName(db)).toBe('Changed by an admin meanwhile');
	});

	it('an applied change stays shown until a pull has passed its transaction', async () => {
		await serverName(db, 'Old');
		await saveName(db, alice, 'New');
		await pushOutbox(db, new ScriptedTransport(), alice.id);
		expect(await db.outbox.count()).toBe(0);
		// a pull that stopped short of the push's transaction (txid 100) confirms nothing
		await settleSentChanges(db, '99');
		expect(await db.sentChanges.count()).toBe(1);
		expect(await shownName(db)).toBe('New');
		await serverName(db, 'New, as the server saved it');
		await settleSentChanges(db, '101');
		expect(await db.sentChanges.count()).toBe(0);
		expect(await shownName(db)).toBe('New, as the server saved it');
	});

	it('a change the server took but whose answer was lost is replayed once, then the pulled row stands', async () => {
		await serverName(db, 'Old');
		await saveName(db, alice, 'New');
		const lost = new ScriptedTransport([() => new SyncError('retry', 'Network lost')]);
		await expect(pushOutbox(db, lost, alice.id, { random: () => 0 })).rejects.toThrow();
		// the server had applied it: its row arrives with the change still waiting on top
		await serverName(db, 'New (saved)');
		expect(await shownName(db)).toBe('New');
		await pushOutbox(db, new ScriptedTransport(), alice.id, { now: () => Date.now() + 60_000 });
		await settleSentChanges(db, '200');
		expect(await shownName(db)).toBe('New (saved)');
	});

	it('a conflict waits for the user with both versions; an expired change waits with the reason', async () => {
		await saveName(db, alice, 'Mine');
		await saveName(db, alice, 'Also mine');
		const transport = new ScriptedTransport([
			(ms) => [
				{
					id: ms[0]!.id,
					status: 'conflict',
					reason: 'This change was sent before with different content',
					stored: {
						name: 'test.rename',
						args: { full_name: 'Theirs' },
						received_at: '2026-11-30T10:00:00Z'
					}
				},
				{ id: ms[1]!.id, status: 'expired', reason: 'This change was sent more than 90 days ago' }
			]
		]);
		await pushOutbox(db, transport, alice.id);
		expect(await db.outbox.orderBy('[userId+seq]').toArray()).toMatchObject([
			{
				state: 'attention',
				lastError: 'This change was sent before with different content',
				args: { full_name: 'Mine' },
				conflict: { name: 'test.rename', args: { full_name: 'Theirs' } }
			},
			{ state: 'attention', lastError: 'This change was sent more than 90 days ago' }
		]);
		expect(await shownName(db)).toBe('Also mine');
	});
});

describe('a row that lives only on this device', () => {
	const checkIn = defineMutation<{ session_id: string; code: string }>({
		name: 'test.check_in',
		entity: 'check_in',
		entityId: (args) => args.session_id,
		applyLocally: (database, args, _user, madeAt) =>
			database.checkIns.put({
				session_id: args.session_id,
				id: `${args.session_id}-${args.code}`,
				scanned_at: madeAt,
				code: args.code,
				step: null
			}),
		describe: (args) => `Check in ${args.code}`
	});
	const scan = (code: string) => {
		const args = { session_id: 's1', code };
		return recordMutation(db, {
			userId: alice.id,
			name: checkIn.name,
			args,
			entity: 'check_in',
			entityId: 's1',
			applyLocally: (madeAt) => checkIn.applyLocally(db, args, alice, madeAt)
		});
	};
	const reply = (status: 'applied' | 'rejected') =>
		new ScriptedTransport([
			(ms) =>
				ms.map((m) =>
					status === 'applied' ? { id: m.id, status } : { id: m.id, status, reason: 'Wrong code' }
				)
		]);

	it('keeps an accepted change as its confirmed state, and returns to it when a later one is refused', async () => {
		await scan('111111');
		await pushOutbox(db, reply('applied'), alice.id);
		expect(await db.sentChanges.count()).toBe(0);
		expect(await db.serverCopies.count()).toBe(0);
		expect((await db.checkIns.get('s1'))?.code).toBe('111111');

		await scan('222222');
		expect((await db.checkIns.get('s1'))?.code).toBe('222222');
		await pushOutbox(db, reply('rejected'), alice.id);
		expect((await db.checkIns.get('s1'))?.code).toBe('111111');
	});

	it('removes the row a refused first change made', async () => {
		await scan('333333');
		await pushOutbox(db, reply('rejected'), alice.id);
		expect(await db.checkIns.get('s1')).toBeUndefined();
	});
});
