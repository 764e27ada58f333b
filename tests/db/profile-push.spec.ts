import { afterAll, describe, expect, it } from 'vitest';
import { anyAgencyId, as, authenticator, createUser, mutation, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const device = '0d000000-0000-4000-8000-00000000000d';
type Result = { id: string; status: string; error?: { code: string; message: string } };

function push(userId: string, mutations: unknown[]) {
	return as(api, user(userId), async (tx) => {
		const [row] =
			await tx`select public.sync_push(${device}, ${tx.json(mutations as never)}) as out`;
		return (row!.out as { results: Result[] }).results;
	});
}

async function profileOf(id: string) {
	const [row] =
		await admin`select full_name, agency_id, job_role from public.profiles where id = ${id}`;
	return row;
}

describe('profile.update through sync_push', () => {
	it('changes the caller’s own profile', async () => {
		const a = await createUser(admin, 'push.own');
		const agency = await anyAgencyId(admin);
		const results = await push(a.id, [
			mutation('profile.update', {
				full_name: 'Ada Lovelace',
				agency_id: agency,
				job_role: 'Health visitor'
			})
		]);
		expect(results).toMatchObject([{ status: 'applied' }]);
		expect(await profileOf(a.id)).toEqual({
			full_name: 'Ada Lovelace',
			agency_id: agency,
			job_role: 'Health visitor'
		});
	});

	it('replaying the same mutation id changes nothing and returns the stored result', async () => {
		const a = await createUser(admin, 'push.replay');
		const agency = await anyAgencyId(admin);
		const id = crypto.randomUUID();
		const first = await push(a.id, [
			mutation('profile.update', { full_name: 'First', agency_id: agency, job_role: 'DSL' }, id)
		]);
		// the same mutation again (a retry after a lost response) gets the stored answer
		expect(
			await push(a.id, [
				mutation('profile.update', { full_name: 'First', agency_id: agency, job_role: 'DSL' }, id)
			])
		).toEqual(first);
		// the id with other content is a conflict, answered with the version the server holds
		const [conflict] = await push(a.id, [
			mutation('profile.update', { full_name: 'Second', agency_id: agency, job_role: 'DSL' }, id)
		]);
		expect(conflict).toMatchObject({
			id,
			status: 'conflict',
			stored: { name: 'profile.update', args: { full_name: 'First' } }
		});
		expect((await profileOf(a.id))?.full_name).toBe('First');
		const ledger =
			await admin`select count(*)::int as n from public.sync_mutations where id = ${id}`;
		expect(ledger[0]?.n).toBe(1);
	});

	it('another user cannot reuse someone’s mutation id or see its result', async () => {
		const a = await createUser(admin, 'push.owner');
		const b = await createUser(admin, 'push.other');
		const agency = await anyAgencyId(admin);
		const id = crypto.randomUUID();
		await push(a.id, [
			mutation('profile.update', { full_name: 'Owner', agency_id: agency, job_role: 'DSL' }, id)
		]);
		const results = await push(b.id, [
			mutation('profile.update', { full_name: 'Intruder', agency_id: agency, job_role: 'DSL' }, id)
		]);
		expect(results).toMatchObject([{ status: 'invalid', error: { code: '23505' } }]);
		expect((await profileOf(a.id))?.full_name).toBe('Owner');
		expect((await profileOf(b.id))?.full_name).toBeNull();
	});

	it.each([
		[
			'an over-long name',
			{ full_name: 'x'.repeat(201), job_role: 'DSL' },
			'22001',
			'Full name must be 200 characters or fewer'
		],
		[
			'an agency that does not exist',
			{ full_name: 'Jo', job_role: 'DSL', agency_id: '00000000-0000-4000-8000-000000000000' },
			'22023',
			'Agency 00000000-0000-4000-8000-000000000000 does not exist'
		],
		[
			'an agency id that is not a uuid',
			{ full_name: 'Jo', job_role: 'DSL', agency_id: 'police' },
			'22P02',
			'invalid input syntax for type uuid: "police"'
		],
		['a missing job role', { full_name: 'Jo', job_role: '  ' }, '22023', 'Enter your job role']
	])('refuses %s with the reason and writes nothing', async (_, args, code, message) => {
		const a = await createUser(admin, 'push.invalid');
		const agency = await anyAgencyId(admin);
		const results = await push(a.id, [mutation('profile.update', { agency_id: agency, ...args })]);
		expect(results).toMatchObject([{ status: 'invalid', error: { code, message } }]);
		expect(await profileOf(a.id)).toEqual({ full_name: null, agency_id: null, job_role: null });
	});

	it('applies the valid mutations of a batch and reports the invalid one', async () => {
		const a = await createUser(admin, 'push.batch');
		const agency = await anyAgencyId(admin);
		const results = await push(a.id, [
			mutation('profile.update', { full_name: 'Good', agency_id: agency, job_role: 'DSL' }),
			mutation('profile.unknown', {}),
			mutation('profile.update', { full_name: 'Better', agency_id: agency, job_role: 'DSL' })
		]);
		expect(results.map((r) => r.status)).toEqual(['applied', 'invalid', 'applied']);
		expect(results[1]?.error?.message).toBe('Unknown mutation "profile.unknown"');
		expect((await profileOf(a.id))?.full_name).toBe('Better');
	});

	it('answers a malformed mutation on its own and applies the rest of the batch', async () => {
		const a = await createUser(admin, 'push.malformed');
		const agency = await anyAgencyId(admin);
		const results = await push(a.id, [
			{ id: 'not-a-uuid', seq: 1, name: 'profile.update', args: {} },
			mutation('profile.update', { full_name: 'Kept', agency_id: agency, job_role: 'DSL' })
		]);
		expect(results.map((r) => r.status)).toEqual(['invalid', 'applied']);
		expect(results[0]).toMatchObject({
			id: null,
			index: 1,
			error: { code: '22023', message: 'Mutation 1 needs an id (a UUID)' }
		});
		expect((await profileOf(a.id))?.full_name).toBe('Kept');
		// without an id there is nothing to record it under
		const ledger =
			await admin`select count(*)::int as n from public.sync_mutations where user_id = ${a.id}`;
		expect(ledger[0]?.n).toBe(1);
	});
});

describe('row level security on profiles', () => {
	it('a user reads only their own profile', async () => {
		const a = await createUser(admin, 'rls.a');
		await createUser(admin, 'rls.b');
		const rows = await as(api, user(a.id), (tx) => tx`select id from public.profiles`);
		expect(rows.map((r) => r.id)).toEqual([a.id]);
	});

	it('nobody writes a profile directly, their own or another’s: only update_profile does', async () => {
		const a = await createUser(admin, 'rls.writer');
		const b = await createUser(admin, 'rls.victim');
		for (const [target, change] of [
			[b.id, `full_name = 'Hacked'`],
			[a.id, `full_name = '  Untrimmed  '`],
			[a.id, `agency_id = null`],
			[a.id, `email = 'x@example.org'`]
		] as const) {
			await expect(
				as(api, user(a.id), (tx) =>
					tx.unsafe(`update public.profiles set ${change} where id = '${target}'`)
				),
				change
			).rejects.toMatchObject({ code: '42501' });
		}
		expect((await profileOf(b.id))?.full_name).toBeNull();
		expect((await profileOf(a.id))?.full_name).toBeNull();
	});

	it('the profile’s checks cannot be skipped: untrimmed, direction-changing or missing values', async () => {
		const a = await createUser(admin, 'rls.checks');
		const agency = await anyAgencyId(admin);
		const update = (name: string, agencyId: string | null, role: string) =>
			as(
				api,
				user(a.id),
				(tx) => tx`select public.update_profile(${name}, ${agencyId}, ${role}) as p`
			);
		const [saved] = await update('  Grace Hopper ', agency, ' Designated lead ');
		expect(saved!.p).toMatchObject({ full_name: 'Grace Hopper', job_role: 'Designated lead' });
		await expect(update('Grace \u202eReppoH', agency, 'Lead')).rejects.toMatchObject({
			code: '22023',
			message: 'Full name must not contain control or text-direction characters'
		});
		await expect(update('Grace', agency, 'Lead\u2066')).rejects.toMatchObject({
			code: '22023',
			message: 'Job role must not contain control or text-direction characters'
		});
		await expect(update('Grace', null, 'Lead')).rejects.toMatchObject({
			code: '22023',
			message: 'Choose your agency'
		});
		expect(await profileOf(a.id)).toMatchObject({ full_name: 'Grace Hopper', agency_id: agency });
	});

	it('nobody reads or writes the ledger directly, even their own entries', async () => {
		const a = await createUser(admin, 'ledger.a');
		const agency = await anyAgencyId(admin);
		await push(a.id, [
			mutation('profile.update', { full_name: 'A', agency_id: agency, job_role: 'DSL' })
		]);
		await expect(
			as(api, user(a.id), (tx) => tx`select id from public.sync_mutations`)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(
				api,
				user(a.id),
				(tx) => tx`insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
					values (gen_random_uuid(), ${a.id}, ${device}, 9, 'booking.request', '{"status":"applied"}')`
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('a mutation id another account used is refused, and their answer is not handed out', async () => {
		const a = await createUser(admin, 'ledger.owner');
		const b = await createUser(admin, 'ledger.copier');
		const agency = await anyAgencyId(admin);
		const taken = mutation('profile.update', {
			full_name: 'Owner',
			agency_id: agency,
			job_role: 'DSL'
		});
		expect(await push(a.id, [taken])).toMatchObject([{ status: 'applied' }]);
		const copied = { ...taken, args: { full_name: 'Copier', agency_id: agency, job_role: 'DSL' } };
		const results = await push(b.id, [copied]);
		expect(results).toMatchObject([
			{
				id: taken.id,
				status: 'invalid',
				error: { message: 'This mutation id has already been used' }
			}
		]);
		expect(JSON.stringify(results)).not.toContain('Owner');
		expect((await profileOf(b.id))?.full_name).toBeNull();
		const [ledger] =
			await admin`select user_id, result from public.sync_mutations where id = ${taken.id}`;
		expect(ledger).toMatchObject({ user_id: a.id, result: { status: 'applied' } });
	});
});

describe('every table', () => {
	it('has row level security enabled', async () => {
		const rows = await admin`
			select c.relname from pg_class c
			where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and not c.relrowsecurity`;
		expect(rows.map((r) => r.relname)).toEqual([]);
	});
});
