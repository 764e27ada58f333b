import type { SyncEngine } from './engine.svelte';

let engine = $state.raw<SyncEngine | undefined>(undefined);
let loading: Promise<SyncEngine> | undefined;

/**
 * The sync engine, loaded after the first view so the prerendered public pages hydrate
 * without Dexie (docs/architecture.md, Budgets). The same instance every other page imports as `syncEngine`.
 */
export function loadSyncEngine(): Promise<SyncEngine> {
	loading ??= import('./engine.svelte').then((m) => (engine = m.syncEngine));
	return loading;
}

/** The engine once loaded: `deferredSync.engine?.user` is undefined until then. */
export const deferredSync = {
	get engine() {
		return engine;
	}
};
