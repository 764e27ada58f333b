import { getMeta, setMeta, tableFor, type TrainingDatabase } from '$lib/data';
import type { PulledChange, SyncTransport } from './transport';

export const PULL_PAGE_SIZE = 1000;
const CURSOR_KEY = 'pull-cursor';

/**
 * Stores one page of pulled changes. A row that still has an unacknowledged local mutation
 * is left as it is: the user's change wins until the server has answered for it.
 */
export async function applyPulledChanges(database: TrainingDatabase, changes: PulledChange[]) {
	await database.transaction('rw', database.tables, async () => {
		// rejected entries have been undone locally: the server's row may overwrite them
		const pending = new Set(
			(await database.outbox.where('state').anyOf('pending', 'attention').toArray()).map(
				(entry) => `${entry.entity}:${entry.entityId}`
			)
		);
		const byEntity = new Map<string, { puts: object[]; deletes: string[] }>();
		for (const change of changes) {
			if (pending.has(`${change.entity}:${change.id}`)) continue;
			const group = byEntity.get(change.entity) ?? { puts: [], deletes: [] };
			if (change.row) group.puts.push(change.row);
			else group.deletes.push(change.id);
			byEntity.set(change.entity, group);
		}
		for (const [entity, { puts, deletes }] of byEntity) {
			// an entity this version of the app does not know yet is skipped, not an error
			const table = tableFor(database, entity);
			if (!table) continue;
			await table.bulkPut(puts);
			await table.bulkDelete(deletes);
		}
	});
}

/**
 * Pulls every page the server has for the caller, advancing the stored cursor per page.
 * The cursor belongs to whoever pulled (`who`: a user id, or 'anon'): a pull for someone
 * else starts from the beginning. When the caller's roles change mid-stream (made a
 * trainer or an admin), rows they may now read were logged before the cursor: the pull
 * starts again from the beginning once.
 */
export async function pullChanges(
	database: TrainingDatabase,
	transport: SyncTransport,
	who = 'anon'
): Promise<number> {
	const stored = await getMeta<{ who: string; cursor: string }>(database, CURSOR_KEY);
	let cursor = stored?.who === who ? stored.cursor : '';
	let rolesChanged = false;
	const resuming = cursor !== '';
	let pulled = 0;
	for (;;) {
		const page = await transport.pull(cursor, PULL_PAGE_SIZE);
		await applyPulledChanges(database, page.changes);
		rolesChanged ||= page.changes.some((c) => c.entity === 'staff_roles');
		cursor = page.cursor;
		await setMeta(database, CURSOR_KEY, { who, cursor });
		pulled += page.changes.length;
		if (page.more) continue;
		if (!(resuming && rolesChanged)) return pulled;
		await resetPullCursor(database);
		return pulled + (await pullChanges(database, transport, who));
	}
}

/** Stores and returns the time of a completed sync. */
export async function recordSyncTime(database: TrainingDatabase, key: string) {
	const now = new Date().toISOString();
	await setMeta(database, key, now);
	return now;
}

/** Forgets the cursor so the next pull starts again, e.g. after a different user signs in. */
export async function resetPullCursor(database: TrainingDatabase) {
	await database.meta.delete(CURSOR_KEY);
}
