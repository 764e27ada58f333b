import { afterAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user, type Sql } from './helpers';

/**
 * The training record (training_record_of, my_training_record) and the reminders to renew
 * training (send_refresher_reminders): what counts, what is due when, and that the record
 * is only ever the caller's own.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

interface RecordSession {
	session_id: string;
	course: string;
	attendance: string;
	learning_minutes: number;
	evaluated: boolean;
	certificate: { reference: string; outcomes: string[] } | null;
}
interface Renewal {
	course_id: string;
	due_on: string;
	completed_at: string;
	renew_years: number;
	booked_starts_at: string | null;
}
interface TrainingRecord {
	name: string | null;
	sessions: RecordSession[];
	renewals: Renewal[];
}

async function course(sql: Sql, renewYears: number | null = null, minutes = 180) {
	const [c] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, renew_years)
		values (${'test-record-' + crypto.randomUUID().slice(0, 8)}, ${'Record course ' + crypto.randomUUID().slice(0, 4)},
			'A course made by a test', 'Testers', 'introductory', 'face_to_face', ${minutes}, array['Testing'], 'published', now(), ${renewYears})
		returning id, title`;
	await sql`insert into public.learning_outcomes (course_id, position, text) values
		(${c!.id}, 1, 'Recognise the signs'), (${c!.id}, 2, 'Know who to tell')`;
	return { id: c!.id as string, title: c!.title as string };
}

/** A session of the course starting at `startsAt` (three hours long). */
async function session(sql: Sql, courseId: string, startsAt: string, status = 'scheduled') {
	const [s] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at, status, cancelled_reason)
		values (${courseId}, ${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '3 hours', 'Hall', 30,
			${startsAt}::timestamptz - interval '1 day', ${status}::public.session_status,
			${status === 'cancelled' ? 'Trainer unwell' : null})
		returning id`;
	return s!.id as string;
}

const trainer = await createUser(admin, 'record-trainer');

async function booked(sql: Sql, sessionId: string, userId: string, status = 'confirmed') {
	const [b] = await sql`insert into public.bookings (session_id, user_id, status, waitlisted_at)
		values (${sessionId}, ${userId}, ${status}::public.booking_status,
			${status === 'waitlisted' ? new Date() : null}) returning id`;
	return b!.id as string;
}

async function mark(
	sql: Sql,
	sessionId: string,
	target: { booking?: string; walkIn?: string },
	status: string
) {
	await sql`insert into public.attendance_events (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${sessionId}, ${target.booking ?? null}, ${target.walkIn ?? null},
			${status}::public.attendance_status, ${trainer.id}, clock_timestamp(), 'register')`;
}

async function evaluate(sql: Sql, sessionId: string, userId: string) {
	await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${sessionId}, ${userId}, 4, 'I will use the toolkit')`;
}

async function person(name: string | null = 'Sam Record') {
	const p = await createUser(admin, 'record-person');
	if (name) await admin`update public.profiles set full_name = ${name} where id = ${p.id}`;
	return p;
}

