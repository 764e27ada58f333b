import {
	SYNCED_TABLES,
	getMeta,
	setMeta,
	syncedTable,
	type EntityName,
	type OutboxEntry,
	type TrainingDatabase
} from '$lib/data';

import { outboxOf } from './outbox-query';
import { inSyncTransaction, rebase, rowOf } from './rebase';

const DEVICE_KEY = 'device-id';
const SEQ_KEY = 'outbox-seq';

/** This browser's id, created once and kept with the outbox. */
export async function deviceId(database: TrainingDatabase): Promise<string> {
	return database.transaction('rw', database.meta, async () => {
		const existing = await getMeta<string>(database, DEVICE_KEY);
		if (existing) return existing;
		const id = crypto.randomUUID();
		await setMeta(database, DEVICE_KEY, id);
		return id;
	});
}

export interface Mutation {
	userId: string;
	name: string;
	args: Record<string, unknown>;
	description?: string;
	entity: EntityName;
	entityId: string;
	/** the optimistic local change (given when it was made), in the same transaction as the outbox write */
	applyLocally: (madeAt: string) => Promise<unknown>;
}

/**
 * Records a user action: its optimistic change and its outbox entry in one Dexie
 * transaction, so neither exists without the other (docs/architecture.md, sync guarantee 1).
 * A row that lives only on this device has no server copy to go back to: the first change
 * waiting on it keeps the row as it was, to return to if the server refuses the change.
 */
export async function recordMutation(database: TrainingDatabase, mutation: Mutation) {
	const device = await deviceId(database);
	return inSyncTransaction(database, async () => {
		const key = rowOf(mutation);
		if (key && SYNCED_TABLES[key.table].origin === 'device') {
			const confirmed = await database.serverCopies.get([key.table, key.id]);
			if (!confirmed) {
				const row = (await syncedTable(database, key.table).get(key.id)) ?? null;
				await database.serverCopies.put({ ...key, row });
			}
		}
		const createdAt = new Date().toISOString();
		await mutation.applyLocally(createdAt);
		const seq = ((await getMeta<number>(database, SEQ_KEY)) ?? 0) + 1;
		await setMeta(database, SEQ_KEY, seq);
		const entry: OutboxEntry = {
			id: crypto.randomUUID(),
			deviceId: device,
			seq,
			userId: mutation.userId,
			name: mutation.name,
			args: mutation.args,
			description: mutation.description,
			entity: mutation.entity,
			entityId: mutation.entityId,
			createdAt,
			attempts: 0,
			nextAttemptAt: 0,
			lastError: null,
			state: 'pending'
		};
		await database.outbox.add(entry);
		return entry;
	});
}

/** Entries a user's next push should send, oldest first. */
export async function duePushes(
	database: TrainingDatabase,
	userId: string,
	now: number,
	limit: number,
	maxBytes = Infinity
) {
	// Mutations apply in order: stop at the first one waiting for its retry time, so nothing
	// overtakes it. Entries that need attention are out of the queue until retried. A batch
	// ends before the entry that would take it past maxBytes (as sent: id, seq, name, args);
	// an entry larger than that on its own is sent alone, for the server to answer.
	const due: OutboxEntry[] = [];
	let bytes = 2;
	for (const entry of await outboxOf(database, userId)) {
		if (entry.state !== 'pending') continue;
		if (entry.nextAttemptAt > now) break;
		const { id, seq, name, args } = entry;
		const size = utf8Length(JSON.stringify({ id, seq, name, args })) + 1;
		if (due.length && bytes + size > maxBytes) break;
		due.push(entry);
		bytes += size;
		if (due.length === limit) break;
	}
	return due;
}

const encoder = new TextEncoder();
const utf8Length = (text: string) => encoder.encode(text).length;

/** When the user's next waiting entry may be sent, or null if nothing is waiting. */
export async function nextAttemptAt(database: TrainingDatabase, userId: string) {
	const pending = (await outboxOf(database, userId)).filter((e) => e.state === 'pending');
	return pending.length ? Math.min(...pending.map((e) => e.nextAttemptAt)) : null;
}

/** Puts an entry that needed attention back in the queue, to be sent at once. */
export async function retryEntry(database: TrainingDatabase, id: string) {
	await database.outbox.update(id, { state: 'pending', nextAttemptAt: 0 });
}

/**
 * Removes an entry the user has chosen to give up (after exporting it, if they wished), or
 * a refusal they have read: the row shows the server's copy again, with any other change
 * still waiting on it.
 */
export async function removeEntry(database: TrainingDatabase, id: string) {
	await inSyncTransaction(database, async () => {
		const entry = await database.outbox.get(id);
		if (!entry) return;
		await database.outbox.delete(id);
		const key = rowOf(entry);
		if (key) await rebase(database, [key]);
	});
}

/** A user's unsynced entries as a JSON document they can keep or send to the partnership. */
export async function exportOutbox(database: TrainingDatabase, userId: string) {
	const entries = await outboxOf(database, userId);
	return JSON.stringify(
		{
			exportedAt: new Date().toISOString(),
			app: 'HSCP Training',
			userId,
			changes: entries.map(
				({ id, name, description, args, createdAt, state, lastError, conflict }) => ({
					id,
					name,
					description,
					args,
					createdAt,
					state,
					reason: lastError,
					// the version the partnership already holds under this id, if it differs
					...(conflict ? { receivedVersion: conflict } : {})
				})
			)
		},
		null,
		2
	);
}
