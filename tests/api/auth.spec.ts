import { describe, expect, it } from 'vitest';
import { auth, latestCode, newEmail, rpc, signIn } from './helpers';

describe('email-code sign-in', () => {
	it('sends a 6-digit code, verifies it once and returns a Supabase session', async () => {
		const email = newEmail('otp');
		expect((await auth('/otp', { email, create_user: true })).status).toBe(200);
		const code = await latestCode(email);
		expect(code).toMatch(/^\d{6}$/);

		const verified = await auth('/verify', { type: 'email', email, token: code });
		expect(verified.status).toBe(200);
		expect(verified.body).toMatchObject({
			token_type: 'bearer',
			expires_in: 3600,
			access_token: expect.any(String),
			refresh_token: expect.any(String),
			user: { email, aud: 'authenticated', role: 'authenticated' }
		});
		// a code works once
		const again = await auth('/verify', { type: 'email', email, token: code });
		expect(again).toMatchObject({ status: 403, body: { error_code: 'otp_expired' } });
	});

	it('refuses a wrong code, and locks the code after five wrong tries', async () => {
		const email = newEmail('wrong');
		await auth('/otp', { email });
		const code = (await latestCode(email))!;
		const wrong = code === '000000' ? '000001' : '000000';
		for (let i = 0; i < 5; i++) {
			expect((await auth('/verify', { type: 'email', email, token: wrong })).status).toBe(403);
		}
		expect((await auth('/verify', { type: 'email', email, token: code })).status).toBe(403);
	});

	it('refuses a malformed email address', async () => {
		const response = await auth('/otp', { email: 'not an email' });
		expect(response).toMatchObject({ status: 400, body: { error_code: 'validation_failed' } });
	});

	it('refreshes by rotating the refresh token; the old one cannot be used again', async () => {
		const session = await signIn(newEmail('refresh'));
		const refreshed = await auth('/token?grant_type=refresh_token', {
			refresh_token: session.refresh_token
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).not.toBe(session.refresh_token);
		const reused = await auth('/token?grant_type=refresh_token', {
			refresh_token: session.refresh_token
		});
		expect(reused).toMatchObject({
			status: 400,
			body: { error_code: 'refresh_token_already_used' }
		});
	});

	it('returns the signed-in user, and nothing after logout', async () => {
		const email = newEmail('user');
		const session = await signIn(email);
		expect(await auth('/user', undefined, session.access_token)).toMatchObject({
			status: 200,
			body: { email }
		});
		const logout = await fetch(
			`${(await import('./helpers')).apiUrl()}/auth/v1/logout?scope=global`,
			{
				method: 'POST',
				headers: { authorization: `Bearer ${session.access_token}` }
			}
		);
		expect(logout.status).toBe(204);
		expect((await auth('/user', undefined, session.access_token)).status).toBe(403);
		const refresh = await auth('/token?grant_type=refresh_token', {
			refresh_token: session.refresh_token
		});
		expect(refresh.status).toBe(400);
	});

	it('the access token works for the signed-in RPCs', async () => {
		const session = await signIn(newEmail('rpc'));
		const { status, body } = await rpc('sync_pull', { p_limit: 5000 }, session.access_token);
		expect(status).toBe(200);
		expect(body.changes.filter((c: { entity: string }) => c.entity === 'profile')).toEqual([
			expect.objectContaining({ id: session.user.id })
		]);
	});
});
