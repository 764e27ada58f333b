import { Dexie, type EntityTable, type Table, type Transaction } from 'dexie';
import { SYNCED_TABLES, SYNCED_TABLE_NAMES, tableNameFor, type SyncedTableName } from './entities';
import type {
	Agency,
	AttendanceEvent,
	Booking,
	CheckIn,
	Evaluation,
	EvaluationDraft,
	Followup,
	Course,
	LearningOutcome,
	OutboxEntry,
	Profile,
	Register,
	SentChange,
	ServerCopy,
	Session,
	SessionAssignment,
	StaffRoles,
	WalkIn
} from './types';

export interface MetaEntry {
	key: string;
	value: unknown;
}

/**
 * The device copy: synced rows (the registry in entities.ts), the server's copy of each,
 * the outbox and changes the server has taken but a pull has not yet confirmed.
 */
export class TrainingDatabase extends Dexie {
	agencies!: EntityTable<Agency, 'id'>;
	courses!: EntityTable<Course, 'id'>;
	learningOutcomes!: EntityTable<LearningOutcome, 'id'>;
	sessions!: EntityTable<Session, 'id'>;
	profiles!: EntityTable<Profile, 'id'>;
	staffRoles!: EntityTable<StaffRoles, 'id'>;
	bookings!: EntityTable<Booking, 'id'>;
	sessionAssignments!: EntityTable<SessionAssignment, 'id'>;
	registers!: EntityTable<Register, 'session_id'>;
	attendanceEvents!: EntityTable<AttendanceEvent, 'id'>;
	walkIns!: EntityTable<WalkIn, 'id'>;
	checkIns!: EntityTable<CheckIn, 'session_id'>;
	evaluations!: EntityTable<Evaluation, 'id'>;
	followups!: EntityTable<Followup, 'id'>;
	evaluationDrafts!: EntityTable<EvaluationDraft, 'key'>;
	serverCopies!: Table<ServerCopy, [SyncedTableName, string]>;
	outbox!: EntityTable<OutboxEntry, 'id'>;
	sentChanges!: EntityTable<SentChange, 'id'>;
	meta!: EntityTable<MetaEntry, 'key'>;

	constructor(name = 'hscp-training') {
		super(name);
		// Only the current schema is declared: Dexie upgrades a device from any earlier
		// version by adding what is missing, and every table the earlier versions had is
		// still here, so the outbox is carried across untouched (the e2e test "a new app
		// version upgrades the device database with 200 changes waiting"). Version 5 added
		// the server copies and the sent changes.
		this.version(5)
			.stores({
				...Object.fromEntries(SYNCED_TABLE_NAMES.map((t) => [t, SYNCED_TABLES[t].indexes])),
				serverCopies: '[table+id]',
				outbox: 'id, [userId+seq], state, [entity+entityId]',
				sentChanges: 'id, [userId+seq]',
				meta: 'key'
			})
			.upgrade(seedServerCopies);
	}
}

/**
 * A device from before version 5 has no server copies: each row is taken as the server's,
 * except where a change is waiting, whose entry kept the row as it was before (`previous`).
 * The pull then starts again from the beginning, so every copy is refreshed from the server.
 */
async function seedServerCopies(tx: Transaction) {
	const copies = tx.table<ServerCopy>('serverCopies');
	for (const table of SYNCED_TABLE_NAMES) {
		if (SYNCED_TABLES[table].origin !== 'server') continue;
		const source = tx.table(table);
		const keyPath = source.schema.primKey.keyPath as string;
		const rows = await source.toArray();
		await copies.bulkPut(rows.map((row) => ({ table, id: String(row[keyPath]), row })));
	}
	const seen = new Set<string>();
	const entries = await tx.table<OutboxEntry>('outbox').orderBy('[userId+seq]').toArray();
	for (const entry of entries) {
		const table = tableNameFor(entry.entity);
		const key = `${entry.entity}:${entry.entityId}`;
		if (!table || seen.has(key) || entry.state === 'rejected') continue;
		seen.add(key);
		if (SYNCED_TABLES[table].origin === 'device' || entry.previous === undefined) {
			if (SYNCED_TABLES[table].origin === 'device' && entry.previous)
				await copies.put({ table, id: entry.entityId, row: entry.previous });
			continue;
		}
		if (entry.previous === null) await copies.delete([table, entry.entityId]);
		else await copies.put({ table, id: entry.entityId, row: entry.previous });
	}
	await tx.table('meta').delete('pull-cursor');
}

export const db = new TrainingDatabase();

/** A synced table of the device copy, by its name in the registry. */
export function syncedTable(database: TrainingDatabase, table: SyncedTableName) {
	return database.table(table) as Table<object, string>;
}

/** The Dexie table that holds an entity's rows, or null for one this version does not know. */
export function tableFor(database: TrainingDatabase, entity: string): Table<object, string> | null {
	const table = tableNameFor(entity);
	return table ? syncedTable(database, table) : null;
}

export async function getMeta<T>(database: TrainingDatabase, key: string): Promise<T | undefined> {
	return (await database.meta.get(key))?.value as T | undefined;
}

export async function setMeta(database: TrainingDatabase, key: string, value: unknown) {
	await database.meta.put({ key, value });
}