const myRecord = (userId: string) =>
	as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.my_training_record() as r`;
		return row!.r as TrainingRecord;
	});

const yearsAgo = (years: number, days = 0) => {
	const d = new Date();
	d.setUTCFullYear(d.getUTCFullYear() - years);
	d.setUTCDate(d.getUTCDate() - days);
	d.setUTCHours(9, 30, 0, 0);
	return d.toISOString();
};

describe('the training record', () => {
	it('lists every session attended, counting learning time only for training completed', async () => {
		const me = await person();
		const other = await person('Someone Else');
		const long = await course(admin, null, 360);
		const short = await course(admin, null, 90);

		const present = await session(admin, long.id, yearsAgo(1));
		await mark(admin, present, { booking: await booked(admin, present, me.id) }, 'present');
		await evaluate(admin, present, me.id);
		const late = await session(admin, short.id, yearsAgo(0, 30));
		await mark(admin, late, { booking: await booked(admin, late, me.id) }, 'late');
		const leftEarly = await session(admin, long.id, yearsAgo(0, 20));
		await mark(admin, leftEarly, { booking: await booked(admin, leftEarly, me.id) }, 'left_early');
		await evaluate(admin, leftEarly, me.id);
		const absent = await session(admin, long.id, yearsAgo(0, 10));
		await mark(admin, absent, { booking: await booked(admin, absent, me.id) }, 'absent');
		const cancelled = await session(admin, long.id, yearsAgo(0, 5), 'cancelled');
		await mark(admin, cancelled, { booking: await booked(admin, cancelled, me.id) }, 'present');
		const unmarked = await session(admin, short.id, yearsAgo(0, 3));
		await booked(admin, unmarked, me.id);
		// a walk-in recorded with their email, in another case
		const walkedIn = await session(admin, short.id, yearsAgo(0, 2));
		const [w] =
			await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
			values (${walkedIn}, 'Sam Record', ${me.email.toUpperCase()}, ${trainer.id}) returning id`;
		await mark(admin, walkedIn, { walkIn: w!.id as string }, 'present');
		// someone else's attendance is not mine
		await mark(admin, present, { booking: await booked(admin, present, other.id) }, 'present');

		const record = await myRecord(me.id);
		expect(record.name).toBe('Sam Record');
		expect(record.sessions.map((s) => [s.session_id, s.attendance, s.learning_minutes])).toEqual([
			[walkedIn, 'present', 90],
			[leftEarly, 'left_early', 0],
			[late, 'late', 90],
			[present, 'present', 360]
		]);
		// a certificate only where it is earned: completed and evaluated
		const byId = new Map(record.sessions.map((s) => [s.session_id, s]));
		expect(byId.get(present)!.certificate).toMatchObject({
			reference: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
			outcomes: ['Recognise the signs', 'Know who to tell']
		});
		expect(byId.get(leftEarly)!.certificate).toBeNull();
		expect(byId.get(late)!.certificate).toBeNull();
		expect(byId.get(late)!.evaluated).toBe(false);

		const theirs = await myRecord(other.id);
		expect(theirs.sessions.map((s) => s.session_id)).toEqual([present]);
	});

	it('is only ever the caller’s own: anon may not ask, and no one may name another person', async () => {
		await expect(
			as(api, anon, (tx) => tx`select public.my_training_record()`)
		).rejects.toMatchObject({ code: '42501' });
		const me = await person();
		for (const fn of ['training_record_of', 'attended_sessions']) {
			await expect(
				as(api, user(me.id), (tx) => tx.unsafe(`select public.${fn}($1)`, [me.id]))
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('shows when training to renew falls due: the last completion, plus the course’s years', async () => {
		const me = await person();
		const renew = await course(admin, 3);
		const first = await session(admin, renew.id, '2023-03-14T09:30:00Z');
		await mark(admin, first, { booking: await booked(admin, first, me.id) }, 'present');
		const again = await session(admin, renew.id, '2024-06-30T23:30:00Z'); // 1 July in the UK
		await mark(admin, again, { booking: await booked(admin, again, me.id) }, 'late');
		const notCompleted = await session(admin, renew.id, yearsAgo(0, 40));
		await mark(
			admin,
			notCompleted,
			{ booking: await booked(admin, notCompleted, me.id) },
			'left_early'
		);

		let record = await myRecord(me.id);
		expect(record.renewals).toEqual([
			expect.objectContaining({
				course_id: renew.id,
				renew_years: 3,
				due_on: '2027-07-01',
				booked_starts_at: null
			})
		]);
		const next = await session(admin, renew.id, new Date(Date.now() + 30 * 864e5).toISOString());
		await booked(admin, next, me.id, 'waitlisted');
		record = await myRecord(me.id);
		expect(record.renewals[0]!.booked_starts_at).not.toBeNull();
	});
});

describe('reminders to renew', () => {
	async function dueOnce() {
		const me = await person();
		const renew = await course(admin, 2);
		const done = await session(admin, renew.id, '2025-02-10T10:00:00Z'); // due 10 February 2027
		await mark(admin, done, { booking: await booked(admin, done, me.id) }, 'present');
		return { me, renew };
	}
	const send = (at: string) => admin`select public.send_refresher_reminders(${at}::timestamptz)`;
	const emails = (userId: string) =>
		admin`select subject, body from public.notifications where user_id = ${userId} and kind = 'refresher_due'`;

	it('go once, six weeks before it falls due, with the way to book', async () => {
		const { me, renew } = await dueOnce();
		await send('2026-12-29T09:00:00Z'); // 43 days before
		expect(await emails(me.id)).toHaveLength(0);
		await send('2026-12-31T09:00:00Z');
		await send('2027-01-07T09:00:00Z');
		const sent = await emails(me.id);
		expect(sent).toHaveLength(1);
		expect(sent[0]!.subject).toBe(`Time to renew: ${renew.title}`);
		expect(sent[0]!.body).toContain('is due for renewal by 10 February 2027');
		expect(sent[0]!.body).toContain('You last completed it on 10 February 2025');
		expect(sent[0]!.body).toMatch(/Book a place: http\S+\/courses\/test-record-/);
		expect(sent[0]!.body).toContain('/my-training/record');
	});

	it('do not go to someone booked to renew it, who has renewed it, long overdue, or deleted', async () => {
		const booked1 = await dueOnce();
		const later = await session(admin, booked1.renew.id, '2027-02-03T10:00:00Z');
		await booked(admin, later, booked1.me.id);
		await send('2027-01-05T09:00:00Z');
		expect(await emails(booked1.me.id)).toHaveLength(0);

		const overdue = await dueOnce();
		await send('2027-05-12T09:00:00Z'); // 91 days after
		expect(await emails(overdue.me.id)).toHaveLength(0);
		await send('2027-05-10T09:00:00Z'); // 89 days after: once
		expect((await emails(overdue.me.id))[0]!.body).toContain(
			'was due for renewal on 10 February 2027'
		);

		const renewed = await dueOnce();
		const renewal = await session(admin, renewed.renew.id, '2026-11-02T10:00:00Z');
		await mark(admin, renewal, { booking: await booked(admin, renewal, renewed.me.id) }, 'present');
		await send('2027-01-05T09:00:00Z');
		expect(await emails(renewed.me.id)).toHaveLength(0);

		const deleted = await dueOnce();
		await admin`select public.anonymise_person(${deleted.me.id})`;
		await send('2027-01-05T09:00:00Z');
		expect(await emails(deleted.me.id)).toHaveLength(0);
	});
});
