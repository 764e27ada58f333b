import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user } from './helpers';

/**
 * A trainer's message to everyone booked on their session (the room changed, the link
 * changed), through the outbox: one email to each person with a confirmed place, with the
 * session's details and the course page. Called as the API roles.
 */
const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

async function session() {
	const slug = `test-message-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, 'Message course', 'A course made by a test', 'Testers', 'introductory', 'face_to_face', 120,
			array['Testing'], 'published', now())
		returning id`;
	const [s] = await admin`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() + interval '3 days', now() + interval '3 days 2 hours', 'Hall', 'High Street', 2,
			'offer', now() + interval '2 days')
		returning id`;
	const trainer = await createUser(admin, 'message-trainer');
	await admin`update public.profiles set full_name = 'Tess Trainer' where id = ${trainer.id}`;
	await admin`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	await admin`insert into public.session_trainers (session_id, trainer_id) values (${s!.id}, ${trainer.id})`;
	const people = [];
	for (const status of ['confirmed', 'confirmed', 'waitlisted', 'cancelled']) {
		const p = await createUser(admin, `message-${status}`);
		await admin`insert into public.bookings (session_id, user_id, status, waitlisted_at, cancelled_at)
			values (${s!.id}, ${p.id}, ${status}::public.booking_status,
				${status === 'waitlisted' ? new Date() : null}, ${status === 'cancelled' ? new Date() : null})`;
		people.push({ ...p, status });
	}
	return { id: s!.id as string, slug, trainer: trainer.id, people };
}

const send = (userId: string, args: Record<string, unknown>) =>
	as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.message_session(${tx.json(args as never)}) as r`;
		return row!.r as { status: string; reason?: string; data?: { sent: number } };
	});

const emails = (sessionSlug: string) =>
	admin`select user_id, subject, body from public.notifications
		where kind = 'session_message' and strpos(body, ${'/courses/' + sessionSlug}) > 0 order by user_id`;

describe('a message to everyone booked', () => {
	it('reaches each confirmed place once, with the message, the session and the course page', async () => {
		const s = await session();
		const message = {
			id: crypto.randomUUID(),
			session_id: s.id,
			subject: 'Room change',
			message: 'We are in Room 4 now, up the stairs.'
		};
		expect(await send(s.trainer, message)).toEqual({ status: 'applied', data: { sent: 2 } });
		// sent again (a double click, a retry): nobody gets it twice
		expect(await send(s.trainer, message)).toEqual({ status: 'applied', data: { sent: 2 } });
		const sent = await emails(s.slug);
		const confirmed = s.people.filter((p) => p.status === 'confirmed').map((p) => p.id);
		expect(sent.map((e) => e.user_id).sort()).toEqual(confirmed.sort());
		expect(sent[0]!.subject).toBe('Message course: Room change');
		expect(sent[0]!.body).toMatch(
			/^Tess Trainer has sent this message to everyone booked on this session:/
		);
		expect(sent[0]!.body).toContain('We are in Room 4 now, up the stairs.');
		expect(sent[0]!.body).toContain('Hall');
		expect(sent[0]!.body).toContain(`/courses/${s.slug}`);
	});

	it('only the session’s trainers and admins may send one; an empty or overlong message is refused with the reason', async () => {
		const s = await session();
		const args = { id: crypto.randomUUID(), session_id: s.id, subject: 'Hello', message: 'Hi' };
		const other = await createUser(admin, 'message-other-trainer');
		await admin`insert into public.staff_roles (user_id, role) values (${other.id}, 'trainer')`;
		for (const who of [other.id, s.people[0]!.id])
			await expect(send(who, args)).rejects.toMatchObject({ code: '42501' });
		await expect(send(s.trainer, { ...args, message: '   ' })).rejects.toMatchObject({
			code: '22023',
			message: 'Enter the message'
		});
		await expect(send(s.trainer, { ...args, subject: 'x'.repeat(121) })).rejects.toMatchObject({
			code: '22001',
			message: 'Subject must be 120 characters or fewer (it has 121)'
		});
		await expect(send(s.trainer, { ...args, id: 'not-an-id' })).rejects.toMatchObject({
			code: '22023',
			message: 'A message needs an id (a UUID)'
		});
		expect(await emails(s.slug)).toHaveLength(0);
		const boss = await createUser(admin, 'message-admin');
		await admin`insert into public.staff_roles (user_id, role) values (${boss.id}, 'admin')`;
		expect(await send(boss.id, args)).toMatchObject({ status: 'applied', data: { sent: 2 } });
	});

	it('a cancelled session takes no message', async () => {
		const s = await session();
		await admin`update public.sessions set status = 'cancelled', cancelled_reason = 'Ill' where id = ${s.id}`;
		expect(
			await send(s.trainer, {
				id: crypto.randomUUID(),
				session_id: s.id,
				subject: 'Hi',
				message: 'Hi'
			})
		).toEqual({
			status: 'rejected',
			reason: 'This session was cancelled, and everyone booked was told.'
		});
	});
});
