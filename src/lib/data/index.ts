export { db, tableFor, syncedTable, getMeta, setMeta, TrainingDatabase } from './db';
export {
	SYNCED_TABLES,
	SYNCED_TABLE_NAMES,
	PERSONAL_TABLES,
	tableNameFor,
	type SyncedTableName
} from './entities';
export type * from './types';
export { checkPulledRow, PULLED_ROWS } from './rows';
export { liveRows, liveView } from './live.svelte';
