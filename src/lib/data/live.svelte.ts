import { liveQuery } from 'dexie';
import { db, type TrainingDatabase } from './db';

/**
 * A Dexie live query as rune state. `current` is undefined until the first result and then
 * follows every change to the tables the query reads. `input` is read reactively: when it
 * changes (a route parameter, a filter) the query restarts.
 */
export function liveRows<I, T>(input: () => I, query: (input: I) => T | Promise<T>) {
	let current = $state.raw<T | undefined>(undefined);
	let error = $state.raw<unknown>(undefined);
	$effect(() => {
		const value = input();
		const subscription = liveQuery(() => query(value)).subscribe({
			next: (result) => {
				current = result;
				error = undefined;
			},
			error: (e: unknown) => (error = e)
		});
		return () => subscription.unsubscribe();
	});
	return {
		get current() {
			return current;
		},
		get error() {
			return error;
		}
	};
}

/**
 * A feature's query over the device's database as a live view a page can hold:
 * `const view = courseView(() => id)` in a component, then `view.current`. Pages call
 * views and never the database (docs/architecture.md, Layers).
 */
export function liveView<I, T>(query: (database: TrainingDatabase, input: I) => T | Promise<T>) {
	return (input: () => I = () => undefined as I) => liveRows(input, (value) => query(db, value));
}
