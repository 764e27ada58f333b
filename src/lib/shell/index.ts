/**
 * The app's frame: the header's links, the status bar, and the sync engine loaded after the
 * first view. Light on purpose: the prerendered pages import it, and nothing here loads
 * Dexie or the engine before the page has hydrated.
 */
export { deferredRows } from '$lib/data/deferred.svelte';
export { deferredSync } from '$lib/sync/deferred.svelte';
export { startSyncing } from './start';
export { waitingChanges, teachesSessions, holdsStaffRole } from './queries';
