import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingDatabase, setMeta, type OutboxEntry, type Profile } from '$lib/data';
import { defineMutation, type MutationDefinition } from './mutation';
import { outboxOf } from './outbox-query';
import { recordMutation, removeEntry, retryEntry } from './outbox';
import { pullChanges, resetPullCursor } from './pull';
import { pushOutbox, settleSentChanges } from './push';
import { USER_KEY, forgetPersonalData, rebaseAll } from './rebase';
import {
	SyncError,
	type MutationEnvelope,
	type MutationResult,
	type PullPage,
	type PushReply,
	type SyncTransport
} from './transport';

/**
 * The sync engine against a scripted server, over random sequences of local changes,
 * server-side changes, pushes answered, lost or failed, pulls (some stopping short of
 * transactions still running), removals, retries, reloads and signing out and in again.
 * At quiescence the device must equal the server with the still-waiting changes replayed
 * on top, no change may be lost and none applied twice.
 */

const me = { id: 'a0000000-0000-4000-8000-000000000001', email: 'me@example.org' };
const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 400);

// the modelled rows are profiles, their value the name (free text, as the model needs)
const modelRow = (id: string, value: string): Profile => ({
	id,
	email: `${id}@example.org`,
	full_name: value,
	agency_id: null,
	job_role: null
});

// Three mutations: one that sets a server row, one that depends on the row as it is (so
// applying it twice shows), and one on a row that lives only on the device.
const setStatus = defineMutation<{ id: string; value: string }>({
	name: 'model.set',
	entity: 'profile',
	entityId: (args) => args.id,
	applyLocally: (database, args) => database.profiles.put(modelRow(args.id, args.value)),
	describe: (args) => `Set ${args.id} to ${args.value}`
});
const appendStatus = defineMutation<{ id: string; char: string }>({
	name: 'model.append',
	entity: 'profile',
	entityId: (args) => args.id,
	applyLocally: async (database, args) => {
		const row = await database.profiles.get(args.id);
		if (row) await database.profiles.put({ ...row, full_name: `${row.full_name}${args.char}` });
	},
	describe: (args) => `Append ${args.char} to ${args.id}`
});
const scan = defineMutation<{ session_id: string; code: string }>({
	name: 'model.scan',
	entity: 'check_in',
	entityId: (args) => args.session_id,
	applyLocally: (database, args, _user, madeAt) =>
		database.checkIns.put({
			session_id: args.session_id,
			id: args.code,
			code: args.code,
			scanned_at: madeAt,
			step: null
		}),
	describe: (args) => `Scan ${args.code}`
});

type Row = { id: string; status: string };

/** The server: rows, a change log in transaction order, the ledger and how often each id was applied. */
class ModelServer implements SyncTransport {
	rows = new Map<string, Row>();
	log = new Map<string, number>();
	txid = 1;
	ledger = new Map<string, MutationResult>();
	applied = new Map<string, number>();
	mode: 'normal' | 'lost' | 'down' = 'normal';
	/** transactions at the end of the log still running: a pull cannot pass them */
	running = 0;
	pageSize = 2;

	change(id: string, row: Row | null) {
		if (row) this.rows.set(id, row);
		else this.rows.delete(id);
		this.log.set(id, ++this.txid);
	}

	async push(_device: string, mutations: MutationEnvelope[]): Promise<PushReply> {
		if (this.mode === 'down') throw new SyncError('retry', 'The server cannot be reached');
		const txid = ++this.txid;
		const results = mutations.map((m) => {
			const stored = this.ledger.get(m.id);
			if (stored) return stored;
			const result = this.apply(m);
			this.ledger.set(m.id, result);
			return result;
		});
		if (this.mode === 'lost') throw new SyncError('retry', 'The answer was lost');
		return { results, txid: String(txid) };
	}

	apply(m: MutationEnvelope): MutationResult {
		this.applied.set(m.id, (this.applied.get(m.id) ?? 0) + 1);
		const args = m.args as Record<string, string>;
		if (m.name === 'model.set') {
			if (args.value!.startsWith('bad'))
				return {
					id: m.id,
					status: 'invalid',
					error: { code: '22001', message: 'Too long', details: null, hint: null }
				};
			if (args.value!.startsWith('no')) return { id: m.id, status: 'rejected', reason: 'No' };
			this.change(args.id!, { id: args.id!, status: args.value! });
			return { id: m.id, status: 'applied' };
		}
		if (m.name === 'model.append') {
			const row = this.rows.get(args.id!);
			if (!row) return { id: m.id, status: 'rejected', reason: 'No such row' };
			this.change(args.id!, { ...row, status: row.status + args.char! });
			return { id: m.id, status: 'applied' };
		}
		if (args.code!.startsWith('0')) return { id: m.id, status: 'rejected', reason: 'Wrong code' };
		return { id: m.id, status: 'applied' };
	}

