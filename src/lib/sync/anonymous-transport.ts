import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$env/static/public';
import { SyncError, failureKind, type PullPage, type SyncTransport } from './transport';

/**
 * Pulls the public brochure for a visitor who is not signed in with one plain request to
 * the same RPC endpoint, so a first visit does not download supabase-js (54 KB gzip).
 */
export const anonymousTransport: SyncTransport = {
	async pull(cursor, limit) {
		let response: Response;
		try {
			response = await fetch(`${PUBLIC_SUPABASE_URL}/rest/v1/rpc/sync_pull`, {
				method: 'POST',
				headers: {
					apikey: PUBLIC_SUPABASE_ANON_KEY,
					authorization: `Bearer ${PUBLIC_SUPABASE_ANON_KEY}`,
					'content-type': 'application/json'
				},
				body: JSON.stringify({ p_cursor: cursor, p_limit: limit })
			});
		} catch (error) {
			throw new SyncError('retry', error instanceof Error ? error.message : String(error));
		}
		const body = await response.json().catch(() => null);
		if (!response.ok) {
			const code = typeof body?.code === 'string' ? body.code : '';
			throw new SyncError(
				failureKind(response.status, code),
				body?.message ?? `HTTP ${response.status}`,
				response.status,
				code
			);
		}
		return body as PullPage;
	},
	async push() {
		throw new SyncError('auth', 'Sign in to send changes');
	}
};
