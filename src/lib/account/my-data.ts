import * as v from 'valibot';
import { syncEngine } from '$lib/sync';
import { saveFile } from '$lib/ui';

export function myDataFileName(now = new Date()) {
	return `hscp-training-my-data-${now.toISOString().slice(0, 10)}.json`;
}

/**
 * Everything the service holds about the signed-in person (the server's `my_data`), saved
 * as a JSON file. The caller is whoever is signed in: the function takes no id.
 */
export async function downloadMyData(): Promise<{ error: string } | { saved: string }> {
	if (!navigator.onLine)
		return {
			error:
				'You are offline. Downloading your data needs a connection: try again when you are back online.'
		};
	try {
		const data = await syncEngine.call('my_data', {}, v.record(v.string(), v.unknown()));
		const name = myDataFileName();
		saveFile(name, JSON.stringify(data, null, 2), 'application/json');
		return { saved: name };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return { error: `Your data could not be downloaded (${message}). Try again in a moment.` };
	}
}
