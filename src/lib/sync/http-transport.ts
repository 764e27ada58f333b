import {
	PullPageSchema,
	PushReplySchema,
	SyncError,
	checkedReply,
	failureKind,
	type MutationEnvelope,
	type SyncTransport
} from './transport';

/** One RPC over plain HTTP (PostgREST's protocol); a refusal becomes a SyncError. */
export function httpRpc(url: string, apiKey: string, accessToken?: () => string | undefined) {
	return async function rpc(fn: string, body: unknown): Promise<unknown> {
		const token = accessToken?.() ?? apiKey;
		let response: Response;
		try {
			response = await fetch(`${url}/rest/v1/rpc/${fn}`, {
				method: 'POST',
				headers: {
					apikey: apiKey,
					authorization: `Bearer ${token}`,
					'content-type': 'application/json'
				},
				body: JSON.stringify(body)
			});
		} catch (error) {
			throw new SyncError('retry', error instanceof Error ? error.message : String(error));
		}
		const payload = await response.json().catch(() => null);
		if (!response.ok) {
			const code = typeof payload?.code === 'string' ? payload.code : '';
			const message = payload?.message ?? `The server answered ${response.status}`;
			throw new SyncError(failureKind(response.status, code), message, response.status, code);
		}
		return payload;
	};
}

/**
 * The sync RPCs over plain HTTP (PostgREST's protocol), without supabase-js. With no
 * token it pulls as anon; with one it can push as that user.
 */
export function httpTransport(
	url: string,
	apiKey: string,
	accessToken?: () => string | undefined
): SyncTransport {
	const rpc = httpRpc(url, apiKey, accessToken);

	return {
		pull: async (cursor, limit) =>
			checkedReply(
				PullPageSchema,
				await rpc('sync_pull', { p_cursor: cursor, p_limit: limit }),
				'sync_pull'
			),
		async push(deviceId: string, mutations: MutationEnvelope[]) {
			if (!accessToken?.()) throw new SyncError('auth', 'Sign in to send changes');
			return checkedReply(
				PushReplySchema,
				await rpc('sync_push', { p_device_id: deviceId, p_mutations: mutations }),
				'sync_push'
			);
		}
	};
}
