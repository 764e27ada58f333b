import { checkPulledRow, getMeta, setMeta, tableNameFor, type TrainingDatabase } from '$lib/data';
import { inSyncTransaction, storeServerRows, type ServerRows } from './rebase';
import { SyncError, type PulledChange, type SyncTransport } from './transport';

export const PULL_PAGE_SIZE = 1000;
const CURSOR_KEY = 'pull-cursor';

/**
 * Stores one page of pulled changes as the server's copies and on the device, then
 * replays the changes still waiting on those rows on top: a pull never hides a change the
 * user made, and never keeps a row the server has moved on from.
 */
export async function applyPulledChanges(database: TrainingDatabase, changes: PulledChange[]) {
	const byTable = new Map<string, ServerRows>();
	for (const change of changes) {
		// an entity this version of the app does not know yet is skipped, not an error
		const table = tableNameFor(change.entity);
		if (!table) continue;
		// a row this version cannot read stops the pull before anything of the page is stored:
		// the cursor stays, and the status bar says what could not be read
		const problem = change.row && checkPulledRow(change.entity, change.row);
		if (problem) throw new SyncError('retry', `Could not sync: ${problem}`, 0, 'reply_shape');
		const group = byTable.get(table) ?? { table, rows: [], deleted: [] };
		if (change.row) group.rows.push(change.row);
		else group.deleted.push(change.id);
		byTable.set(table, group);
	}
	await inSyncTransaction(database, () => storeServerRows(database, [...byTable.values()]));
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
): Promise<PullResult> {
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
		if (!(resuming && rolesChanged)) return { pulled, horizon: page.horizon };
		await resetPullCursor(database);
		const again = await pullChanges(database, transport, who);
		return { pulled: pulled + again.pulled, horizon: again.horizon };
	}
}

/** How many changes a pull stored, and the horizon of its last page (see settleSentChanges). */
export interface PullResult {
	pulled: number;
	horizon: string | undefined;
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
