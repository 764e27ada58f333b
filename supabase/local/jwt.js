// @ts-check
// JWTs as Supabase's local stack makes them: HS256 with the well-known development secret,
// so the demo anon key that `supabase start` prints is valid here too.
import { SignJWT, jwtVerify, errors } from 'jose';

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const key = new TextEncoder().encode(JWT_SECRET);

/** @param {Record<string, unknown>} claims @param {number} expiresAt seconds since epoch */
export function signJwt(claims, expiresAt) {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setExpirationTime(expiresAt)
		.sign(key);
}

/** The anon key: a JWT with role anon, as in Supabase's local configuration. */
export function anonKey() {
	return new SignJWT({ iss: 'supabase-demo', role: 'anon' })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setExpirationTime(1983812996)
		.sign(key);
}

/** @typedef {{ ok: true, claims: Record<string, any> } | { ok: false, expired: boolean, reason: string }} Verified */

/** @param {string} token @returns {Promise<Verified>} */
export async function verifyJwt(token) {
	try {
		const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
		return { ok: true, claims: payload };
	} catch (error) {
		if (error instanceof errors.JWTExpired)
			return { ok: false, expired: true, reason: 'JWT expired' };
		const reason =
			error instanceof errors.JWSSignatureVerificationFailed
				? 'JWT signature does not match'
				: 'JWT is malformed or uses an unsupported algorithm';
		return { ok: false, expired: false, reason };
	}
}
