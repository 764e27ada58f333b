import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, mutation, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Result = { status: 'applied' | 'rejected' | 'invalid'; reason?: string; data?: unknown };

/** A session that started two hours ago and ended an hour ago, with three outcomes and a trainer. */
async function heldSession(sql: Sql) {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, followup_weeks)
		values (${'test-eligibility-' + crypto.randomUUID().slice(0, 8)}, 'Eligibility test course', 'A course made by a test',
			'Testers', 'introductory', 'face_to_face', 60, array['Testing'], 'published', now(), 1)
		returning id`;
	const outcomes = await sql`
		insert into public.learning_outcomes (course_id, position, text)
		select ${course!.id}, i, 'Outcome ' || i from generate_series(1, 3) i returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() - interval '2 hours', now() - interval '1 hour', 'Hall', 30, 'offer', now() - interval '1 day')
		returning id`;
	const trainer = await createUser(sql, 'trainer');
	await sql`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${session!.id}, ${trainer.id})`;
	return {
		sessionId: session!.id as string,
		outcomeIds: outcomes.map((o) => o.id as string),
		trainer
	};
}

async function booker(sql: Sql, sessionId: string, label: string) {
	const person = await createUser(sql, label);
	const [b] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${sessionId}, ${person.id}, 'confirmed') returning id`;
	return { ...person, bookingId: b!.id as string };
}

async function push(userId: string, ...mutations: ReturnType<typeof mutation>[]) {
	return as(api, user(userId), async (tx) => {
		const [row] =
			await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json(mutations as never)}) as r`;
		return (row!.r as { results: Result[] }).results;
	});
}

const mark = (
	sessionId: string,
	target: { booking_id?: string; walk_in_id?: string },
	status: string
) =>
	mutation('attendance.mark', {
		id: crypto.randomUUID(),
		session_id: sessionId,
		booking_id: target.booking_id ?? null,
		walk_in_id: target.walk_in_id ?? null,
		status,
		marked_at: new Date(Date.now() - 70 * 60_000).toISOString()
	});

const evaluation = (sessionId: string, outcomeIds: string[]) =>
	mutation('evaluation.submit', {
		id: crypto.randomUUID(),
		session_id: sessionId,
		overall: 4,
		practice_change: 'I will ask about neglect sooner',
		comments: null,
		ratings: outcomeIds.map((outcome_id) => ({ outcome_id, before: 2, after: 4 }))
	});

const close = (sessionId: string) =>
	mutation('attendance.close_register', {
		session_id: sessionId,
		closed_at: new Date().toISOString()
	});

async function asked(sessionId: string) {
	const rows =
		await admin`select user_id from public.evaluation_requests where session_id = ${sessionId}`;
	return rows.map((r) => r.user_id as string).sort();
}

async function pulled(userId: string, entity: string) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.sync_pull('', 5000) as page`;
		return (
			row!.page as { changes: { entity: string; row: Record<string, unknown> | null }[] }
		).changes
			.filter((c) => c.entity === entity && c.row)
			.map((c) => c.row!);
	});
}

describe('one rule for who is asked to evaluate, who may submit and who counts', () => {
	it('present, late and left early are asked; absent and apologies are not and cannot submit; the counts follow', async () => {
		const { sessionId, outcomeIds, trainer } = await heldSession(admin);
		const present = await booker(admin, sessionId, 'present');
		const late = await booker(admin, sessionId, 'late');
		const leftEarly = await booker(admin, sessionId, 'left');
		const absent = await booker(admin, sessionId, 'absent');
		const excused = await booker(admin, sessionId, 'excused');
		await push(
			trainer.id,
			mark(sessionId, { booking_id: present.bookingId }, 'present'),
			mark(sessionId, { booking_id: late.bookingId }, 'late'),
			mark(sessionId, { booking_id: leftEarly.bookingId }, 'left_early'),
			mark(sessionId, { booking_id: absent.bookingId }, 'absent'),
			mark(sessionId, { booking_id: excused.bookingId }, 'excused'),
			close(sessionId)
		);
		expect(await asked(sessionId)).toEqual([present.id, late.id, leftEarly.id].sort());
		const results = await Promise.all(
			[present, late, leftEarly, absent, excused].map(
				async (p) => (await push(p.id, evaluation(sessionId, outcomeIds)))[0]!
			)
		);
		expect(results.map((r) => r.status)).toEqual([
			'applied',
			'applied',
			'applied',
			'rejected',
			'rejected'
		]);
		expect(results[3]!.reason).toMatch(/The register shows you did not attend this session/);
		const results_ = await as(api, user(trainer.id), async (tx) => {
			const [row] = await tx`select public.session_results(${sessionId}) as r`;
			return row!.r as { attended: number; responses: number };
		});
		expect(results_).toMatchObject({ attended: 3, responses: 3 });
	});

	it('before the register closes, someone not yet marked may submit; it counts only once they are marked as attending', async () => {
		const { sessionId, outcomeIds, trainer } = await heldSession(admin);
		const early = await booker(admin, sessionId, 'early');
		const noShow = await booker(admin, sessionId, 'noshow');
		const [a] = await push(early.id, evaluation(sessionId, outcomeIds));
		const [b] = await push(noShow.id, evaluation(sessionId, outcomeIds));
		expect([a!.status, b!.status]).toEqual(['applied', 'applied']);
		const counted = () =>
			as(api, user(trainer.id), async (tx) => {
				const [row] = await tx`select public.session_results(${sessionId}) as r`;
				return (row!.r as { responses: number }).responses;
			});
		expect(await counted()).toBe(0);
		await push(
			trainer.id,
			mark(sessionId, { booking_id: early.bookingId }, 'present'),
			close(sessionId)
		);
		// the one marked present counts and is asked; the no-show's answers never count
		expect(await counted()).toBe(1);
		expect(await asked(sessionId)).toEqual([early.id]);
		const late = await booker(admin, sessionId, 'after');
		const [c] = await push(late.id, evaluation(sessionId, outcomeIds));
		expect(c!.reason).toMatch(/The register shows you did not attend/);
		const stranger = await createUser(admin, 'stranger');
		const [d] = await push(stranger.id, evaluation(sessionId, outcomeIds));
		expect(d!.reason).toBe('Only people booked on this session or marked at it can evaluate it.');
	});
});

