import { getSupabase } from '$lib/supabase';
import {
	PullPageSchema,
	PushReplySchema,
	SyncError,
	checkedReply,
	failureKind,
	type MutationEnvelope,
	type SyncTransport
} from './transport';

interface RpcFailure {
	message: string;
	code?: string;
}

export async function rpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
	const supabase = await getSupabase();
	let response;
	try {
		response = await supabase.rpc(fn, args);
	} catch (error) {
		throw new SyncError('retry', error instanceof Error ? error.message : String(error));
	}
	const { data, error, status } = response;
	if (error) {
		const failure = error as RpcFailure;
		throw new SyncError(
			failureKind(status, failure.code),
			failure.message || `The server answered ${status}`,
			status,
			failure.code ?? ''
		);
	}
	return data as T;
}

export const supabaseTransport: SyncTransport = {
	pull: async (cursor, limit) =>
		checkedReply(
			PullPageSchema,
			await rpc<unknown>('sync_pull', { p_cursor: cursor, p_limit: limit }),
			'sync_pull'
		),
	push: async (deviceId: string, mutations: MutationEnvelope[]) =>
		checkedReply(
			PushReplySchema,
			await rpc<unknown>('sync_push', { p_device_id: deviceId, p_mutations: mutations }),
			'sync_push'
		)
};
