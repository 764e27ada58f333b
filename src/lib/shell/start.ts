import { deferredSync, loadSyncEngine } from '$lib/sync/deferred.svelte';

/**
 * Loads the sync engine and every mutation after the first view and starts syncing; the
 * service worker registers once the first sync has answered (`onStarted`). Returns a stop.
 */
export function startSyncing(onStarted: () => void) {
	let ended = false;
	// every mutation is registered before the first sync replays what waits in the outbox
	void Promise.all([loadSyncEngine(), import('$lib/mutations')]).then(([engine]) => {
		if (ended) return;
		// a trainer's registers for the next 7 days follow each sync (loaded only when syncing)
		engine.addPullStep(async (...args) =>
			(await import('$lib/attendance/download')).refreshRegisters(...args)
		);
		void engine.start().finally(onStarted);
	});
	return () => {
		ended = true;
		deferredSync.engine?.stop();
	};
}
