import type { TrainingDatabase } from '$lib/data';
import { outboxOf } from '$lib/sync/outbox-query';

/**
 * What the header and the status bar read from the device, for the signed-in person (the
 * id) or nobody. Given the database as an argument: the shell loads Dexie after the first
 * view has hydrated. Undefined answers mean "not known yet".
 */

export async function waitingChanges(userId: string | undefined, database: TrainingDatabase) {
	return userId ? outboxOf(database, userId) : [];
}

/** whether the person is assigned to any session (the header shows My sessions) */
export async function teachesSessions(userId: string | undefined, database: TrainingDatabase) {
	return userId
		? (await database.sessionAssignments.where('trainer_id').equals(userId).count()) > 0
		: undefined;
}

/** whether the person holds any staff role (the header shows Impact) */
export async function holdsStaffRole(userId: string | undefined, database: TrainingDatabase) {
	return userId ? ((await database.staffRoles.get(userId))?.roles.length ?? 0) > 0 : undefined;
}