	async pull(cursor: string): Promise<PullPage> {
		const [t0, id0] = cursor ? [Number(cursor.split(':')[0]), cursor.split(':')[1]!] : [0, ''];
		const horizon = this.txid + 1 - this.running;
		const entries = [...this.log]
			.filter(([, t]) => t < horizon)
			.sort(([a, ta], [b, tb]) => ta - tb || a.localeCompare(b))
			.filter(([id, t]) => t > t0 || (t === t0 && id > id0));
		const page = entries.slice(0, this.pageSize);
		const last = page.at(-1);
		return {
			changes: page.map(([id]) => {
				const row = this.rows.get(id);
				return { entity: 'profile', id, row: row ? { ...modelRow(id, row.status) } : null };
			}),
			cursor: last ? `${last[1]}:${last[0]}` : cursor,
			more: entries.length > page.length,
			horizon: String(horizon)
		};
	}
}

const ids = fc.constantFrom('r1', 'r2', 'r3');
const operation = fc.oneof(
	{
		arbitrary: fc.record({
			kind: fc.constant('set' as const),
			id: ids,
			value: fc.constantFrom('a', 'b', 'c', 'bad', 'no')
		}),
		weight: 4
	},
	{
		arbitrary: fc.record({
			kind: fc.constant('append' as const),
			id: ids,
			char: fc.constantFrom('x', 'y')
		}),
		weight: 3
	},
	{
		arbitrary: fc.record({
			kind: fc.constant('scan' as const),
			session: fc.constantFrom('s1', 's2'),
			code: fc.constantFrom('111', '022', '333')
		}),
		weight: 2
	},
	{
		arbitrary: fc.record({
			kind: fc.constant('serverSet' as const),
			id: ids,
			value: fc.constantFrom('A', 'B')
		}),
		weight: 2
	},
	{ arbitrary: fc.record({ kind: fc.constant('serverDelete' as const), id: ids }), weight: 1 },
	{
		arbitrary: fc.record({
			kind: fc.constant('push' as const),
			mode: fc.constantFrom('normal', 'normal', 'lost', 'down')
		}),
		weight: 4
	},
	{
		arbitrary: fc.record({
			kind: fc.constant('pull' as const),
			running: fc.constantFrom(0, 0, 1, 2)
		}),
		weight: 4
	},
	{ arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(20) }), weight: 2 },
	{ arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat(20) }), weight: 1 },
	{ arbitrary: fc.constant({ kind: 'reload' as const }), weight: 1 },
	{ arbitrary: fc.constant({ kind: 'signOutAndIn' as const }), weight: 1 }
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

let open: TrainingDatabase[] = [];
afterEach(async () => {
	for (const database of open) database.close();
	open = [];
});

/** One device and one server, driven through a sequence of operations. */
class Run {
	name = `model-${crypto.randomUUID()}`;
	db = this.openDevice();
	server = new ModelServer();
	clock = Date.now();
	made: string[] = [];
	removed = new Set<string>();
	/** scans the device heard were applied, in order, since it last signed in */
	scansConfirmed: { session: string; code: string }[] = [];

	openDevice() {
		const database = new TrainingDatabase(this.name);
		open.push(database);
		return database;
	}

	async record<A extends Record<string, unknown>>(definition: MutationDefinition<A>, args: A) {
		const entry = await recordMutation(this.db, {
			userId: me.id,
			name: definition.name,
			args,
			entity: definition.entity,
			entityId: definition.entityId(args, me),
			applyLocally: (madeAt) => definition.applyLocally(this.db, args, me, madeAt)
		});
		this.made.push(entry.id);
	}

	async push() {
		const waiting = new Map((await outboxOf(this.db, me.id)).map((e) => [e.id, e]));
		const heard = new Map<string, MutationResult>();
		const transport: SyncTransport = {
			pull: (cursor) => this.server.pull(cursor),
			push: async (device, ms) => {
				const reply = await this.server.push(device, ms);
				for (const r of reply.results) if (r.id) heard.set(r.id, r);
				return reply;
			}
		};
		// far enough ahead that every backed-off entry is due
		this.clock += 3_600_000;
		await pushOutbox(this.db, transport, me.id, { now: () => this.clock }).catch((error) => {
			if (!(error instanceof SyncError)) throw error;
		});
		for (const [id, result] of heard) {
			const entry = waiting.get(id);
			if (entry?.name === scan.name && result.status === 'applied')
				this.scansConfirmed.push({
					session: String(entry.args.session_id),
					code: String(entry.args.code)
				});
		}
	}

	async pull() {
		const { horizon } = await pullChanges(this.db, this.server, me.id);
		await settleSentChanges(this.db, horizon);
	}

