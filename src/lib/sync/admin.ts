import type * as v from 'valibot';
import { SyncError, callRpc, type RpcArgs, type RpcName } from '$lib/supabase';

/**
 * Calls an admin RPC directly. Admin changes are not queued: they need a connection and
 * the answer at once (the screens say so when offline). A refusal is a SyncError whose
 * message is written for people and whose `field` names the form field, if any.
 */
export async function adminCall<F extends RpcName, S extends v.GenericSchema>(
	fn: F,
	args: RpcArgs<F>,
	reply: S
): Promise<v.InferOutput<S>> {
	if (!navigator.onLine) {
		throw new SyncError(
			'refused',
			'You are offline. Admin changes need a connection.',
			0,
			'offline'
		);
	}
	return callRpc(fn, args, reply);
}
