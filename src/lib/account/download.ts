import { syncEngine } from '$lib/sync';
import { saveFile } from '$lib/ui';

export function unsyncedExportName(now = new Date()) {
	return `hscp-training-unsynced-changes-${now.toISOString().slice(0, 10)}.json`;
}

/** Saves a copy of the user's unsynced changes as a JSON file they keep. */
export async function saveUnsyncedChanges(userId: string) {
	saveFile(unsyncedExportName(), await syncEngine.exportChanges(userId), 'application/json');
}
