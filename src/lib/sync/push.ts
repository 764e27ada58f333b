import { tableFor, type OutboxEntry, type TrainingDatabase } from '$lib/data';
import { backoffDelay } from './backoff';
import { deviceId, duePushes } from './outbox';
import { SyncError, type MutationResult, type SyncTransport } from './transport';

export const PUSH_BATCH_SIZE = 100;

export interface PushOptions {
	now?: () => number;
	random?: () => number;
}

/**
 * Sends the user's outbox in order, in batches, until it is empty or a call fails.
 * Throws SyncError('retry' | 'auth') for the engine to handle; nothing is ever dropped:
 * what the server refuses stays in the outbox marked as needing attention.
 */
export async function pushOutbox(
	database: TrainingDatabase,
	transport: SyncTransport,
	userId: string,
	{ now = Date.now, random = Math.random }: PushOptions = {}
) {
	const device = await deviceId(database);
	let acknowledged = 0;
	for (;;) {
		const due = await duePushes(database, userId, now(), PUSH_BATCH_SIZE);
		if (due.length === 0) return acknowledged;
		let results: MutationResult[];
		try {
			results = await transport.push(
				device,
				due.map(({ id, seq, name, args }) => ({ id, seq, name, args }))
			);
		} catch (error) {
			const failure = error instanceof SyncError ? error : new SyncError('retry', String(error));
			if (failure.kind === 'retry')
				await scheduleRetry(database, due, failure.message, now(), random);
			if (failure.kind === 'refused') {
				await markForAttention(
					database,
					due.map((e) => [e, failure.message])
				);
				continue;
			}
			throw failure;
		}
		acknowledged += await recordResults(database, due, results);
	}
}

async function recordResults(
	database: TrainingDatabase,
	sent: OutboxEntry[],
	results: MutationResult[]
) {
	const byId = new Map(results.map((r) => [r.id, r]));
	const done: string[] = [];
	const refused: [OutboxEntry, string][] = [];
	const rejected: [OutboxEntry, string][] = [];
	for (const entry of sent) {
		const result = byId.get(entry.id);
		if (!result) continue;
		if (result.status === 'applied') done.push(entry.id);
		else if (result.status === 'rejected') rejected.push([entry, result.reason]);
		else refused.push([entry, result.error.message]);
	}
	await database.transaction('rw', database.tables, async () => {
		await database.outbox.bulkDelete(done);
		await markForAttention(database, refused);
		for (const [entry, reason] of rejected) await undo(database, entry, reason);
	});
	if (done.length + refused.length + rejected.length === 0) {
		throw new SyncError('retry', 'The server answered without results for this batch');
	}
	return done.length;
}

/**
 * A business refusal: the user is told why (the entry stays, marked rejected, until they
 * dismiss it) and the optimistic change is undone — unless a later change to the same row
 * is still waiting, which then owns the row.
 */
async function undo(database: TrainingDatabase, entry: OutboxEntry, reason: string) {
	await database.outbox.update(entry.id, { state: 'rejected', lastError: reason });
	const later = await database.outbox
		.where('[entity+entityId]')
		.equals([entry.entity, entry.entityId])
		.filter((e) => e.seq > entry.seq && e.state !== 'rejected')
		.count();
	const table = tableFor(database, entry.entity);
	if (later > 0 || !table || entry.previous === undefined) return;
	if (entry.previous === null) await table.delete(entry.entityId);
	else await table.put(entry.previous);
}

async function markForAttention(database: TrainingDatabase, refused: [OutboxEntry, string][]) {
	for (const [entry, reason] of refused) {
		await database.outbox.update(entry.id, {
			state: 'attention',
			lastError: reason,
			attempts: entry.attempts + 1
		});
	}
}

async function scheduleRetry(
	database: TrainingDatabase,
	due: OutboxEntry[],
	reason: string,
	now: number,
	random: () => number
) {
	await database.transaction('rw', database.outbox, async () => {
		for (const entry of due) {
			const attempts = entry.attempts + 1;
			await database.outbox.update(entry.id, {
				attempts,
				nextAttemptAt: now + backoffDelay(attempts, random),
				lastError: reason
			});
		}
	});
}
