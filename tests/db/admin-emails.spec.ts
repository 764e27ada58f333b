import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

async function people() {
	const a = await createUser(admin, 'emails-admin');
	await admin`insert into public.staff_roles (user_id, role) values (${a.id}, 'admin')`;
	const practitioner = await createUser(admin, 'emails-practitioner');
	return { admin: a.id, practitioner };
}

async function failedEmail(userId: string, to: string) {
	const [row] =
		await admin`insert into public.notifications (user_id, to_email, kind, subject, body, status, error, attempts)
		values (${userId}, ${to}, 'reminder', 'Tomorrow: a course', 'A reminder', 'failed',
			'Notify answered 400: ValidationError: email_address Not a valid email address', 3)
		returning id`;
	return row!.id as string;
}

describe('the Emails screen’s functions', () => {
	it('are for admins only', async () => {
		const { practitioner } = await people();
		await expect(
			as(api, user(practitioner.id), (tx) => tx`select public.admin_emails()`)
		).rejects.toMatchObject({ code: '42501' });
		const id = await failedEmail(practitioner.id, practitioner.email);
		await expect(
			as(api, user(practitioner.id), (tx) => tx`select public.admin_resend_email(${id})`)
		).rejects.toMatchObject({ code: '42501' });
		expect((await admin`select status from public.notifications where id = ${id}`)[0]!.status).toBe(
			'failed'
		);
	});

	it('list the outbox with counts and reasons, and send a failed email again to the current address', async () => {
		const p = await people();
		const id = await failedEmail(p.practitioner.id, 'old.address@example.org');
		const [listed] = await as(
			api,
			user(p.admin),
			(tx) => tx`select public.admin_emails('failed') as r`
		);
		const overview = listed!.r as {
			counts: Record<string, number>;
			emails: { id: string; error: string; status: string }[];
		};
		expect(Object.keys(overview.counts).sort()).toEqual(['failed', 'pending', 'sending', 'sent']);
		expect(overview.counts.failed).toBeGreaterThan(0);
		expect(overview.emails.every((e) => e.status === 'failed')).toBe(true);
		expect(overview.emails.find((e) => e.id === id)?.error).toMatch(/Not a valid email address/);
		expect(JSON.stringify(overview)).not.toContain('A reminder'); // no bodies

		const [resent] = await as(
			api,
			user(p.admin),
			(tx) => tx`select public.admin_resend_email(${id}) as r`
		);
		expect(resent!.r).toEqual({ id, status: 'pending', to_email: p.practitioner.email });
		const [row] =
			await admin`select status, error, attempts from public.notifications where id = ${id}`;
		// the test API's mailbox may already have delivered it
		expect(row).toMatchObject({
			status: expect.stringMatching(/^(pending|sent)$/),
			error: null,
			attempts: 0
		});
		await expect(
			as(api, user(p.admin), (tx) => tx`select public.admin_resend_email(${id})`)
		).rejects.toMatchObject({ code: '22023', message: 'Only a failed email can be sent again' });
	});
});
