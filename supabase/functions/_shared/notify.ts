// GOV.UK Notify's REST API, as its documentation describes it: a JWT made from the API key
// for each request (HS256, `iss` the service id, `iat` now, signed with the key's secret),
// POST /v2/notifications/email to send, GET /v2/notifications?reference= to look one up.
// Plain TypeScript with fetch and Web Crypto: the Edge Function (Deno) and Node's tests
// both run it.

export const NOTIFY_API = 'https://api.notifications.service.gov.uk';

/** One of Notify's error objects: `{ error: "ValidationError", message: "…" }`. */
export type NotifyError = { error: string; message: string };

export type SendResult =
	{ ok: true; id: string } | { ok: false; status: number; errors: NotifyError[] };

export type NotifyApi = {
	sendEmail(email: {
		email_address: string;
		template_id: string;
		personalisation: Record<string, string>;
		reference: string;
	}): Promise<SendResult>;
	/** Notify's id for the email sent with this reference, or null if none was. */
	findByReference(reference: string): Promise<string | null>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An API key is `<key name>-<service id>-<secret key>`; the two ids are UUIDs. */
export function parseApiKey(apiKey: string) {
	const key = apiKey.trim();
	const serviceId = key.slice(-73, -37);
	const secret = key.slice(-36);
	if (!UUID.test(serviceId) || !UUID.test(secret) || key.at(-37) !== '-') {
		throw new Error(
			'The Notify API key is not in the form <key name>-<service id>-<secret key>: copy the whole key from Notify’s API integration page'
		);
	}
	return { serviceId, secret };
}

const base64url = (bytes: Uint8Array) =>
	btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, '-')
		.replace(/\//g, '_')
		.replace(/=+$/, '');
const text = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** The bearer token for one request. Notify refuses one issued more than 30 seconds ago. */
export async function notifyToken(apiKey: string, now = Date.now()) {
	const { serviceId, secret } = parseApiKey(apiKey);
	const unsigned = `${text({ typ: 'JWT', alg: 'HS256' })}.${text({
		iss: serviceId,
		iat: Math.floor(now / 1000)
	})}`;
	const key = await crypto.subtle.importKey(
		'raw',
		new TextEncoder().encode(secret),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned));
	return `${unsigned}.${base64url(new Uint8Array(signature))}`;
}

/** What an error response says, or a description of a response that is not Notify's JSON. */
async function errorsOf(response: Response): Promise<NotifyError[]> {
	const body = await response.text();
	try {
		const parsed = JSON.parse(body) as { errors?: NotifyError[] };
		if (Array.isArray(parsed.errors) && parsed.errors.length) return parsed.errors;
	} catch {
		// not JSON: a proxy's page, say
	}
	return [{ error: `HTTP ${response.status}`, message: body.slice(0, 200) || response.statusText }];
}

export function notifyApi({
	apiKey,
	baseUrl = NOTIFY_API,
	fetch: fetchFn = fetch
}: {
	apiKey: string;
	baseUrl?: string;
	fetch?: typeof fetch;
}): NotifyApi {
	parseApiKey(apiKey);
	const headers = async () => ({
		authorization: `Bearer ${await notifyToken(apiKey)}`,
		'content-type': 'application/json',
		'user-agent': 'hscp-training-email-sender'
	});
	return {
		async sendEmail(email) {
			const response = await fetchFn(`${baseUrl}/v2/notifications/email`, {
				method: 'POST',
				headers: await headers(),
				body: JSON.stringify(email)
			});
			if (response.status === 201) {
				const body = (await response.json()) as { id: string };
				return { ok: true, id: body.id };
			}
			return { ok: false, status: response.status, errors: await errorsOf(response) };
		},
		async findByReference(reference) {
			const query = new URLSearchParams({ reference, template_type: 'email' });
			const response = await fetchFn(`${baseUrl}/v2/notifications?${query}`, {
				headers: await headers()
			});
			if (!response.ok) {
				const [first] = await errorsOf(response);
				throw new NotifyUnavailable(response.status, first);
			}
			const body = (await response.json()) as { notifications: { id: string }[] };
			return body.notifications[0]?.id ?? null;
		}
	};
}

/** Notify could not answer a lookup; the email stays in doubt until it can. */
export class NotifyUnavailable extends Error {
	constructor(
		readonly status: number,
		readonly detail: NotifyError | undefined
	) {
		super(`Notify answered ${status}${detail ? `: ${detail.error}: ${detail.message}` : ''}`);
	}
}
