// @ts-check
// The Supabase Auth (GoTrue) endpoints the app uses, for email one-time codes:
// POST /otp, POST /verify, POST /token?grant_type=refresh_token, GET /user, POST /logout.
// Errors use GoTrue's shape: { code, error_code, msg }.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { BodyTooLarge, bearerToken, readBody, sendJson, sendTooLarge } from './http.js';
import { signJwt, verifyJwt } from './jwt.js';
import { sendEmail } from './mailbox.js';
import { inTransaction } from './transaction.js';

const CODE_TTL_MINUTES = 10;
const MAX_CODE_ATTEMPTS = 5;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** @typedef {{ sql: import('postgres').Sql, apiUrl: string, accessTokenSeconds: number }} AuthContext */

/** @param {import('./http.js').Response} res @param {number} status @param {string} errorCode @param {string} msg */
function authError(res, status, errorCode, msg) {
	sendJson(res, status, { code: status, error_code: errorCode, msg });
}

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/**
 * @param {AuthContext} ctx
 * @param {import('./http.js').Request} req
 * @param {import('./http.js').Response} res
 * @param {string} path the part after /auth/v1
 * @param {URLSearchParams} query
 */
export async function handleAuth(ctx, req, res, path, query) {
	if (req.method === 'POST' && path === '/otp') return sendCode(ctx, req, res);
	if (req.method === 'POST' && path === '/verify') return verifyCode(ctx, req, res);
	if (req.method === 'POST' && path === '/token' && query.get('grant_type') === 'refresh_token')
		return refresh(ctx, req, res);
	if (req.method === 'GET' && path === '/user') return currentUser(ctx, req, res);
	if (req.method === 'POST' && path === '/logout') return logout(ctx, req, res, query.get('scope'));
	if (req.method === 'GET' && path === '/health')
		return sendJson(res, 200, { name: 'GoTrue (local stand-in)' });
	authError(res, 404, 'not_found', `No auth endpoint ${req.method} ${path}`);
}

/** @param {import('./http.js').Request} req @param {import('./http.js').Response} res */
async function readJson(req, res) {
	try {
		const body = JSON.parse((await readBody(req)) || '{}');
		if (body && typeof body === 'object' && !Array.isArray(body)) return body;
	} catch (error) {
		if (error instanceof BodyTooLarge) {
			sendTooLarge(res);
			return null;
		}
		// otherwise answered below
	}
	authError(res, 400, 'bad_json', 'Could not parse request body as JSON');
	return null;
}

/** @param {AuthContext} ctx @param {import('./http.js').Request} req @param {import('./http.js').Response} res */
async function sendCode({ sql }, req, res) {
	const body = await readJson(req, res);
	if (!body) return;
	const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
	if (!EMAIL_PATTERN.test(email) || email.length > 320) {
		return authError(
			res,
			400,
			'validation_failed',
			'Unable to validate email address: invalid format'
		);
	}
	if (body.create_user === false) {
		const [user] = await sql`select 1 from auth.users where email = ${email}`;
		if (!user) return authError(res, 422, 'otp_disabled', 'Signups not allowed for otp');
	}
	const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
	await sql`
		insert into local_auth.email_codes (email, code_hash, expires_at)
		values (${email}, ${sha256(email + code)}, now() + make_interval(mins => ${CODE_TTL_MINUTES}))
		on conflict (email) do update
			set code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0`;
	await sendEmail(sql, {
		to: email,
		subject: `Your HSCP Training sign-in code is ${code}`,
		body: `Your sign-in code is ${code}.\n\nIt expires in ${CODE_TTL_MINUTES} minutes. If you did not ask for it, you can ignore this email.`
	});
	sendJson(res, 200, {});
}

/** @param {AuthContext} ctx @param {import('./http.js').Request} req @param {import('./http.js').Response} res */
async function verifyCode(ctx, req, res) {
	const { sql } = ctx;
	const body = await readJson(req, res);
	if (!body) return;
	const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
	const token = typeof body.token === 'string' ? body.token.trim() : '';
	if (!['email', 'magiclink', 'signup'].includes(body.type)) {
		return authError(res, 400, 'validation_failed', 'Verify requires a verification type');
	}
	if (!email || !/^\d{6}$/.test(token)) {
		return authError(res, 400, 'validation_failed', 'Verify requires an email and a 6-digit token');
	}
	const [entry] = await sql`
		update local_auth.email_codes set attempts = attempts + 1
		where email = ${email} returning code_hash, expires_at, attempts`;
	const valid =
		entry &&
		entry.attempts <= MAX_CODE_ATTEMPTS &&
		new Date(entry.expires_at) > new Date() &&
		entry.code_hash === sha256(email + token);
	if (!valid) return authError(res, 403, 'otp_expired', 'Token has expired or is invalid');

	const [user] = await inTransaction(sql, async (tx) => {
		await tx`delete from local_auth.email_codes where email = ${email}`;
		return tx`
			insert into auth.users (id, email, email_confirmed_at, last_sign_in_at)
			values (${randomUUID()}, ${email}, now(), now())
			on conflict (email) do update
				set last_sign_in_at = now(), email_confirmed_at = coalesce(auth.users.email_confirmed_at, now())
			returning *`;
	});
	if (!user) return authError(res, 500, 'unexpected_failure', 'Could not create the user');
	sendJson(res, 200, await issueSession(ctx, user, randomUUID()));
}

