import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { jwt, newEmail, rpc, signIn } from './helpers';

const db = postgres(`postgres://postgres:postgres@127.0.0.1:${inject('dbPort')}/postgres`, {
	max: 2
});
afterAll(() => db.end());

const postgrestError = (code: string) => ({
	code,
	message: expect.any(String),
	details: null,
	hint: null
});

async function profileOf(id: string) {
	const [row] =
		await db`select full_name, agency_id, job_role from public.profiles where id = ${id}`;
	return row;
}

describe('bad input to the RPC API gets PostgREST’s error shape and status', () => {
	it('an unknown function: 404 PGRST202', async () => {
		const { status, body } = await rpc('drop_everything', {});
		expect(status).toBe(404);
		expect(body).toMatchObject({
			code: 'PGRST202',
			message: expect.stringContaining('public.drop_everything')
		});
		expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message']);
	});

	it('malformed JSON: 400 PGRST102', async () => {
		const { status, body } = await rpc('sync_pull', '{"p_limit": ', undefined, true);
		expect(status).toBe(400);
		expect(body).toMatchObject({ code: 'PGRST102', message: 'Empty or invalid json' });
	});

	it('an argument of the wrong type: 400 with PostgreSQL’s reason', async () => {
		const { status, body } = await rpc('sync_pull', { p_limit: 'lots' });
		expect(status).toBe(400);
		expect(body).toEqual({
			code: '22P02',
			message: 'invalid input syntax for type integer: "lots"',
			details: null,
			hint: null
		});
	});

	it('an argument the function does not take: 404 PGRST202', async () => {
		const { status, body } = await rpc('sync_pull', { p_cursor: '', p_everything: true });
		expect(status).toBe(404);
		expect(body.code).toBe('PGRST202');
	});

	it('a JWT signed with another secret: 401 PGRST301', async () => {
		const forged = await jwt(
			{ role: 'authenticated', sub: crypto.randomUUID() },
			{ secret: 'not-the-project-secret-but-32-chars-long!!' }
		);
		const { status, body } = await rpc('sync_pull', {}, forged);
		expect(status).toBe(401);
		expect(body).toMatchObject({ code: 'PGRST301', message: 'JWT signature does not match' });
	});

	it('an expired JWT: 401 PGRST303', async () => {
		const expired = await jwt(
			{ role: 'authenticated', sub: crypto.randomUUID() },
			{ expiresAt: Math.floor(Date.now() / 1000) - 60 }
		);
		const { status, body } = await rpc('sync_pull', {}, expired);
		expect(status).toBe(401);
		expect(body).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
	});

	it('a JWT claiming a role the API does not have: 401', async () => {
		const token = await jwt({ role: 'postgres' });
		const { status } = await rpc('sync_pull', {}, token);
		expect(status).toBe(401);
	});

	it('anon calling a signed-in function: 401 42501', async () => {
		const { status, body } = await rpc('sync_push', {
			p_device_id: crypto.randomUUID(),
			p_mutations: []
		});
		expect(status).toBe(401);
		expect(body).toEqual(postgrestError('42501'));
	});

	it('tables are not exposed', async () => {
		const response = await fetch(`${inject('apiUrl')}/rest/v1/profiles`, {
			headers: { apikey: 'x' }
		});
		expect(response.status).toBe(404);
	});
});

describe('update_profile refuses bad values and writes nothing', () => {
	it.each([
		[
			'an over-long name',
			{ p_full_name: 'x'.repeat(201), p_job_role: 'DSL' },
			400,
			'22001',
			'Full name must be 200 characters or fewer'
		],
		[
			'an agency that does not exist',
			{ p_full_name: 'Jo', p_job_role: 'DSL', p_agency_id: '00000000-0000-4000-8000-000000000000' },
			400,
			'22023',
			'Agency 00000000-0000-4000-8000-000000000000 does not exist'
		],
		[
			'an agency id that is not a uuid',
			{ p_full_name: 'Jo', p_job_role: 'DSL', p_agency_id: 42 },
			400,
			'22P02',
			'invalid input syntax for type uuid: "42"'
		]
	])('%s', async (_, args, status, code, message) => {
		const session = await signIn(newEmail('bad.profile'));
		const [agency] = await db`select id from public.agencies limit 1`;
		const response = await rpc(
			'update_profile',
			{ p_agency_id: agency!.id, ...args },
			session.access_token
		);
		expect(response.status).toBe(status);
		expect(response.body).toMatchObject({ code, message });
		expect(await profileOf(session.user.id)).toEqual({
			full_name: null,
			agency_id: null,
			job_role: null
		});
	});

	it('accepts a good profile for the caller only', async () => {
		const session = await signIn(newEmail('good.profile'));
		const [agency] = await db`select id from public.agencies limit 1`;
		const response = await rpc(
			'update_profile',
			{ p_full_name: 'Sam Patel', p_agency_id: agency!.id, p_job_role: 'Teacher' },
			session.access_token
		);
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({ id: session.user.id, full_name: 'Sam Patel' });
	});
});
