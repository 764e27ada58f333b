import { SYNCED_TABLES, type OutboxEntry, type TrainingDatabase } from '$lib/data';
import { backoffDelay } from './backoff';
import { deviceId, duePushes } from './outbox';
import { confirmOnDevice, inSyncTransaction, rebase, rowOf, type RowKey } from './rebase';
import { SyncError, type PushReply, type SyncTransport } from './transport';

/**
 * A batch is as large as the server takes (sync_push: 500 mutations, 1 MB), so a device
 * back from a day offline sends its evaluations in a few requests, which the server can
 * apply set-wise. The size is counted as JSON here; the server counts its own text of
 * the same JSON, which spaces it out, so the budget leaves room for that.
 */
export const PUSH_BATCH_SIZE = 500;
export const PUSH_BATCH_BYTES = 640 * 1024;

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
		const due = await duePushes(database, userId, now(), PUSH_BATCH_SIZE, PUSH_BATCH_BYTES);
		if (due.length === 0) return acknowledged;
		let reply: PushReply;
		try {
			reply = await transport.push(
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
		acknowledged += await recordResults(database, due, reply);
	}
}

/**
 * What the server said of each change. Applied: kept as sent (still shown) until a pull
 * confirms it. Rejected: the user is told why and the row shows the server's copy again.
 * Invalid, conflict or expired: the change waits for the user, still shown.
 */
async function recordResults(database: TrainingDatabase, sent: OutboxEntry[], reply: PushReply) {
	const byId = new Map(reply.results.map((r) => [r.id, r]));
	let answered = 0;
	let applied = 0;
	await inSyncTransaction(database, async () => {
		const refused: RowKey[] = [];
		for (const entry of sent) {
			const result = byId.get(entry.id);
			if (!result) continue;
			answered++;
			if (result.status === 'applied') {
				applied++;
				await confirm(database, entry, reply.txid ?? null);
			} else if (result.status === 'rejected') {
				await database.outbox.update(entry.id, { state: 'rejected', lastError: result.reason });
				const key = rowOf(entry);
				if (key) refused.push(key);
			} else if (result.status === 'conflict') {
				const { name, args, received_at } = result.stored;
				await database.outbox.update(entry.id, {
					state: 'attention',
					lastError: result.reason,
					attempts: entry.attempts + 1,
					conflict: { name, args, receivedAt: received_at }
				});
			} else {
				const reason = result.status === 'expired' ? result.reason : result.error.message;
				await markForAttention(database, [[entry, reason]]);
			}
		}
		await rebase(database, refused);
	});
	if (answered === 0) {
		throw new SyncError('retry', 'The server answered without results for this batch');
	}
	return applied;
}

/**
 * A change the server applied. A row that comes from the server stays as the device shows
 * it until a pull has passed the push's transaction (settleSentChanges); a row that lives
 * only on this device takes the change into its confirmed copy at once.
 */
async function confirm(database: TrainingDatabase, entry: OutboxEntry, txid: string | null) {
	await database.outbox.delete(entry.id);
	const key = rowOf(entry);
	if (!key || SYNCED_TABLES[key.table].origin === 'server') {
		await database.sentChanges.put({ ...entry, txid });
		return;
	}
	await confirmOnDevice(database, entry, key);
}

/**
 * After a completed pull (and the reads that follow it): sent changes whose transaction
 * the pull's horizon has passed are in the server copies now, so they stop being replayed.
 * Without a horizon (an older server) every sent change counts as pulled.
 */
export async function settleSentChanges(database: TrainingDatabase, horizon: string | undefined) {
	await inSyncTransaction(database, async () => {
		const sent = await database.sentChanges.toArray();
		const settled = sent.filter(
			(change) => !horizon || !change.txid || BigInt(change.txid) < BigInt(horizon)
		);
		if (settled.length === 0) return;
		await database.sentChanges.bulkDelete(settled.map((c) => c.id));
		await rebase(
			database,
			settled.map(rowOf).filter((key) => key !== null)
		);
	});
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
