import { callRpc, jsonArg } from '$lib/supabase';
import { PullPageSchema, PushReplySchema, type SyncTransport } from './transport';

export const supabaseTransport: SyncTransport = {
	pull: (cursor, limit) =>
		callRpc('sync_pull', { p_cursor: cursor, p_limit: limit }, PullPageSchema),
	push: (deviceId, mutations) =>
		callRpc(
			'sync_push',
			{ p_device_id: deviceId, p_mutations: jsonArg(mutations) },
			PushReplySchema
		)
};
