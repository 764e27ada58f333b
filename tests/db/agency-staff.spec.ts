import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user, type Sql } from './helpers';

/**
 * Booking for staff: an agency safeguarding lead books and releases places for colleagues in
 * the agency they lead, and sees their records and refreshers due; nobody else's.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Result = { status: string; reason?: string; data?: { id: string; status: string } };

async function agency(sql: Sql) {
	const [a] = await sql`insert into public.agencies (name, sector)
		values (${'Test agency ' + crypto.randomUUID().slice(0, 8)}, 'health') returning id`;
	return a!.id as string;
}

async function member(sql: Sql, agencyId: string, name: string) {
	const p = await createUser(sql, 'staff');
	await sql`update public.profiles set full_name = ${name}, agency_id = ${agencyId}, job_role = 'Nurse' where id = ${p.id}`;
	return p;
}

async function lead(sql: Sql, agencyId: string) {
	const p = await member(sql, agencyId, 'Lee Lead');
	await sql`insert into public.staff_roles (user_id, role, agency_id) values (${p.id}, 'agency_lead', ${agencyId})`;
	return p;
}

async function session(sql: Sql, capacity = 10, daysAhead = 7, renewYears: number | null = null) {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, renew_years)
		values (${'test-staff-' + crypto.randomUUID().slice(0, 8)}, 'Staff booking course', 'A course made by a test',
			'Testers', 'introductory', 'face_to_face', 120, array['Testing'], 'published', now(), ${renewYears})
		returning id`;
	const [s] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at)
		values (${course!.id}, now() + ${daysAhead} * interval '1 day', now() + ${daysAhead} * interval '1 day' + interval '2 hours',
			'Hall', ${capacity}, now() + ${daysAhead} * interval '1 day' - interval '1 day')
		returning id`;
	return { sessionId: s!.id as string, courseId: course!.id as string };
}

const call = <T>(userId: string, query: string, ...args: unknown[]) =>
	as(api, user(userId), async (tx) => {
		const [r] = await tx.unsafe(query, args as never[]);
		return r!.r as T;
	});

const bookFor = (
	leadId: string,
	userId: string,
	sessionId: string,
	bookingId = crypto.randomUUID()
) =>
	call<Result>(
		leadId,
		'select public.book_for_colleague($1, $2, $3) as r',
		userId,
		sessionId,
		bookingId
	);

const emailsTo = (userId: string) =>
	admin`select kind, subject, body from public.notifications where user_id = ${userId} order by created_at`;

describe('booking for staff', () => {
	it('lists the lead’s own agency only, with each person’s training and places to come', async () => {
		const a = await agency(admin);
		const other = await agency(admin);
		const me = await lead(admin, a);
		const colleague = await member(admin, a, 'Cara Colleague');
		const outsider = await member(admin, other, 'Otto Outsider');
		const deleted = await member(admin, a, 'Del Eted');
		await admin`select public.anonymise_person(${deleted.id})`;
		// a past session colleague completed, of a course renewed every year
		const past = await session(admin, 10, -400, 1);
		const [b] = await admin`insert into public.bookings (session_id, user_id, status)
			values (${past.sessionId}, ${colleague.id}, 'confirmed') returning id`;
		await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
			values (gen_random_uuid(), ${past.sessionId}, ${b!.id}, 'present', ${me.id}, now() - interval '400 days', 'register')`;
		const next = await session(admin);
		await admin`insert into public.bookings (session_id, user_id, status) values (${next.sessionId}, ${colleague.id}, 'confirmed')`;

		const staff = await call<{
			agency: string;
			staff: {
				user_id: string;
				attended: number;
				learning_minutes: number;
				renewals: { due_on: string }[];
				bookings: unknown[];
			}[];
		}>(me.id, 'select public.agency_staff() as r');
		expect(staff.agency).toMatch(/^Test agency/);
		expect(staff.staff.map((s) => s.user_id).sort()).toEqual([me.id, colleague.id].sort());
		const cara = staff.staff.find((s) => s.user_id === colleague.id)!;
		expect(cara).toMatchObject({ attended: 1, learning_minutes: 120 });
		expect(cara.renewals).toHaveLength(1);
		expect(cara.bookings).toHaveLength(1);
		expect(JSON.stringify(staff)).not.toContain(outsider.id);

		const record = await call<{ sessions: unknown[] }>(
			me.id,
			'select public.staff_training_record($1) as r',
			colleague.id
		);
		expect(record.sessions).toHaveLength(1);
		for (const [who, fn, args] of [
			[me.id, 'staff_training_record($1)', [outsider.id]],
			[me.id, 'staff_training_record($1)', [deleted.id]],
			[colleague.id, 'agency_staff()', []],
			[colleague.id, 'staff_training_record($1)', [me.id]]
		] as const) {
			await expect(call(who, `select public.${fn} as r`, ...args), fn).rejects.toMatchObject({
				code: '42501'
			});
		}
	});

	it('books a colleague a place by the same rules, tells them who did, and answers a repeat as before', async () => {
		const a = await agency(admin);
		const me = await lead(admin, a);
		const colleague = await member(admin, a, 'Cara Colleague');
		const second = await member(admin, a, 'Sam Second');
		const outsider = await member(admin, await agency(admin), 'Otto Outsider');
		const { sessionId } = await session(admin, 1);

		const bookingId = crypto.randomUUID();
		const first = await bookFor(me.id, colleague.id, sessionId, bookingId);
		expect(first).toMatchObject({
			status: 'applied',
			data: { id: bookingId, status: 'confirmed' }
		});
		expect(await bookFor(me.id, colleague.id, sessionId, bookingId)).toEqual(first);
		const [row] =
			await admin`select user_id, booked_by from public.bookings where id = ${bookingId}`;
		expect(row).toEqual({ user_id: colleague.id, booked_by: me.id });
		const [mail] = await emailsTo(colleague.id);
		expect(mail!.subject).toBe('Booking confirmed: Staff booking course');
		expect(mail!.body).toMatch(/^Lee Lead, your agency's safeguarding lead, booked this for you\./);
		// the colleague's own device sees the place
		const theirs = await call<{ id: string; status: string }>(
			colleague.id,
			'select public.booking_sync_row($1) as r',
			bookingId
		);
		expect(theirs).toMatchObject({ id: bookingId, status: 'confirmed' });

		// full: the next colleague waits; a second place for the same person is refused
		expect((await bookFor(me.id, second.id, sessionId)).data!.status).toBe('waitlisted');
		expect(await bookFor(me.id, colleague.id, sessionId)).toEqual({
			status: 'rejected',
			reason: 'Cara Colleague already has a place for this session.'
		});
		await expect(bookFor(me.id, outsider.id, sessionId)).rejects.toMatchObject({
			code: '42501',
			message: 'That person is not in the agency you lead'
		});
		await expect(bookFor(colleague.id, second.id, sessionId)).rejects.toMatchObject({
			code: '42501'
		});
	});

	it('releases a colleague’s place, which goes to the next in line, and tells them', async () => {
		const a = await agency(admin);
		const me = await lead(admin, a);
		const colleague = await member(admin, a, 'Cara Colleague');
		const waiting = await member(admin, a, 'Wen Waiting');
		const { sessionId } = await session(admin, 1);
		const placed = await bookFor(me.id, colleague.id, sessionId);
		await bookFor(me.id, waiting.id, sessionId);

		const released = await call<Result>(
			me.id,
			'select public.release_for_colleague($1) as r',
			placed.data!.id
		);
		expect(released).toMatchObject({ status: 'applied', data: { status: 'cancelled' } });
		const mails = await emailsTo(colleague.id);
		expect(mails.at(-1)).toMatchObject({ kind: 'booking_cancelled' });
		expect(mails.at(-1)!.body).toMatch(
			/^Lee Lead, your agency's safeguarding lead, has released this for you\.\n\nYour place is released on:/
		);
		const [next] = await admin`select status from public.bookings where user_id = ${waiting.id}`;
		expect(next!.status).toBe('offered');

		// another agency's lead may not release it
		const otherLead = await lead(admin, await agency(admin));
		const another = await bookFor(me.id, waiting.id, (await session(admin)).sessionId);
		await expect(
			call(otherLead.id, 'select public.release_for_colleague($1) as r', another.data!.id)
		).rejects.toMatchObject({ code: '42501' });
	});
});