	async pick(n: number, states: OutboxEntry['state'][]) {
		const entries = (await outboxOf(this.db, me.id)).filter((e) => states.includes(e.state));
		return entries.length ? entries[n % entries.length] : undefined;
	}

	async apply(op: Operation) {
		switch (op.kind) {
			case 'set':
				return this.record(setStatus, { id: op.id, value: op.value });
			case 'append':
				return this.record(appendStatus, { id: op.id, char: op.char });
			case 'scan':
				return this.record(scan, { session_id: op.session, code: op.code });
			case 'serverSet':
				return this.server.change(op.id, { id: op.id, status: op.value });
			case 'serverDelete':
				return this.server.rows.has(op.id) && this.server.change(op.id, null);
			case 'push':
				this.server.mode = op.mode;
				await this.push();
				this.server.mode = 'normal';
				return;
			case 'pull':
				this.server.running = op.running;
				await this.pull();
				this.server.running = 0;
				return;
			case 'remove': {
				const entry = await this.pick(op.pick, ['attention', 'rejected']);
				if (!entry) return;
				this.removed.add(entry.id);
				return removeEntry(this.db, entry.id);
			}
			case 'retry': {
				const entry = await this.pick(op.pick, ['attention']);
				return entry && retryEntry(this.db, entry.id);
			}
			case 'reload':
				this.db.close();
				this.db = this.openDevice();
				return;
			case 'signOutAndIn':
				await forgetPersonalData(this.db, async () => {
					await resetPullCursor(this.db);
					await this.db.meta.delete(USER_KEY);
				});
				await forgetPersonalData(this.db, () => setMeta(this.db, USER_KEY, me));
				await rebaseAll(this.db);
				this.scansConfirmed = [];
				return;
		}
	}

	/** Sends and pulls with a working network until nothing is left to send. */
	async quiesce() {
		for (let round = 0; round < 10; round++) {
			await this.push();
			await this.pull();
			const left = (await outboxOf(this.db, me.id)).filter((e) => e.state === 'pending');
			if (left.length === 0) return;
		}
		throw new Error('The outbox never emptied with a working network');
	}

	/** What the device must show: the server's rows, then the waiting changes replayed. */
	async expected() {
		const values = new Map([...this.server.rows].map(([id, r]) => [id, r.status]));
		const checkIns = new Map<string, string>();
		for (const { session, code } of this.scansConfirmed) checkIns.set(session, code);
		const waiting = (await outboxOf(this.db, me.id)).filter((e) => e.state !== 'rejected');
		for (const entry of waiting) {
			const args = entry.args as Record<string, string>;
			if (entry.name === setStatus.name) values.set(args.id!, args.value!);
			if (entry.name === appendStatus.name && values.has(args.id!))
				values.set(args.id!, values.get(args.id!) + args.char!);
			if (entry.name === scan.name) checkIns.set(args.session_id!, args.code!);
		}
		return { values, checkIns };
	}
}

describe('the sync engine against a scripted server (property)', () => {
	it(`converges, loses nothing and applies nothing twice (${RUNS} random runs)`, async () => {
		let cases = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(operation, { maxLength: 40 }), async (ops) => {
				cases++;
				const run = new Run();
				await setMeta(run.db, USER_KEY, me);
				for (const op of ops) await run.apply(op);
				await run.quiesce();

				const { values, checkIns } = await run.expected();
				const shown = new Map((await run.db.profiles.toArray()).map((b) => [b.id, b.full_name]));
				expect(shown).toEqual(values);
				const scanned = new Map(
					(await run.db.checkIns.toArray()).map((c) => [c.session_id, c.code])
				);
				expect(scanned).toEqual(checkIns);
				// the server's copies are exactly the server's rows
				const copies = await run.db.serverCopies
					.where('[table+id]')
					.between(['profiles', ''], ['profiles', '\uffff'])
					.toArray();
				expect(new Map(copies.map((c) => [c.id, (c.row as Profile).full_name]))).toEqual(
					new Map([...run.server.rows].map(([id, r]) => [id, r.status]))
				);
				expect(await run.db.sentChanges.count()).toBe(0);

				const outbox = new Set((await run.db.outbox.toArray()).map((e) => e.id));
				for (const id of run.made) {
					// every change reached the server, still waits on the device, or was removed by the user
					expect(run.server.ledger.has(id) || outbox.has(id) || run.removed.has(id), id).toBe(true);
					expect(run.server.applied.get(id) ?? 0, id).toBeLessThanOrEqual(1);
				}
				run.db.close();
			}),
			{ numRuns: RUNS }
		);
		console.info(`sync engine property: ${cases} cases run`);
		expect(cases).toBeGreaterThanOrEqual(RUNS);
	}, 300_000);
});