/** @param {AuthContext} ctx @param {import('./http.js').Request} req @param {import('./http.js').Response} res */
async function refresh(ctx, req, res) {
	const body = await readJson(req, res);
	if (!body) return;
	const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
	const [row] = await ctx.sql`
		update local_auth.refresh_tokens set revoked = true
		where token = ${token} and not revoked
		returning user_id, session_id`;
	if (!row) {
		const [used] = await ctx.sql`select 1 from local_auth.refresh_tokens where token = ${token}`;
		return used
			? authError(res, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
			: authError(
					res,
					400,
					'refresh_token_not_found',
					'Invalid Refresh Token: Refresh Token Not Found'
				);
	}
	const [user] = await ctx.sql`select * from auth.users where id = ${row.user_id}`;
	if (!user) return authError(res, 400, 'user_not_found', 'User from refresh token not found');
	sendJson(res, 200, await issueSession(ctx, user, row.session_id));
}

/** @param {AuthContext} ctx @param {import('./http.js').Request} req @param {import('./http.js').Response} res */
async function currentUser(ctx, req, res) {
	const claims = await sessionClaims(ctx, req, res);
	if (!claims) return;
	const [user] = await ctx.sql`select * from auth.users where id = ${claims.sub}`;
	if (!user)
		return authError(res, 403, 'user_not_found', 'User from sub claim in JWT does not exist');
	sendJson(res, 200, userJson(user));
}

/** @param {AuthContext} ctx @param {import('./http.js').Request} req @param {import('./http.js').Response} res @param {string | null} scope */
async function logout(ctx, req, res, scope) {
	const claims = await sessionClaims(ctx, req, res);
	if (!claims) return;
	if (scope === 'others') {
		await ctx.sql`update local_auth.refresh_tokens set revoked = true
			where user_id = ${claims.sub} and session_id <> ${claims.session_id}`;
	} else if (scope === 'local') {
		await ctx.sql`update local_auth.refresh_tokens set revoked = true where session_id = ${claims.session_id}`;
	} else {
		await ctx.sql`update local_auth.refresh_tokens set revoked = true where user_id = ${claims.sub}`;
	}
	res.writeHead(204);
	res.end();
}

/** A signed-in user's verified claims whose session is still live, or null after answering. */
async function sessionClaims(
	/** @type {AuthContext} */ ctx,
	/** @type {import('./http.js').Request} */ req,
	/** @type {import('./http.js').Response} */ res
) {
	const token = bearerToken(req);
	const verified = token ? await verifyJwt(token) : null;
	if (!verified?.ok || verified.claims.role !== 'authenticated') {
		authError(
			res,
			401,
			'bad_jwt',
			verified && !verified.ok
				? `invalid JWT: ${verified.reason}`
				: 'This endpoint requires a valid Bearer token'
		);
		return null;
	}
	const [live] = await ctx.sql`select 1 from local_auth.refresh_tokens
		where session_id = ${verified.claims.session_id} and not revoked`;
	if (!live) {
		authError(res, 403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
		return null;
	}
	return verified.claims;
}

/** @param {AuthContext} ctx @param {Record<string, any>} user @param {string} sessionId */
async function issueSession({ sql, apiUrl, accessTokenSeconds }, user, sessionId) {
	const now = Math.floor(Date.now() / 1000);
	const expiresAt = now + accessTokenSeconds;
	const refreshToken = randomBytes(16).toString('base64url');
	await sql`insert into local_auth.refresh_tokens (token, user_id, session_id)
		values (${refreshToken}, ${user.id}, ${sessionId})`;
	const accessToken = await signJwt(
		{
			iss: `${apiUrl}/auth/v1`,
			sub: user.id,
			aud: 'authenticated',
			iat: now,
			email: user.email,
			phone: '',
			app_metadata: user.raw_app_meta_data ?? {},
			user_metadata: user.raw_user_meta_data ?? {},
			role: 'authenticated',
			aal: 'aal1',
			amr: [{ method: 'otp', timestamp: now }],
			session_id: sessionId,
			is_anonymous: false
		},
		expiresAt
	);
	return {
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: accessTokenSeconds,
		expires_at: expiresAt,
		refresh_token: refreshToken,
		user: userJson(user)
	};
}

/** @param {Record<string, any>} user */
function userJson(user) {
	const iso = (/** @type {unknown} */ d) =>
		d ? new Date(/** @type {string} */ (d)).toISOString() : null;
	return {
		id: user.id,
		aud: 'authenticated',
		role: 'authenticated',
		email: user.email,
		email_confirmed_at: iso(user.email_confirmed_at),
		phone: '',
		confirmed_at: iso(user.email_confirmed_at),
		last_sign_in_at: iso(user.last_sign_in_at),
		app_metadata: user.raw_app_meta_data ?? {},
		user_metadata: user.raw_user_meta_data ?? {},
		identities: [],
		created_at: iso(user.created_at),
		updated_at: iso(user.updated_at),
		is_anonymous: false
	};
}
