import { afterAll, describe, expect, it } from 'vitest';
import { anyAgencyId, as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Answer = { status: string; reason?: string; data?: Record<string, unknown> };

const call = (who: string, fn: 'admin_grant_role' | 'admin_remove_role', args: object) =>
	as(api, user(who), async (tx) => {
		const [row] =
			fn === 'admin_grant_role'
				? await tx`select public.admin_grant_role(${tx.json(args as never)}) as r`
				: await tx`select public.admin_remove_role(${tx.json(args as never)}) as r`;
		return row!.r as Answer;
	});

async function roles(userId: string) {
	const rows =
		await admin`select role::text, agency_id from public.staff_roles where user_id = ${userId} order by role`;
	return rows.map((r) => [r.role, r.agency_id]);
}

async function newAdmin() {
	const person = await createUser(admin, 'admin');
	await admin`insert into public.staff_roles (user_id, role) values (${person.id}, 'admin')`;
	return person;
}

describe('staff roles from the admin screen', () => {
	it('an admin grants trainer, agency lead and admin by email and removes them; every change is recorded', async () => {
		const partnership = await newAdmin();
		const person = await createUser(admin, 'staff');
		const agency = await anyAgencyId(admin);
		expect(
			await call(partnership.id, 'admin_grant_role', {
				email: person.email.toUpperCase(),
				role: 'trainer'
			})
		).toMatchObject({ status: 'applied', data: { changed: true } });
		await call(partnership.id, 'admin_grant_role', {
			email: person.email,
			role: 'agency_lead',
			agency_id: agency
		});
		// the same again changes nothing and records nothing
		expect(
			await call(partnership.id, 'admin_grant_role', { email: person.email, role: 'trainer' })
		).toMatchObject({ data: { changed: false } });
		expect(await roles(person.id)).toEqual([
			['agency_lead', agency],
			['trainer', null]
		]);

		// a trainer removed leaves the sessions to come, not those held
		const [course] =
			await admin`insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes)
			values (${'test-roles-' + crypto.randomUUID().slice(0, 8)}, 'Roles course', 'A course made by a test', 'Testers',
				'introductory', 'webinar', 60, array['Testing']) returning id`;
		const sessions =
			await admin`insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${course!.id}, now() + interval '2 days', now() + interval '2 days 1 hour', 'Hall', 20, 'auto', now() + interval '1 day'),
				(${course!.id}, now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'Hall', 20, 'auto', now() - interval '3 days')
			returning id`;
		for (const s of sessions)
			await admin`insert into public.session_trainers (session_id, trainer_id) values (${s.id}, ${person.id})`;
		expect(
			await call(partnership.id, 'admin_remove_role', { user_id: person.id, role: 'trainer' })
		).toMatchObject({ status: 'applied', data: { changed: true, sessions_unassigned: 1 } });
		expect(await roles(person.id)).toEqual([['agency_lead', agency]]);

		const changes = await as(api, user(partnership.id), async (tx) => {
			const [row] = await tx`select public.admin_staff_role_changes(10) as r`;
			return row!.r as { change: string; role: string; email: string; changed_by: string }[];
		});
		expect(changes.filter((c) => c.email === person.email).map((c) => [c.change, c.role])).toEqual([
			['removed', 'trainer'],
			['granted', 'agency_lead'],
			['granted', 'trainer']
		]);
		expect(changes[0]!.changed_by).toBe(partnership.email);
	});

	it('bad requests are refused with the reason; nobody but an admin may change or read roles', async () => {
		const partnership = await newAdmin();
		const trainer = await createUser(admin, 'trainer');
		await admin`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
		await expect(
			call(partnership.id, 'admin_grant_role', { email: 'nobody@nowhere.example', role: 'trainer' })
		).rejects.toThrow(/No account uses nobody@nowhere.example\. Ask them to sign in/);
		await expect(
			call(partnership.id, 'admin_grant_role', { email: trainer.email, role: 'owner' })
		).rejects.toThrow(/Choose a role/);
		await expect(
			call(partnership.id, 'admin_grant_role', { email: trainer.email, role: 'agency_lead' })
		).rejects.toThrow(/Choose the agency they lead/);
		// a trainer cannot make themselves an admin, nor read the record
		await expect(
			call(trainer.id, 'admin_grant_role', { email: trainer.email, role: 'admin' })
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			call(trainer.id, 'admin_remove_role', { user_id: partnership.id, role: 'admin' })
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(api, user(trainer.id), (tx) => tx`select public.admin_staff_role_changes(10)`)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(api, user(trainer.id), (tx) => tx`select * from public.staff_role_changes`)
		).rejects.toMatchObject({ code: '42501' });
		expect(await roles(trainer.id)).toEqual([['trainer', null]]);
	});

	it('the partnership always keeps an admin', async () => {
		await admin
			.begin(async (tx) => {
				// alone among admins for this test: the others' roles set aside in this transaction
				const [me] =
					await tx`insert into auth.users (id, email) values (gen_random_uuid(), ${'solo.' + crypto.randomUUID().slice(0, 8) + '@db.hscp.example'}) returning id`;
				await tx`delete from public.staff_roles where role = 'admin'`;
				await tx`insert into public.staff_roles (user_id, role) values (${me!.id}, 'admin')`;
				await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: me!.id, role: 'authenticated' })}, true)`;
				const [row] =
					await tx`select public.admin_remove_role(${tx.json({ user_id: me!.id, role: 'admin' } as never)}) as r`;
				expect(row!.r).toEqual({
					status: 'rejected',
					reason: "This is the partnership's only admin. Make someone else an admin first."
				});
				throw new Error('rollback');
			})
			.catch((error: Error) => {
				if (error.message !== 'rollback') throw error;
			});
	});
});
