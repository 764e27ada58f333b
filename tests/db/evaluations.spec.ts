import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, mutation, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Result = {
	id: string;
	status: 'applied' | 'rejected' | 'invalid';
	reason?: string;
	error?: { code: string; message: string };
};

/** A session that ended an hour ago, of a course with three outcomes; a trainer; bookers. */
async function pastSession(sql: Sql, bookers = 2) {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, followup_weeks)
		values (${'test-eval-' + crypto.randomUUID().slice(0, 8)}, 'Evaluation test course', 'A course made by a test',
			'Testers', 'introductory', 'face_to_face', 120, array['Testing'], 'published', now(), 12)
		returning id`;
	const outcomes = await sql`
		insert into public.learning_outcomes (course_id, position, text)
		select ${course!.id}, i, 'Outcome ' || i from generate_series(1, 3) i returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() - interval '3 hours', now() - interval '1 hour', 'Hall', 30, 'offer', now() - interval '1 day')
		returning id`;
	const sessionId = session!.id as string;
	const trainer = await createUser(sql, 'trainer');
	await sql`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer.id})`;
	const people = [];
	for (let i = 0; i < bookers; i++) {
		const p = await createUser(sql, `attendee${i}`);
		const [b] = await sql`insert into public.bookings (session_id, user_id, status)
			values (${sessionId}, ${p.id}, 'confirmed') returning id`;
		people.push({ ...p, bookingId: b!.id as string });
	}
	return {
		sessionId,
		courseId: course!.id as string,
		outcomeIds: outcomes.map((o) => o.id as string),
		trainer,
		people
	};
}

async function push(userId: string, ...mutations: ReturnType<typeof mutation>[]) {
	return as(api, user(userId), async (tx) => {
		const [row] =
			await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json(mutations as never)}) as r`;
		return (row!.r as { results: Result[] }).results;
	});
}

function evaluation(sessionId: string, outcomeIds: string[], extra: Record<string, unknown> = {}) {
	return mutation('evaluation.submit', {
		id: crypto.randomUUID(),
		session_id: sessionId,
		overall: 4,
		practice_change: 'I will use the neglect toolkit with families <script>alert(1)</script>',
		comments: null,
		ratings: outcomeIds.map((outcome_id, i) => ({ outcome_id, before: 2, after: 3 + (i % 3) })),
		...extra
	});
}

