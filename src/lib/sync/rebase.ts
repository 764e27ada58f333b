import {
	PERSONAL_TABLES,
	SYNCED_TABLES,
	getMeta,
	syncedTable,
	tableNameFor,
	type OutboxEntry,
	type ServerCopy,
	type SignedInUser,
	type SyncedTableName,
	type TrainingDatabase
} from '$lib/data';
import { mutationNamed } from './mutation';
import { outboxOf } from './outbox-query';

/** Where the engine keeps who the device belongs to. */
export const USER_KEY = 'signed-in-user';

/** One synced row: its table and primary key. */
export interface RowKey {
	table: SyncedTableName;
	id: string;
}

const keyText = (key: RowKey) => `${key.table}\u0000${key.id}`;

/** The row a change touches, or null for an entity this version does not know. */
export function rowOf(entry: Pick<OutboxEntry, 'entity' | 'entityId'>): RowKey | null {
	const table = tableNameFor(entry.entity);
	return table ? { table, id: entry.entityId } : null;
}

/**
 * The changes the device shows on top of the server's rows, oldest first: the user's
 * outbox (refused ones aside) and what the server took but no pull has confirmed yet.
 */
export async function unconfirmedChanges(database: TrainingDatabase, userId: string) {
	const waiting = (await outboxOf(database, userId)).filter((e) => e.state !== 'rejected');
	const sent = await database.sentChanges
		.where('[userId+seq]')
		.between([userId, 0], [userId, Infinity])
		.toArray();
	return [...waiting, ...sent].sort((a, b) => a.seq - b.seq);
}

/** Runs one change's optimistic effect again; an effect that fails leaves the row as it is. */
export async function replay(database: TrainingDatabase, entry: OutboxEntry, user: SignedInUser) {
	const definition = mutationNamed(entry.name);
	if (!definition) return; // an older or newer app's change: sent as it is, not shown
	try {
		// a nested transaction: the caller awaits a Dexie promise, so its own transaction
		// stays in scope however the effect is written
		await database.transaction('rw', database.tables, () =>
			definition.applyLocally(database, entry.args, user, entry.createdAt)
		);
	} catch (error) {
		console.error(`Could not show the waiting change ${entry.name}`, error);
	}
}

/**
 * Resets each row to the server's copy and replays, in order, the signed-in user's
 * changes still unconfirmed on it. Every way a change ends (confirmed, refused, removed)
 * and every pull converges through here. Runs inside a transaction over all tables.
 */
export async function rebase(database: TrainingDatabase, keys: Iterable<RowKey>) {
	const wanted = new Map([...keys].map((key) => [keyText(key), key]));
	if (wanted.size === 0) return;
	// a device-only row without a copy has no change waiting on it: it is its own truth
	const uncopied = new Map<string, object | null>();
	for (const [text, key] of wanted) {
		const copy = await database.serverCopies.get([key.table, key.id]);
		if (!copy && SYNCED_TABLES[key.table].origin === 'device')
			uncopied.set(text, (await syncedTable(database, key.table).get(key.id)) ?? null);
		else await resetToCopy(database, key, copy);
	}
	const user = await getMeta<SignedInUser>(database, USER_KEY);
	const replayed = new Set<string>();
	if (user) {
		for (const entry of await unconfirmedChanges(database, user.id)) {
			const key = rowOf(entry);
			if (!key || !wanted.has(keyText(key))) continue;
			await replay(database, entry, user);
			replayed.add(keyText(key));
		}
	}
	// A device-only row keeps its confirmed copy while changes wait on it, and drops it
	// once none do.
	for (const [text, key] of wanted) {
		if (SYNCED_TABLES[key.table].origin !== 'device') continue;
		if (!replayed.has(text)) await database.serverCopies.delete([key.table, key.id]);
		else if (uncopied.has(text))
			await database.serverCopies.put({ ...key, row: uncopied.get(text) ?? null });
	}
}

/** Puts the row back as its copy holds it (no copy, or a copy of none: no row). */
async function resetToCopy(database: TrainingDatabase, key: RowKey, copy: ServerCopy | undefined) {
	const table = syncedTable(database, key.table);
	if (copy?.row) await table.put(copy.row);
	else await table.delete(key.id);
}

/**
 * A change the server applied to a row that lives only on this device: it joins the row's
 * confirmed copy (there is no pull to bring it), and what still waits is replayed on top.
 */
export async function confirmOnDevice(database: TrainingDatabase, entry: OutboxEntry, key: RowKey) {
	await resetToCopy(database, key, await database.serverCopies.get([key.table, key.id]));
	const user = await getMeta<SignedInUser>(database, USER_KEY);
	if (user) await replay(database, entry, user);
	const row = (await syncedTable(database, key.table).get(key.id)) ?? null;
	await database.serverCopies.put({ ...key, row });
	await rebase(database, [key]);
}

/** Rebases every row the signed-in user's unconfirmed changes touch (after signing in). */
export async function rebaseAll(database: TrainingDatabase) {
	await inSyncTransaction(database, async () => {
		const user = await getMeta<SignedInUser>(database, USER_KEY);
		if (!user) return;
		const keys = (await unconfirmedChanges(database, user.id)).map(rowOf);
		await rebase(
			database,
			keys.filter((k) => k !== null)
		);
	});
}

/** What the server now holds for some rows of one table: rows to store, ids deleted. */
export interface ServerRows {
	table: SyncedTableName;
	rows: object[];
	deleted: string[];
}

/**
 * Stores rows as the server holds them, in the server copy and on the device, then
 * replays the changes still waiting on any of them. Runs inside a transaction over all
 * tables (`inSyncTransaction`).
 */
export async function storeServerRows(database: TrainingDatabase, groups: ServerRows[]) {
	const touched = new Set<string>();
	for (const { table, rows, deleted } of groups) {
		if (SYNCED_TABLES[table].origin !== 'server') continue;
		const target = syncedTable(database, table);
		const keyPath = target.schema.primKey.keyPath as string;
		const ids = rows.map((row) => String((row as Record<string, unknown>)[keyPath]));
		await database.serverCopies.bulkPut(rows.map((row, i) => ({ table, id: ids[i]!, row })));
		await database.serverCopies.bulkDelete(deleted.map((id) => [table, id]));
		await target.bulkPut(rows);
		await target.bulkDelete(deleted);
		for (const id of [...ids, ...deleted]) touched.add(keyText({ table, id }));
	}
	const user = await getMeta<SignedInUser>(database, USER_KEY);
	if (!user) return;
	const waiting = (await unconfirmedChanges(database, user.id))
		.map(rowOf)
		.filter((key) => key !== null && touched.has(keyText(key))) as RowKey[];
	await rebase(database, waiting);
}

/** A read-write transaction over every table, as storeServerRows and rebase need. */
export function inSyncTransaction<T>(database: TrainingDatabase, work: () => Promise<T>) {
	return database.transaction('rw', database.tables, work);
}

/**
 * Clears every personal table with its server copies, and the sent changes, then runs
 * `then` in the same transaction (at sign-out, and when someone else signs in). The
 * outbox stays: its changes are sent when their owner signs in again.
 */
export async function forgetPersonalData(database: TrainingDatabase, then: () => Promise<unknown>) {
	await inSyncTransaction(database, async () => {
		for (const table of PERSONAL_TABLES) {
			await syncedTable(database, table).clear();
			await database.serverCopies
				.where('[table+id]')
				.between([table, ''], [table, '\uffff'])
				.delete();
		}
		await database.sentChanges.clear();
		await then();
	});
}
