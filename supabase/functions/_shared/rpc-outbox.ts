// public.notifications as the email sender sees it: the claim and record functions, called
// through the project's REST API with the service role's key.
import type { ClaimedEmail, EmailOutbox } from './email-sender.ts';

/** The database could not be asked: the run stops, and what it claimed is in doubt. */
export class OutboxUnavailable extends Error {}

export function rpcOutbox({
	url,
	serviceKey,
	fetch: fetchFn = fetch
}: {
	url: string;
	serviceKey: string;
	fetch?: typeof fetch;
}): EmailOutbox {
	async function call<T>(fn: string, args: Record<string, unknown>): Promise<T> {
		const response = await fetchFn(`${url}/rest/v1/rpc/${fn}`, {
			method: 'POST',
			headers: {
				apikey: serviceKey,
				authorization: `Bearer ${serviceKey}`,
				'content-type': 'application/json'
			},
			body: JSON.stringify(args)
		});
		const text = await response.text();
		if (!response.ok) {
			throw new OutboxUnavailable(`${fn} answered ${response.status}: ${text.slice(0, 300)}`);
		}
		return (text ? JSON.parse(text) : null) as T;
	}
	return {
		claim: (limit) => call<ClaimedEmail[]>('claim_emails', { p_limit: limit }),
		sent: (id, notifyId) =>
			call('record_email_sent', { p_id: id, p_notify_id: notifyId }).then(() => undefined),
		failed: (id, reason) =>
			call('record_email_failed', { p_id: id, p_reason: reason }).then(() => undefined),
		retryLater: (id, reason, afterSeconds) =>
			call('record_email_retry', {
				p_id: id,
				p_reason: reason,
				p_after_seconds: afterSeconds
			}).then(() => undefined)
	};
}
