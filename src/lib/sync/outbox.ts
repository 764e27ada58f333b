import {
	getMeta,
	setMeta,
	type EntityName,
	type OutboxEntry,
	type TrainingDatabase
} from '$lib/data';

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
	entity: EntityName;
	entityId: string;
	/** the optimistic local change, run in the same transaction as the outbox write */
	applyLocally: () => Promise<unknown>;
}

/**
 * Records a user action: its optimistic change and its outbox entry in one Dexie
 * transaction, so neither exists without the other (DESIGN.md §5.1).
 */
export async function recordMutation(database: TrainingDatabase, mutation: Mutation) {
	const device = await deviceId(database);
	return database.transaction('rw', database.tables, async () => {
		await mutation.applyLocally();
		const seq = ((await getMeta<number>(database, SEQ_KEY)) ?? 0) + 1;
		await setMeta(database, SEQ_KEY, seq);
		const entry: OutboxEntry = {
			id: crypto.randomUUID(),
			deviceId: device,
			seq,
			userId: mutation.userId,
			name: mutation.name,
			args: mutation.args,
			entity: mutation.entity,
			entityId: mutation.entityId,
			createdAt: new Date().toISOString(),
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
	limit: number
) {
	const entries = await database.outbox
		.where('[userId+seq]')
		.between([userId, 0], [userId, Infinity])
		.toArray();
	// Mutations apply in order: stop at the first one waiting for its retry time, so nothing
	// overtakes it. Entries that need attention are out of the queue until retried.
	const due: OutboxEntry[] = [];
	for (const entry of entries) {
		if (entry.state !== 'pending') continue;
		if (entry.nextAttemptAt > now) break;
		due.push(entry);
		if (due.length === limit) break;
	}
	return due;
}
