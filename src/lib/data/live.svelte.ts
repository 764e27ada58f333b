import { liveQuery } from 'dexie';

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
