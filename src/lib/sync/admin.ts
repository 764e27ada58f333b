import { getSupabase } from '$lib/supabase';

/** A change the server refused, with its reason as the server wrote it for people. */
export class AdminError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly field: string | null
	) {
		super(message);
		this.name = 'AdminError';
	}
}

/**
 * Calls an admin RPC directly. Admin changes are not queued: they need a connection and
 * the answer at once (the screens say so when offline).
 */
export async function adminCall<T>(fn: string, args: Record<string, unknown>): Promise<T> {
	if (!navigator.onLine) {
		throw new AdminError('You are offline. Admin changes need a connection.', 'offline', null);
	}
	const supabase = await getSupabase();
	const { data, error } = await supabase.rpc(fn, args);
	if (error) {
		throw new AdminError(error.message, error.code ?? '', (error.details as string | null) ?? null);
	}
	return data as T;
}
