import * as v from 'valibot';
import { SyncError, syncEngine } from '$lib/sync';
import { saveFile } from '$lib/ui';

/** The account's calls to the SQL API: the caller is whoever is signed in, never an argument. */

/** delete_my_account's SQLSTATE for a trainer with sessions still to run */
const STILL_TRAINING = '55000';

/**
 * Deletes the signed-in person's account on the server (`delete_my_account`: the caller is
 * whoever is signed in), then signs out here, which removes their data from this device.
 * Refused offline, and while changes made on this device have not reached the server, so
 * nothing they entered is lost without them knowing.
 */
export async function deleteMyAccount(
	unsent: number
): Promise<{ error: string } | { deleted: true; bookingsCancelled: number }> {
	if (!navigator.onLine)
		return { error: 'You are offline. Deleting your account needs a connection.' };
	if (unsent > 0)
		return {
			error: `${unsent === 1 ? '1 change' : `${unsent} changes`} made on this device ${unsent === 1 ? 'has' : 'have'} not been sent yet. Wait until they are sent (or download them from the changes page), then delete your account.`
		};
	try {
		const result = await syncEngine.call(
			'delete_my_account',
			{},
			v.object({ deleted: v.boolean(), bookings_cancelled: v.number() })
		);
		await syncEngine.signOut();
		return { deleted: true, bookingsCancelled: result.bookings_cancelled };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		if (error instanceof SyncError && error.code === STILL_TRAINING)
			return {
				error:
					'You are a trainer on sessions still to run. Ask the training team to give your sessions to another trainer, then delete your account.'
			};
		return { error: `Your account could not be deleted (${message}). Try again in a moment.` };
	}
}

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
