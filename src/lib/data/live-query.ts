import { liveQuery } from 'dexie';
import { db, type TrainingDatabase } from './db';

/**
 * Follows a query on the device's database: `next` gets the first result and every change.
 * Returns the unsubscribe. Loaded on demand by `deferredRows`.
 */
export function watch<T>(
	query: (database: TrainingDatabase) => T | Promise<T>,
	next: (result: T) => void,
	error: (e: unknown) => void
): () => void {
	const subscription = liveQuery(() => query(db)).subscribe({ next, error });
	return () => subscription.unsubscribe();
}