describe('evaluations', () => {
	it('someone booked submits once; the submission cannot be changed, deleted or sent twice', async () => {
		const { sessionId, outcomeIds, people } = await pastSession(admin);
		const first = evaluation(sessionId, outcomeIds);
		const [applied] = await push(people[0]!.id, first);
		expect(applied!.status).toBe('applied');
		const [again] = await push(people[0]!.id, evaluation(sessionId, outcomeIds));
		expect(again!.reason).toBe('You have already sent your evaluation of this session. Thank you.');
		const [replay] = await push(people[0]!.id, mutation('evaluation.submit', first.args));
		expect(replay!.status).toBe('applied');

		const stored = await admin`select e.overall, e.practice_change, count(r.*)::int as ratings
			from public.evaluations e join public.evaluation_ratings r on r.evaluation_id = e.id
			where e.session_id = ${sessionId} group by e.id`;
		expect(stored).toEqual([
			{
				overall: 4,
				practice_change: 'I will use the neglect toolkit with families <script>alert(1)</script>',
				ratings: 3
			}
		]);
		await expect(
			admin`update public.evaluations set overall = 1 where session_id = ${sessionId}`
		).rejects.toThrow(/cannot be changed/);
		await expect(
			admin`update public.evaluation_ratings set after = 1 where evaluation_id = ${first.args.id as string}`
		).rejects.toThrow(/cannot be changed/);
		await expect(
			admin`delete from public.evaluations where session_id = ${sessionId}`
		).rejects.toThrow(/cannot be deleted/);
		await expect(
			as(
				api,
				user(people[0]!.id),
				(tx) => tx`update public.evaluations set overall = 1 where session_id = ${sessionId}`
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('only someone booked on or marked at the session can evaluate it', async () => {
		const { sessionId, outcomeIds } = await pastSession(admin);
		const stranger = await createUser(admin, 'stranger');
		const [result] = await push(stranger.id, evaluation(sessionId, outcomeIds));
		expect(result!.reason).toBe(
			'Only people booked on this session or marked at it can evaluate it.'
		);
	});

	it('ratings outside 1–5, a missing outcome or another course’s outcome are refused with the reason', async () => {
		const { sessionId, outcomeIds, people } = await pastSession(admin);
		const other = await pastSession(admin);
		const results = await push(
			people[0]!.id,
			evaluation(sessionId, outcomeIds, {
				ratings: outcomeIds.map((outcome_id) => ({ outcome_id, before: 0, after: 6 }))
			}),
			evaluation(sessionId, outcomeIds, {
				ratings: outcomeIds.map((outcome_id) => ({ outcome_id, before: 2.5, after: 3 }))
			}),
			evaluation(sessionId, outcomeIds, {
				ratings: outcomeIds.slice(1).map((outcome_id) => ({ outcome_id, before: 2, after: 3 }))
			}),
			evaluation(sessionId, outcomeIds, {
				ratings: [...outcomeIds, other.outcomeIds[0]].map((outcome_id) => ({
					outcome_id,
					before: 2,
					after: 3
				}))
			}),
			evaluation(sessionId, outcomeIds, { overall: 9 }),
			evaluation(sessionId, outcomeIds, { practice_change: '   ' }),
			evaluation(sessionId, outcomeIds)
		);
		expect(results.map((r) => r.status)).toEqual([
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'applied'
		]);
		expect(results[0]!.error!.message).toMatch(/before must be a whole number from 1 to 5/);
		expect(results[1]!.error!.message).toMatch(/before must be a whole number from 1 to 5/);
		expect(results[2]!.error!.message).toBe('Rate every learning outcome: 1 not rated');
		expect(results[3]!.error!.message).toMatch(
			/is not a learning outcome of this session's course/
		);
		expect(results[4]!.error!.message).toBe('overall must be a whole number from 1 to 5');
		expect(results[5]!.error!.message).toBe('Enter the how the training will inform your practice');
	});

	it('a practitioner reads only their own evaluation; a trainer gets aggregates without names, once five who attended have answered', async () => {
		const { sessionId, outcomeIds, trainer, people: booked } = await pastSession(admin, 6);
		const mark = (p: (typeof booked)[number], status: string) =>
			push(
				trainer.id,
				mutation('attendance.mark', {
					id: crypto.randomUUID(),
					session_id: sessionId,
					booking_id: p.bookingId,
					status
				})
			);
		const people = booked.slice(0, 5);
		for (const p of people) await mark(p, 'present');
		type Results = Record<string, unknown> & {
			shown: boolean;
			outcomes: {
				n: number;
				sum_before: number;
				sum_after: number;
				changes: Record<string, number>;
			}[];
			person_changes: Record<string, number>;
			practice_changes: string[];
			comments: string[];
		};
		const results = () =>
			as(api, user(trainer.id), async (tx) => {
				const [row] = await tx`select public.session_results(${sessionId}) as r`;
				return row!.r as Results;
			});
		for (const [i, p] of people.entries()) {
			if (i === 4) {
				// four answers describe four people: only how many answered is shown
				expect(await results()).toEqual({
					attended: 5,
					responses: 4,
					from_paper: 0,
					min_n: 5,
					shown: false,
					overall_mean: null,
					outcomes: [],
					person_changes: {},
					practice_changes: [],
					comments: []
				});
			}
			await push(
				p.id,
				evaluation(sessionId, outcomeIds, {
					overall: 1 + i,
					practice_change: `Change ${i}`,
					comments: `Comment ${i}`
				})
			);
		}
		// the sixth answers before the register is finished, and is then marked absent: a
		// no-show's evaluation does not count, in the trainer's results as in the report
		const noShow = booked[5]!;
		await push(noShow.id, evaluation(sessionId, outcomeIds, { overall: 1, comments: 'No show' }));
		await mark(noShow, 'absent');
		const mine = await as(
			api,
			user(people[0]!.id),
			(tx) => tx`select user_id from public.evaluations where session_id = ${sessionId}`
		);
		expect(mine.map((r) => r.user_id)).toEqual([people[0]!.id]);
		const theirs = await as(
			api,
			user(trainer.id),
			(tx) => tx`select id from public.evaluations where session_id = ${sessionId}`
		);
		expect(theirs).toHaveLength(0);

		const shown = await results();
		expect(shown).toMatchObject({ attended: 5, responses: 5, shown: true, overall_mean: 3 });
		// every answer 2 before, and 3, 4, 5 after on the three outcomes
		expect(shown.outcomes.map((o) => [o.n, o.sum_before, o.sum_after, o.changes])).toEqual([
			[5, 10, 15, { '1': 5 }],
			[5, 10, 20, { '2': 5 }],
			[5, 10, 25, { '3': 5 }]
		]);
		expect(shown.person_changes).toEqual({ '6/3': 5 });
		expect(shown.practice_changes.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Change ${i}`));
		expect(shown.comments).toHaveLength(5);
		expect(JSON.stringify(shown)).not.toMatch(new RegExp(people.map((p) => p.id).join('|')));
		const other = await pastSession(admin);
		await expect(
			as(api, user(other.trainer.id), (tx) => tx`select public.session_results(${sessionId})`)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('a trainer enters paper evaluations for their session, flagged as such; a practitioner cannot', async () => {
		const { sessionId, outcomeIds, trainer, people } = await pastSession(admin);
		const paper = { ...evaluation(sessionId, outcomeIds).args };
		const [byTrainer] = await push(trainer.id, mutation('evaluation.submit_paper', paper));
		const [second] = await push(
			trainer.id,
			mutation('evaluation.submit_paper', { ...paper, id: crypto.randomUUID() })
		);
		const [byPractitioner] = await push(
			people[0]!.id,
			mutation('evaluation.submit_paper', { ...paper, id: crypto.randomUUID() })
		);
		expect([byTrainer!.status, second!.status, byPractitioner!.status]).toEqual([
			'applied',
			'applied',
			'invalid'
		]);
		const rows =
			await admin`select user_id, from_paper, entered_by from public.evaluations where session_id = ${sessionId}`;
		expect(rows).toEqual([
			{ user_id: null, from_paper: true, entered_by: trainer.id },
			{ user_id: null, from_paper: true, entered_by: trainer.id }
		]);
	});
});

describe('follow-ups and reminders', () => {
	it('attendees present or late are asked after the course’s interval (controllable clock), and answer once', async () => {
		const { sessionId, outcomeIds, trainer, people } = await pastSession(admin, 3);
		const [present, late, absent] = people;
		for (const [p, status] of [
			[present!, 'present'],
			[late!, 'late'],
			[absent!, 'absent']
		] as const) {
			await push(
				trainer.id,
				mutation('attendance.mark', {
					id: crypto.randomUUID(),
					session_id: sessionId,
					booking_id: p.bookingId,
					status
				})
			);
		}
		const early =
			await admin`select public.send_followup_requests(now() + interval '11 weeks') as n`;
		expect(
			await admin`select 1 from public.followups where session_id = ${sessionId}`
		).toHaveLength(0);
		expect(early[0]!.n).toBeGreaterThanOrEqual(0);
		await admin`select public.send_followup_requests(now() + interval '12 weeks')`;
		const asked =
			await admin`select user_id, id from public.followups where session_id = ${sessionId} order by user_id`;
		expect(asked.map((f) => f.user_id).sort()).toEqual([present!.id, late!.id].sort());
		await admin`select public.send_followup_requests(now() + interval '12 weeks 1 day')`;
		expect(
			await admin`select 1 from public.notifications where kind = 'followup_request' and dedupe_key like ${'followup-request:' + sessionId + '%'}`
		).toHaveLength(2);

		const mineId = asked.find((f) => f.user_id === present!.id)!.id as string;
		const answer = {
			followup_id: mineId,
			applied: 'partly',
			example: 'Used the graded care profile',
			barriers: 'Caseload',
			ratings: outcomeIds.map((outcome_id) => ({ outcome_id, now: 4 }))
		};
		const results = await push(
			present!.id,
			mutation('followup.submit', { ...answer, applied: 'maybe' }),
			mutation('followup.submit', answer),
			mutation('followup.submit', answer)
		);
		expect(results.map((r) => r.status)).toEqual(['invalid', 'applied', 'rejected']);
		const [lateAnswer] = await push(late!.id, mutation('followup.submit', answer));
		expect(lateAnswer!.error!.message).toMatch(/is not one of yours/);
		await expect(
			admin`update public.followups set applied = 'no' where id = ${mineId}`
		).rejects.toThrow(/cannot be changed/);
	});

	it('an unanswered evaluation request is reminded once', async () => {
		const { sessionId, trainer, people } = await pastSession(admin, 1);
		await push(
			trainer.id,
			mutation('attendance.mark', {
				id: crypto.randomUUID(),
				session_id: sessionId,
				booking_id: people[0]!.bookingId,
				status: 'present'
			})
		);
		await push(trainer.id, mutation('attendance.close_register', { session_id: sessionId }));
		await admin`select public.send_evaluation_reminders(now() + interval '2 days')`;
		await admin`select public.send_evaluation_reminders(now() + interval '4 days')`;
		await admin`select public.send_evaluation_reminders(now() + interval '8 days')`;
		const reminders =
			await admin`select 1 from public.notifications where kind = 'evaluation_reminder' and user_id = ${people[0]!.id}`;
		expect(reminders).toHaveLength(1);
	});

	it('the booker’s own booking row says how they were marked', async () => {
		const { sessionId, trainer, people } = await pastSession(admin, 1);
		await push(
			trainer.id,
			mutation('attendance.mark', {
				id: crypto.randomUUID(),
				session_id: sessionId,
				booking_id: people[0]!.bookingId,
				status: 'late'
			})
		);
		const row = await as(api, user(people[0]!.id), async (tx) => {
			const [r] = await tx`select public.sync_entity_row('booking', ${people[0]!.bookingId}) as r`;
			return r!.r as { attendance: string };
		});
		expect(row.attendance).toBe('late');
	});

	it('a batch of evaluations is applied in one go, counted as one by one, and answered the same when sent again', async () => {
		const sessions = [
			await pastSession(admin, 1),
			await pastSession(admin),
			await pastSession(admin)
		];
		const me = sessions[0]!.people[0]!;
		for (const s of sessions.slice(1))
			await admin`insert into public.bookings (session_id, user_id, status) values (${s.sessionId}, ${me.id}, 'confirmed')`;
		const batch = sessions.map((s) => evaluation(s.sessionId, s.outcomeIds));
		const results = await push(me.id, ...batch);
		expect(results.map((r) => [r.id, r.status])).toEqual(batch.map((m) => [m.id, 'applied']));
		// in the ledger, and counted on the person's places with their learning gain
		const [logged] = await admin`select count(*)::int as n from public.sync_mutations
			where id = any(${batch.map((m) => m.id)}::uuid[])`;
		expect(logged!.n).toBe(3);
		const facts =
			await admin`select f.evaluation_id is not null as evaluated, f.change_n, f.change_sum
			from public.impact_facts f where f.person = ${me.id} order by f.session_id`;
		expect(facts.map((f) => [f.evaluated, f.change_n, f.change_sum])).toEqual(
			Array(3).fill([true, 3, 6])
		);
		expect(await push(me.id, ...batch)).toEqual(results);
	});

	it('a batch with one refused evaluation is applied one by one: each gets its own answer', async () => {
		const sessions = [
			await pastSession(admin, 1),
			await pastSession(admin),
			await pastSession(admin)
		];
		const me = sessions[0]!.people[0]!;
		for (const s of sessions.slice(1))
			await admin`insert into public.bookings (session_id, user_id, status) values (${s.sessionId}, ${me.id}, 'confirmed')`;
		const bad = evaluation(sessions[1]!.sessionId, sessions[1]!.outcomeIds.slice(1));
		const results = await push(
			me.id,
			evaluation(sessions[0]!.sessionId, sessions[0]!.outcomeIds),
			bad,
			evaluation(sessions[2]!.sessionId, sessions[2]!.outcomeIds)
		);
		expect(results.map((r) => r.status)).toEqual(['applied', 'invalid', 'applied']);
		expect(JSON.stringify(results[1])).toContain('Rate every learning outcome: 1 not rated');
		const [n] =
			await admin`select count(*)::int as n from public.evaluations where user_id = ${me.id}`;
		expect(n!.n).toBe(2);
	});
});
