import { db, type Register, type TrainingDatabase } from '$lib/data';
import { RegisterDownload } from './register-download';
import {
	SyncError,
	inSyncTransaction,
	storeServerRows,
	syncEngine,
	type PullStep,
	type RpcCall
} from '$lib/sync';

const DAY = 24 * 60 * 60 * 1000;
/** registers of sessions starting within this many days come down by themselves */
export const AUTO_DOWNLOAD_DAYS = 7;

/**
 * Fetches one register and stores it as the server holds it. Marks and walk-ins never
 * change once made, so the server's copies are added to what the device has; marks, walk-ins
 * and a closing still waiting to be sent are replayed on top (nothing a trainer entered is
 * overwritten).
 */
export async function downloadRegister(
	database: TrainingDatabase,
	call: RpcCall,
	sessionId: string,
	pinned?: boolean,
	opened = false
) {
	const sheet = await call('get_register', { p_session_id: sessionId }, RegisterDownload);
	// the server's time when it answered, less this device's now: an underestimate by the
	// time the answer took to arrive, which is well inside a code's grace
	const clockOffset = Date.parse(sheet.downloaded_at) - Date.now();
	await inSyncTransaction(database, async () => {
		const existing = await database.registers.get(sessionId);
		const { walk_ins, events, ...register } = sheet;
		const row: Register = {
			...register,
			clock_offset_ms: Number.isFinite(clockOffset) ? clockOffset : 0,
			pinned: pinned ?? existing?.pinned ?? false
		};
		const openedAt = opened ? new Date().toISOString() : existing?.opened_at;
		if (openedAt) row.opened_at = openedAt;
		await storeServerRows(database, [
			{ table: 'registers', rows: [row], deleted: [] },
			{ table: 'walkIns', rows: walk_ins, deleted: [] },
			{ table: 'attendanceEvents', rows: events, deleted: [] }
		]);
	});
}

/** Whether a session's register comes down by itself (it starts within 7 days). */
export function autoDownloads(session: { starts_at: string; ends_at: string }, now = Date.now()) {
	return (
		Date.parse(session.starts_at) <= now + AUTO_DOWNLOAD_DAYS * DAY &&
		Date.parse(session.ends_at) >= now - DAY
	);
}

/**
 * Downloads a register now, with the signed-in user's session (a screen asked for it). It is
 * kept for a day from then, however old its session, so a register a trainer has open is
 * not taken away by the next pull.
 */
export function downloadRegisterNow(sessionId: string, pinned?: boolean) {
	return downloadRegister(db, syncEngine.call, sessionId, pinned, true);
}

/** Sessions whose registers this device should hold now. */
export async function registersToKeep(database: TrainingDatabase, userId: string, now: number) {
	const assigned = await database.sessionAssignments.where('trainer_id').equals(userId).toArray();
	const sessions = await database.sessions.bulkGet(assigned.map((a) => a.session_id));
	const soon = sessions.filter((s) => s && s.status === 'scheduled' && autoDownloads(s, now));
	const held = await database.registers.toArray();
	const keep = new Set(soon.map((s) => s!.id));
	for (const r of held) {
		const session = await database.sessions.get(r.session_id);
		const recent = session && Date.parse(session.ends_at) >= now - 14 * DAY;
		const opened = r.opened_at && Date.parse(r.opened_at) >= now - DAY;
		if (r.pinned || opened || (recent && !r.closed_at)) keep.add(r.session_id);
	}
	return [...keep];
}

/** Drops registers the device no longer needs, unless marks for them are still unsent. */
export async function pruneRegisters(database: TrainingDatabase, keep: string[]) {
	const wanted = new Set(keep);
	for (const register of await database.registers.toArray()) {
		if (wanted.has(register.session_id)) continue;
		const id = register.session_id;
		await inSyncTransaction(database, async () => {
			const events = await database.attendanceEvents.where('session_id').equals(id).primaryKeys();
			const walkIns = await database.walkIns.where('session_id').equals(id).primaryKeys();
			const unsent = await database.outbox
				.filter((e) => (e.args as { session_id?: string }).session_id === id)
				.count();
			if (unsent) return;
			await storeServerRows(database, [
				{ table: 'attendanceEvents', rows: [], deleted: events },
				{ table: 'walkIns', rows: [], deleted: walkIns },
				{ table: 'registers', rows: [], deleted: [id] }
			]);
		});
	}
}

/** After each pull: the next 7 days' registers and the pinned ones are refreshed. */
export const refreshRegisters: PullStep = async (database, call, userId) => {
	const keep = await registersToKeep(database, userId, Date.now());
	const kept: string[] = [];
	for (const sessionId of keep) {
		try {
			await downloadRegister(database, call, sessionId);
			kept.push(sessionId);
		} catch (error) {
			// no longer this person's register (taken off the session): let it go
			if (!(error instanceof SyncError && error.kind === 'refused')) throw error;
		}
	}
	await pruneRegisters(database, kept);
};
