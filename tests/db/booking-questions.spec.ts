import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, mutation, superuser, user, type Sql } from './helpers';

/**
 * Questions at booking: a course asks them, a practitioner answers when booking, and only
 * they, the session's trainers and admins see the answers, which go when the booking is
 * given up and 14 days after the session.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Answer = { question: string; answer: string };
type Result = { status: string; reason?: string; data?: { id: string } };

const QUESTIONS = [
	'Do you have any access needs for the venue?',
	'Do you need any reasonable adjustments?'
];

async function sessionAsking(sql: Sql, startsIn = "interval '7 days'") {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, booking_questions)
		values (${'test-questions-' + crypto.randomUUID().slice(0, 8)}, 'Questions test course', 'A course made by a test',
			'Testers', 'introductory', 'face_to_face', 180, array['Testing'], 'published', now(), ${QUESTIONS})
		returning id`;
	const [session] = await sql.unsafe(
		`insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at)
		 values ($1, now() + ${startsIn}, now() + ${startsIn} + interval '3 hours', 'Hall', 20, now() + ${startsIn} - interval '1 day')
		 returning id`,
		[course!.id]
	);
	const trainer = await createUser(sql, 'questions-trainer');
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${session!.id}, ${trainer.id})`;
	return { sessionId: session!.id as string, trainer };
}

function push(userId: string, m: ReturnType<typeof mutation>) {
	return as(api, user(userId), async (tx) => {
		const [row] =
			await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json([m] as never)}) as out`;
		return (row!.out as { results: Result[] }).results[0]!;
	});
}

function bookingRow(userId: string, bookingId: string) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.booking_sync_row(${bookingId}) as r`;
		return row!.r as { answers?: Answer[] | null } | null;
	});
}

async function registerAnswers(userId: string, sessionId: string) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.get_register(${sessionId}) as r`;
		return (row!.r as { attendees: { booking_id: string; answers: Answer[] | null }[] }).attendees;
	});
}

describe('questions at booking', () => {
	it('are answered with the booking, and seen by the person, the session’s trainers and admins only', async () => {
		const { sessionId, trainer } = await sessionAsking(admin);
		const me = await createUser(admin, 'questions-booker');
		const other = await createUser(admin, 'questions-other');
		const otherTrainer = await createUser(admin, 'questions-other-trainer');
		await admin`insert into public.staff_roles (user_id, role) values (${otherTrainer.id}, 'trainer')`;
		const someAdmin = await createUser(admin, 'questions-admin');
		await admin`insert into public.staff_roles (user_id, role) values (${someAdmin.id}, 'admin')`;

		const bookingId = crypto.randomUUID();
		const result = await push(
			me.id,
			mutation('booking.request', {
				booking_id: bookingId,
				session_id: sessionId,
				answers: [
					{ question: QUESTIONS[0], answer: '  I use a wheelchair: step-free access, please ' },
					{ question: QUESTIONS[1], answer: '   ' }
				]
			})
		);
		expect(result).toMatchObject({ status: 'applied', data: { id: bookingId } });
		const expected = [
			{ question: QUESTIONS[0], answer: 'I use a wheelchair: step-free access, please' }
		];
		expect((await bookingRow(me.id, bookingId))!.answers).toEqual(expected);
		expect((await bookingRow(trainer.id, bookingId))!.answers).toEqual(expected);
		expect((await bookingRow(someAdmin.id, bookingId))!.answers).toEqual(expected);
		expect(
			(await registerAnswers(trainer.id, sessionId)).find((a) => a.booking_id === bookingId)!
				.answers
		).toEqual(expected);
		// another practitioner and a trainer of other sessions see no row, so no answers
		expect(await bookingRow(other.id, bookingId)).toBeNull();
		expect(await bookingRow(otherTrainer.id, bookingId)).toBeNull();
		await expect(
			as(api, user(otherTrainer.id), (tx) => tx`select public.get_register(${sessionId})`)
		).rejects.toMatchObject({ code: '42501' });
		for (const who of [other.id, otherTrainer.id]) {
			const [r] = await as(
				api,
				user(who),
				(tx) => tx`select public.booking_answers_of(${bookingId}) as a`
			);
			expect(r!.a).toBeNull();
		}
		// in the person's own copy of their data
		const [mine] = await as(api, user(me.id), (tx) => tx`select public.my_data() as d`);
		const booked = (mine!.d as { bookings: { id: string; answers_at_booking: Answer[] }[] })
			.bookings;
		expect(booked.find((b) => b.id === bookingId)!.answers_at_booking).toEqual(expected);
	});

	it('refuse answers that cannot be kept, and book nothing, so the device can show why', async () => {
		const { sessionId } = await sessionAsking(admin);
		const me = await createUser(admin, 'questions-bad');
		for (const [answers, reason] of [
			['wheelchair', 'Answers must be a list of at most 5'],
			[[{ question: QUESTIONS[0] }], 'Each answer needs its question and the answer, as text'],
			[
				[{ question: QUESTIONS[0], answer: 'x'.repeat(1001) }],
				'Answer must be 1000 characters or fewer (it has 1001)'
			]
		] as const) {
			const result = await push(
				me.id,
				mutation('booking.request', {
					booking_id: crypto.randomUUID(),
					session_id: sessionId,
					answers
				})
			);
			expect(result).toMatchObject({
				status: 'invalid',
				error: { code: expect.stringMatching(/^22/), message: expect.stringContaining(reason) }
			});
		}
		const [n] =
			await admin`select count(*)::int as n from public.bookings where user_id = ${me.id}`;
		expect(n!.n).toBe(0);
	});

	it('go when the place is given up, from the device ledger too; sent again, the booking is answered as before', async () => {
		const { sessionId, trainer } = await sessionAsking(admin);
		const me = await createUser(admin, 'questions-cancel');
		const bookingId = crypto.randomUUID();
		const request = mutation('booking.request', {
			booking_id: bookingId,
			session_id: sessionId,
			answers: [{ question: QUESTIONS[1], answer: 'Large print handouts' }]
		});
		const first = await push(me.id, request);
		expect(first.status).toBe('applied');
		const [logged] = await admin`select args from public.sync_mutations where id = ${request.id}`;
		expect(JSON.stringify(logged!.args)).toContain('Large print handouts');

		expect((await push(me.id, mutation('booking.cancel', { booking_id: bookingId }))).status).toBe(
			'applied'
		);
		expect((await bookingRow(trainer.id, bookingId))!.answers).toBeNull();
		const [kept] = await admin`select count(*)::int as n from public.booking_answers
			where booking_id = ${bookingId}`;
		expect(kept!.n).toBe(0);
		const [forgotten] =
			await admin`select args from public.sync_mutations where id = ${request.id}`;
		expect(forgotten!.args).toBeNull();
		// the device sends its request again: the stored answer, not a conflict
		expect(await push(me.id, request)).toEqual(first);
	});

	it('are deleted by the retention job 14 days after the session, not before', async () => {
		const { sessionId } = await sessionAsking(admin, "interval '-20 days'");
		const me = await createUser(admin, 'questions-retention');
		const [b] = await admin`insert into public.bookings (session_id, user_id, status)
			values (${sessionId}, ${me.id}, 'confirmed') returning id`;
		await admin`insert into public.booking_answers (booking_id, session_id, user_id, answers)
			values (${b!.id}, ${sessionId}, ${me.id}, ${admin.json([{ question: QUESTIONS[0], answer: 'Hearing loop' }])})`;
		const count = async () =>
			(
				await admin`select count(*)::int as n from public.booking_answers where booking_id = ${b!.id}`
			)[0]!.n as number;
		// the session ended 20 days ago less 3 hours: still kept 5 days before, gone now
		await admin`select public.apply_retention(now() - interval '6 days')`;
		expect(await count()).toBe(1);
		const [run] = await admin`select public.apply_retention() as r`;
		expect(await count()).toBe(0);
		expect((run!.r as { booking_answers_deleted: number }).booking_answers_deleted).toBeGreaterThan(
			0
		);
	});

	it('are set by admins: blanks dropped, at most 5, each 5 to 300 characters', async () => {
		const me = await createUser(admin, 'questions-course-admin');
		await admin`insert into public.staff_roles (user_id, role) values (${me.id}, 'admin')`;
		const save = (questions: unknown) =>
			as(api, user(me.id), async (tx) => {
				const [row] = await tx`select public.admin_save_course(${tx.json({
					title: `Test questions ${crypto.randomUUID().slice(0, 6)}`,
					summary: 'A course with questions at booking.',
					audience: 'Everyone',
					level: 'introductory',
					format: 'face_to_face',
					duration_minutes: 120,
					themes: ['Testing'],
					booking_questions: questions
				} as never)}) as c`;
				return row!.c as { booking_questions: string[] };
			});
		expect((await save(['  Any access needs? ', '', QUESTIONS[1]])).booking_questions).toEqual([
			'Any access needs?',
			QUESTIONS[1]
		]);
		expect((await save(null)).booking_questions).toEqual([]);
		await expect(save(Array(6).fill(QUESTIONS[0]))).rejects.toMatchObject({
			code: '22023',
			message: 'Ask at most 5 questions at booking'
		});
		await expect(save(['Why?'])).rejects.toMatchObject({
			message: 'Each booking question must be 5 to 300 characters'
		});
		await expect(save('Any access needs?')).rejects.toMatchObject({
			message: 'Booking questions must be a list'
		});
	});
});