describe('a walk-in with an account is that account', () => {
	it('added by the trainer with their email and marked present: in their My training, asked, counted, followed up', async () => {
		const { sessionId, outcomeIds, trainer } = await heldSession(admin);
		const walker = await createUser(admin, 'walker');
		const walkInId = crypto.randomUUID();
		const [added] = await push(
			trainer.id,
			mutation('attendance.add_walk_in', {
				id: walkInId,
				session_id: sessionId,
				full_name: 'Wendy Walker',
				email: walker.email.toUpperCase()
			}),
			mark(sessionId, { walk_in_id: walkInId }, 'present'),
			close(sessionId)
		);
		expect(added!.status).toBe('applied');
		expect(await asked(sessionId)).toEqual([walker.id]);
		const [email] = await admin`select subject from public.notifications
			where user_id = ${walker.id} and kind = 'evaluation_request'`;
		expect(email!.subject).toBe('How was it? Eligibility test course');

		// My training: the place, with how they were marked
		expect(await pulled(walker.id, 'walk_in_place')).toEqual([
			expect.objectContaining({
				id: walkInId,
				session_id: sessionId,
				user_id: walker.id,
				status: 'confirmed',
				walk_in: true,
				attendance: 'present'
			})
		]);
		// nobody else's devices get it
		const other = await createUser(admin, 'other');
		expect(await pulled(other.id, 'walk_in_place')).toEqual([]);
		const direct = await as(api, user(other.id), async (tx) => {
			const [row] = await tx`select public.walk_in_place_sync_row(${walkInId}) as r`;
			return row!.r;
		});
		expect(direct).toBeNull();

		const [sent] = await push(walker.id, evaluation(sessionId, outcomeIds));
		expect(sent!.status).toBe('applied');
		const responses = await as(api, user(trainer.id), async (tx) => {
			const [row] = await tx`select public.session_results(${sessionId}) as r`;
			return row!.r as { attended: number; responses: number };
		});
		expect(responses).toMatchObject({ attended: 1, responses: 1 });

		// the follow-up a week later (the course's interval) reaches them too
		await admin`select public.send_followup_requests(now() + interval '1 week')`;
		const followups =
			await admin`select user_id from public.followups where session_id = ${sessionId}`;
		expect(followups.map((f) => f.user_id)).toEqual([walker.id]);
	});

	it('an account made after the walk-in was recorded takes over the place', async () => {
		const { sessionId, outcomeIds, trainer } = await heldSession(admin);
		const email = `later.${crypto.randomUUID().slice(0, 8)}@db.hscp.example`;
		const walkInId = crypto.randomUUID();
		await push(
			trainer.id,
			mutation('attendance.add_walk_in', {
				id: walkInId,
				session_id: sessionId,
				full_name: 'Lee Later',
				email
			}),
			mark(sessionId, { walk_in_id: walkInId }, 'late')
		);
		const [account] =
			await admin`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
		const userId = account!.id as string;
		expect((await pulled(userId, 'walk_in_place')).map((r) => r.attendance)).toEqual(['late']);
		const [sent] = await push(userId, evaluation(sessionId, outcomeIds));
		expect(sent!.status).toBe('applied');
		await push(trainer.id, close(sessionId));
		expect(await asked(sessionId)).toEqual([userId]);
		const [fact] =
			await admin`select person, evaluation_id is not null as evaluated from public.impact_facts where walk_in_id = ${walkInId}`;
		expect(fact).toEqual({ person: userId, evaluated: true });
	});
});
