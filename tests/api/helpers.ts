import { SignJWT } from 'jose';
import { inject } from 'vitest';
import { anonKey, JWT_SECRET } from '../../supabase/local/jwt.js';

export const apiUrl = () => inject('apiUrl');
export const ANON_KEY = await anonKey();

export async function rpc(fn: string, body: unknown, token = ANON_KEY, raw = false) {
	const response = await fetch(`${apiUrl()}/rest/v1/rpc/${fn}`, {
		method: 'POST',
		headers: {
			apikey: ANON_KEY,
			authorization: `Bearer ${token}`,
			'content-type': 'application/json'
		},
		body: raw ? (body as string) : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function auth(path: string, body?: unknown, token?: string) {
	const response = await fetch(`${apiUrl()}/auth/v1${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: {
			apikey: ANON_KEY,
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function latestCode(email: string) {
	const response = await fetch(`${apiUrl()}/mailbox/messages?to=${encodeURIComponent(email)}`);
	const [message] = (await response.json()) as { subject: string }[];
	return message?.subject.match(/\d{6}/)?.[0];
}

/** Signs in through the API as the app does and returns the session. */
export async function signIn(email: string) {
	await auth('/otp', { email, create_user: true });
	const code = await latestCode(email);
	const { body } = await auth('/verify', { type: 'email', email, token: code });
	return body as { access_token: string; refresh_token: string; user: { id: string } };
}

export const newEmail = (label: string) =>
	`${label}.${crypto.randomUUID().slice(0, 8)}@api.hscp.example`;

/** A JWT the server did not sign, or one that has expired. */
export function jwt(
	claims: Record<string, unknown>,
	{ secret = JWT_SECRET, expiresAt = Math.floor(Date.now() / 1000) + 600 } = {}
) {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setExpirationTime(expiresAt)
		.sign(new TextEncoder().encode(secret));
}
