import { describe, expect, it } from 'vitest';
import { ANON_KEY, apiUrl, jwt, newEmail, rpc, signIn } from './helpers';

const MB = 1024 * 1024;

async function post(path: string, body: BodyInit, token = ANON_KEY) {
	const response = await fetch(`${apiUrl()}${path}`, {
		method: 'POST',
		headers: {
			apikey: ANON_KEY,
			authorization: `Bearer ${token}`,
			'content-type': 'application/json'
		},
		body,
		// a streamed body has no declared length: the server must count as it reads
		...(body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A JSON body of about `bytes`, sent in 64 KB pieces without a Content-Length. */
function streamed(bytes: number) {
	const piece = new TextEncoder().encode('x'.repeat(64 * 1024));
	let sent = 0;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(new TextEncoder().encode('{"p_cursor": "'));
		},
		pull(controller) {
			if (sent >= bytes) {
				controller.enqueue(new TextEncoder().encode('"}'));
				controller.close();
				return;
			}
			controller.enqueue(piece);
			sent += piece.length;
		}
	});
}

describe('requests refused by size', () => {
	it('a body over 2 MB gets 413 without being kept, declared or streamed, on the API and auth', async () => {
		const session = await signIn(newEmail('big'));
		const huge = JSON.stringify({
			p_device_id: crypto.randomUUID(),
			p_mutations: [
				{
					id: crypto.randomUUID(),
					seq: 1,
					name: 'profile.update',
					args: { full_name: 'x'.repeat(3 * MB) }
				}
			]
		});
		const declared = await post('/rest/v1/rpc/sync_push', huge, session.access_token);
		expect(declared).toEqual({
			status: 413,
			body: {
				code: 'PGRST413',
				message: 'Request body too large: at most 2 MB',
				details: null,
				hint: 'Send less at a time.'
			}
		});
		const stream = await post('/rest/v1/rpc/sync_pull', streamed(3 * MB), session.access_token);
		expect(stream.status).toBe(413);
		const otp = await post('/auth/v1/otp', JSON.stringify({ email: 'x'.repeat(3 * MB) }));
		expect(otp.status).toBe(413);
		// and the next ordinary call is answered as usual
		const { status } = await rpc('sync_pull', { p_limit: 1 }, session.access_token);
		expect(status).toBe(200);
	});
});

describe('the API under invalid tokens', () => {
	it('answers 1,000 requests with invalid JWTs with 401 each, and keeps serving', async () => {
		const wrongSecret = 'not-the-project-secret-but-32-chars-long!!';
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const kinds: (() => Promise<string> | string)[] = [
			() => crypto.randomUUID(),
			() => 'a.b.c',
			() => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role' })}.`,
			() => `${b64({ alg: 'HS256' })}.${b64({ role: 'authenticated' })}.${'A'.repeat(43)}`,
			() => `${b64({ alg: 'HS256' })}.not-json.${'A'.repeat(43)}`,
			() => jwt({ role: 'authenticated', sub: crypto.randomUUID() }, { secret: wrongSecret }),
			() =>
				jwt(
					{ role: 'authenticated', sub: crypto.randomUUID() },
					{ expiresAt: Math.floor(Date.now() / 1000) - 5 }
				),
			() => jwt({ role: 'postgres', sub: crypto.randomUUID() }),
			() => jwt({ role: 'supabase_admin' }),
			() => 'e'.repeat(8 * 1024)
		];
		const started = performance.now();
		const statuses = new Map<number, number>();
		for (let batch = 0; batch < 20; batch++) {
			const answers = await Promise.all(
				Array.from({ length: 50 }, async (_, i) => {
					const token = await kinds[(batch * 50 + i) % kinds.length]!();
					const { status, body } = await rpc('sync_pull', { p_limit: 1 }, token);
					expect(body, token.slice(0, 60)).toMatchObject({ message: expect.any(String) });
					return status;
				})
			);
			for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
		}
		const seconds = (performance.now() - started) / 1000;
		console.log(
			`invalid JWTs: 1,000 requests in ${seconds.toFixed(1)} s → ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(', ')}`
		);
		expect(Object.fromEntries(statuses)).toEqual({ 401: 1000 });
		const health = await fetch(`${apiUrl()}/auth/v1/health`);
		expect(health.status).toBe(200);
		const { status } = await rpc('sync_pull', { p_limit: 1 });
		expect(status).toBe(200);
	});
});
