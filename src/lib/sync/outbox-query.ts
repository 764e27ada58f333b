import type { TrainingDatabase } from '$lib/data';

/** A user's outbox, oldest first. (Its own module: the status bar needs only this.) */
export function outboxOf(database: TrainingDatabase, userId: string) {
	return database.outbox.where('[userId+seq]').between([userId, 0], [userId, Infinity]).toArray();
}
