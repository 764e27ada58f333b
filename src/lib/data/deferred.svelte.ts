import type { TrainingDatabase } from './db';

/**
 * Like `liveRows`, for the prerendered public pages and the layout around them: the query
 * gets the device's database as an argument, and Dexie (30 KB gzip) loads after the page has
 * hydrated instead of before (docs/architecture.md, Budgets). `current` is undefined until the first result.
 */
export function deferredRows<I, T>(
	input: () => I,
	query: (input: I, database: TrainingDatabase) => T | Promise<T>
) {
	let current = $state.raw<T | undefined>(undefined);
	let error = $state.raw<unknown>(undefined);
	$effect(() => {
		const value = input();
		let stop: (() => void) | undefined;
		let ended = false;
		// after the current task: the page finishes hydrating before Dexie is requested
		const start = setTimeout(async () => {
			const { watch } = await import('./live-query');
			if (ended) return;
			stop = watch(
				(database) => query(value, database),
				(result) => {
					current = result;
					error = undefined;
				},
				(e) => (error = e)
			);
		});
		return () => {
			ended = true;
			clearTimeout(start);
			stop?.();
		};
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
