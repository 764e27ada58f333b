import type { EntityName } from './types';

/**
 * Every device table that holds synced rows, in one registry: its Dexie indexes, the
 * entities whose rows it keeps, whether it is personal (cleared at sign-out and when
 * another person signs in) and where its truth lives. `server` rows come from the server
 * (sync_pull or a feature's download) and keep a server copy; `device` rows exist only on
 * this device, so a change the server accepts becomes their new confirmed state.
 */
export interface TableSpec {
	indexes: string;
	entities: readonly EntityName[];
	personal: boolean;
	origin: 'server' | 'device';
}

export const SYNCED_TABLES = {
	agencies: { indexes: 'id, name', entities: ['agency'], personal: false, origin: 'server' },
	courses: {
		indexes: 'id, &slug, status, format',
		entities: ['course'],
		personal: false,
		origin: 'server'
	},
	learningOutcomes: {
		indexes: 'id, course_id',
		entities: ['learning_outcome'],
		personal: false,
		origin: 'server'
	},
	sessions: {
		indexes: 'id, course_id, starts_at',
		entities: ['session'],
		personal: false,
		origin: 'server'
	},
	profiles: { indexes: 'id', entities: ['profile'], personal: true, origin: 'server' },
	staffRoles: { indexes: 'id', entities: ['staff_roles'], personal: true, origin: 'server' },
	bookings: {
		indexes: 'id, session_id, user_id',
		entities: ['booking', 'walk_in_place'],
		personal: true,
		origin: 'server'
	},
	sessionAssignments: {
		indexes: 'id, session_id, trainer_id',
		entities: ['session_assignment'],
		personal: true,
		origin: 'server'
	},
	registers: { indexes: 'session_id', entities: ['register'], personal: true, origin: 'server' },
	attendanceEvents: {
		indexes: 'id, session_id',
		entities: ['attendance_event'],
		personal: true,
		origin: 'server'
	},
	walkIns: { indexes: 'id, session_id', entities: ['walk_in'], personal: true, origin: 'server' },
	checkIns: { indexes: 'session_id', entities: ['check_in'], personal: true, origin: 'device' },
	evaluations: {
		indexes: 'id, session_id',
		entities: ['evaluation'],
		personal: true,
		origin: 'server'
	},
	followups: {
		indexes: 'id, session_id',
		entities: ['followup'],
		personal: true,
		origin: 'server'
	},
	evaluationDrafts: {
		indexes: 'key, session_id',
		entities: ['evaluation_draft'],
		personal: true,
		origin: 'device'
	}
} as const satisfies Record<string, TableSpec>;

export type SyncedTableName = keyof typeof SYNCED_TABLES;

const TABLE_OF = new Map<string, SyncedTableName>(
	Object.entries(SYNCED_TABLES).flatMap(([table, spec]) =>
		spec.entities.map((entity) => [entity, table as SyncedTableName] as const)
	)
);

/** The table that keeps an entity's rows, or null for one this version does not know. */
export function tableNameFor(entity: string): SyncedTableName | null {
	return TABLE_OF.get(entity) ?? null;
}

export const SYNCED_TABLE_NAMES = Object.keys(SYNCED_TABLES) as SyncedTableName[];

export const PERSONAL_TABLES = SYNCED_TABLE_NAMES.filter((t) => SYNCED_TABLES[t].personal);
