import { db, liveRows, type TrainingDatabase } from '$lib/data';
import { syncEngine } from './engine.svelte';

/**
 * A feature's query of the signed-in person's rows as a live view: it runs again when the
 * person changes (a session restored after the page loaded, a sign-out) and gives `null`
 * while nobody is signed in. `current` is undefined until the first answer.
 */
export function signedInView<I, T>(
	query: (database: TrainingDatabase, userId: string, input: I) => T | Promise<T>
) {
	return (input: () => I = () => undefined as I) =>
		liveRows(
			() => [syncEngine.user?.id, input()] as const,
			([userId, value]) => (userId ? query(db, userId, value) : null)
		);
}

/** The session as pages see it: who is signed in, whether the device is online, when it last synced. */
export const session = {
	/** undefined until the device has answered, null when nobody is signed in */
	get user() {
		return syncEngine.user;
	},
	get online() {
		return syncEngine.online;
	},
	get syncing() {
		return syncEngine.syncing;
	},
	get lastSyncedAt() {
		return syncEngine.lastSyncedAt;
	},
	/** see SyncEngine.storage */
	get storage() {
		return syncEngine.storage;
	}
};
