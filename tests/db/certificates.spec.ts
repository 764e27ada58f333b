import { afterAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

/** A session that ended an hour ago; a trainer to mark the register. */
async function pastSession(sql: Sql, status: 'scheduled' | 'cancelled' = 'scheduled') {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-cert-' + crypto.randomUUID().slice(0, 8)}, 'Certificate test course', 'A course made by a test',
			'Testers', 'introductory', 'face_to_face', 180, array['Testing'], 'published', now())
		returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at)
		values (${course!.id}, now() - interval '4 hours', now() - interval '1 hour', 'Hall', 30, now() - interval '1 day')
		returning id, starts_at`;
	if (status === 'cancelled')
		await sql`update public.sessions set status = 'cancelled', cancelled_reason = 'Trainer unwell' where id = ${session!.id}`;
	const trainer = await createUser(sql, 'cert-trainer');
	return { sessionId: session!.id as string, startsAt: session!.starts_at as Date, trainer };
}

async function attendee(sql: Sql, sessionId: string, name: string | null = 'Priya Shah') {
	const person = await createUser(sql, 'cert-attendee');
	if (name) await sql`update public.profiles set full_name = ${name} where id = ${person.id}`;
	const [b] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${sessionId}, ${person.id}, 'confirmed') returning id, certificate_ref`;
	return { ...person, bookingId: b!.id as string, reference: b!.certificate_ref as string };
}

async function mark(
	sql: Sql,
	s: { sessionId: string; trainer: { id: string } },
	target: { booking_id?: string; walk_in_id?: string },
	status: string
) {
	await sql`insert into public.attendance_events (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${s.sessionId}, ${target.booking_id ?? null}, ${target.walk_in_id ?? null}, ${status}::public.attendance_status, ${s.trainer.id}, clock_timestamp() - interval '3 hours', 'register')`;
}

async function evaluate(sql: Sql, sessionId: string, userId: string) {
	await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${sessionId}, ${userId}, 4, 'I will use the toolkit')`;
}

const verify = (reference: string) =>
	as(api, anon, async (tx) => {
		const [row] = await tx`select public.verify_certificate(${reference}) as r`;
		return row!.r as Record<string, unknown> | null;
	});

describe('certificate references', () => {
	it('every booking has its own, in the printed form', async () => {
		const s = await pastSession(admin);
		const a = await attendee(admin, s.sessionId);
		const b = await attendee(admin, s.sessionId);
		expect(a.reference).toMatch(
			/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/
		);
		expect(a.reference).not.toBe(b.reference);
		const [{ distinct }] =
			(await admin`select count(distinct public.new_certificate_ref())::int as distinct
			from generate_series(1, 2000)`) as unknown as [{ distinct: number }];
		expect(distinct).toBe(2000);
	});

	it('anyone can check an earned one: name, course, date and learning time, however it is typed', async () => {
		const s = await pastSession(admin);
		const a = await attendee(admin, s.sessionId);
		await mark(admin, s, { booking_id: a.bookingId }, 'late');
		await evaluate(admin, s.sessionId, a.id);
		const found = await verify(a.reference);
		expect(found).toEqual({
			reference: a.reference,
			name: 'Priya Shah',
			course: 'Certificate test course',
			starts_at: expect.any(String),
			learning_minutes: 180
		});
		expect(Date.parse(found!.starts_at as string)).toBe(s.startsAt.getTime());
		// lower case, spaces for hyphens, O for 0 and l for 1
		const typed = ` ${a.reference.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
		expect(await verify(typed)).toEqual(found);
		// nothing else about the person: no email, no ids
		expect(JSON.stringify(found)).not.toContain(a.email);
		expect(JSON.stringify(found)).not.toContain(a.id);
	});

	it('answers nothing until it is earned, and nothing once it is not', async () => {
		const s = await pastSession(admin);
		const a = await attendee(admin, s.sessionId);
		expect(await verify(a.reference)).toBeNull(); // not marked, no evaluation
		await evaluate(admin, s.sessionId, a.id);
		expect(await verify(a.reference)).toBeNull(); // evaluation, not marked
		await mark(admin, s, { booking_id: a.bookingId }, 'left_early');
		expect(await verify(a.reference)).toBeNull(); // left early earns none
		await mark(admin, s, { booking_id: a.bookingId }, 'present');
		expect(await verify(a.reference)).not.toBeNull();
		await mark(admin, s, { booking_id: a.bookingId }, 'absent'); // the register corrected
		expect(await verify(a.reference)).toBeNull();

		const cancelled = await pastSession(admin, 'cancelled');
		const c = await attendee(admin, cancelled.sessionId);
		await mark(admin, cancelled, { booking_id: c.bookingId }, 'present');
		await evaluate(admin, cancelled.sessionId, c.id);
		expect(await verify(c.reference)).toBeNull();

		const nameless = await attendee(admin, s.sessionId, null);
		await mark(admin, s, { booking_id: nameless.bookingId }, 'present');
		await evaluate(admin, s.sessionId, nameless.id);
		expect(await verify(nameless.reference)).toBeNull();
	});

	it('a walk-in with an account has one, checked the same way; a deleted account has none', async () => {
		const s = await pastSession(admin);
		const person = await createUser(admin, 'cert-walk-in');
		await admin`update public.profiles set full_name = 'Walk In' where id = ${person.id}`;
		const [w] =
			await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
			values (${s.sessionId}, 'Walk In', ${person.email.toUpperCase()}, ${s.trainer.id}) returning id, certificate_ref`;
		await mark(admin, s, { walk_in_id: w!.id as string }, 'present');
		await evaluate(admin, s.sessionId, person.id);
		expect(await verify(w!.certificate_ref as string)).toMatchObject({ name: 'Walk In' });
		const row = await as(api, user(person.id), async (tx) => {
			const [r] = await tx`select public.walk_in_place_sync_row(${w!.id as string}) as r`;
			return r!.r as { certificate_ref: string };
		});
		expect(row.certificate_ref).toBe(w!.certificate_ref);

		const a = await attendee(admin, s.sessionId);
		await mark(admin, s, { booking_id: a.bookingId }, 'present');
		await evaluate(admin, s.sessionId, a.id);
		expect(await verify(a.reference)).not.toBeNull();
		await admin`select public.anonymise_person(${a.id})`;
		expect(await verify(a.reference)).toBeNull();
	});

	it('refuses what cannot be a reference with what one looks like, and finds nothing for one not issued', async () => {
		for (const bad of [
			'',
			'abc',
			'UUUU-UUUU-UUUU',
			'x'.repeat(5000),
			"'; drop table bookings; --"
		]) {
			await expect(verify(bad), bad.slice(0, 20)).rejects.toMatchObject({
				code: '22023',
				message: 'A certificate reference is 12 letters and numbers, like 7K3M-Q9XD-2RTA'
			});
		}
		expect(await verify('0000-0000-0000')).toBeNull();
	});
});
