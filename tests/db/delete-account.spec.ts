import { afterAll, describe, expect, it } from 'vitest';
import type { ImpactReport } from '../../src/lib/impact/report';
import { anon, as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

/**
 * One course of its own theme: a session last month (me: booked, present, evaluated and
 * followed up; also a walk-in, by email, at an earlier one) and a session next week with one
 * place (mine) and someone on its waiting list.
 */
async function arrange() {
	const tag = crypto.randomUUID().slice(0, 8);
	const theme = `Deletion ${tag}`;
	const [course] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-delete-' + tag}, ${'Deletion course ' + tag}, 'A course made by a test', 'Testers', 'introductory',
			'face_to_face', 60, array[${theme}], 'published', now())
		returning id`;
	const outcomes = await admin`insert into public.learning_outcomes (course_id, position, text)
		select ${course!.id}, i, 'Outcome ' || i from generate_series(1, 2) i returning id`;
	const session = async (startsIn: string, capacity: number) => {
		const [s] = await admin`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${course!.id}, now() + ${startsIn}::interval, now() + ${startsIn}::interval + interval '1 hour', 'Hall',
				${capacity}, 'auto', now() + ${startsIn}::interval - interval '1 hour')
			returning id`;
		return s!.id as string;
	};
	const earlier = await session('-60 days', 10);
	const past = await session('-30 days', 10);
	const future = await session('7 days', 1);
	const me = await createUser(admin, 'delete-me');
	const waiting = await createUser(admin, 'delete-waiting');
	const trainer = await createUser(admin, 'delete-trainer');
	await admin`update public.profiles set full_name = 'Dee Leted', job_role = 'Nurse',
		agency_id = (select id from public.agencies order by name limit 1) where id = ${me.id}`;
	const [pastBooking] = await admin`insert into public.bookings (session_id, user_id, status)
		values (${past}, ${me.id}, 'confirmed') returning id`;
	await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${past}, ${pastBooking!.id}, 'present', ${trainer.id}, now() - interval '30 days', 'register')`;
	const [walkIn] =
		await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
		values (${earlier}, 'Dee Leted', ${me.email}, ${trainer.id}) returning id`;
	await admin`insert into public.attendance_events (id, session_id, walk_in_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${earlier}, ${walkIn!.id}, 'present', ${trainer.id}, now() - interval '60 days', 'register')`;
	const [evaluation] =
		await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${past}, ${me.id}, 5, 'I will use the protocol') returning id`;
	for (const [i, o] of outcomes.entries())
		await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
			values (${evaluation!.id}, ${o.id}, ${1 + i}, ${3 + i})`;
	const [followup] =
		await admin`insert into public.followups (id, session_id, user_id, requested_at, submitted_at, applied, barriers)
		values (gen_random_uuid(), ${past}, ${me.id}, now(), now(), 'partly', 'Time') returning id`;
	for (const o of outcomes)
		await admin`insert into public.followup_ratings (followup_id, outcome_id, now_rating) values (${followup!.id}, ${o.id}, 4)`;
	await admin`insert into public.notifications (user_id, to_email, kind, subject, body)
		values (${me.id}, ${me.email}, 'booking_confirmed', 'Booked', 'Dear Dee Leted')`;
	await admin`insert into public.bookings (session_id, user_id, status) values (${future}, ${me.id}, 'confirmed')`;
	const [queued] =
		await admin`insert into public.bookings (session_id, user_id, status, waitlisted_at)
		values (${future}, ${waiting.id}, 'waitlisted', now()) returning id`;
	return {
		theme,
		me,
		evaluation: evaluation!.id as string,
		followup: followup!.id as string,
		queued: queued!.id as string
	};
}

async function report(theme: string) {
	const [row] = await admin`select id from public.profiles where email = 'admin@demo.hscp.example'`;
	return as(api, user(row!.id), async (tx) => {
		const from = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
		// up to yesterday: the training that happened (next week's waiting list moves, as it should)
		const to = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		const [r] = await tx`select public.impact_report(${tx.json({ from, to, theme })}) as r`;
		return r!.r as ImpactReport;
	});
}

describe('delete my account', () => {
	it('removes the person’s data, frees their places, and leaves every impact figure as it was', async () => {
		const a = await arrange();
		const before = await report(a.theme);
		expect(before.reach.people).toBe(1); // the walk-in by email is the account: one person
		expect(before.learning.responses).toBe(1);

		const [out] = await as(api, user(a.me.id), (tx) => tx`select public.delete_my_account() as r`);
		expect(out!.r).toEqual({ deleted: true, bookings_cancelled: 1 });

		const [profile] =
			await admin`select email, full_name, job_role, agency_id from public.profiles where id = ${a.me.id}`;
		expect(profile).toMatchObject({ full_name: null, job_role: null });
		expect(profile!.email).toMatch(/^deleted-[0-9a-f-]{36}@deleted\.invalid$/);
		expect(profile!.agency_id).not.toBeNull();
		const identities =
			await admin`select id from auth.users where lower(email) = lower(${a.me.email})`;
		expect(identities).toEqual([]);
		const leftovers = await admin`
			select (select count(*) from public.notifications where user_id = ${a.me.id})::int as emails,
				(select count(*) from public.evaluations where user_id = ${a.me.id})::int as evaluations,
				(select count(*) from public.followups where user_id = ${a.me.id})::int as followups,
				(select count(*) from public.walk_in_attendees where lower(email) = lower(${a.me.email}))::int as walk_ins,
				(select count(*) from public.impact_facts where person = ${a.me.id})::int as facts`;
		expect(leftovers[0]).toEqual({
			emails: 0,
			evaluations: 0,
			followups: 0,
			walk_ins: 0,
			facts: 0
		});
		// the answers are kept, unlinked
		const [kept] =
			await admin`select e.user_id, e.anonymised, (select count(*)::int from public.evaluation_ratings r
			where r.evaluation_id = e.id) as ratings from public.evaluations e where e.id = ${a.evaluation}`;
		expect(kept).toEqual({ user_id: null, anonymised: true, ratings: 2 });
		// the next person on the waiting list has the place
		const [queued] = await admin`select status from public.bookings where id = ${a.queued}`;
		expect(queued!.status).toBe('confirmed');
		// the report is the same, figure for figure
		expect(await report(a.theme)).toEqual(before);
		// nothing of theirs comes back in their download
		const [mine] = await as(api, user(a.me.id), (tx) => tx`select public.my_data() as d`);
		expect(JSON.stringify(mine!.d)).not.toMatch(/Dee Leted|Nurse|I will use the protocol/);
	});

	it('a trainer with sessions to run is told what to do first; nobody else’s account can be named', async () => {
		const trainer = await createUser(admin, 'delete-trainer-busy');
		const [s] =
			await admin`select id from public.sessions where starts_at > now() and status = 'scheduled' limit 1`;
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${s!.id}, ${trainer.id})`;
		await expect(
			as(api, user(trainer.id), (tx) => tx`select public.delete_my_account()`)
		).rejects.toMatchObject({
			code: '55000',
			message: 'You are a trainer on sessions still to run',
			hint: 'Ask the training team to give your sessions to another trainer first.'
		});
		const [still] = await admin`select email from public.profiles where id = ${trainer.id}`;
		expect(still!.email).toBe(trainer.email);
		await expect(
			as(
				api,
				user(trainer.id),
				(tx) => tx`select public.delete_my_account(${crypto.randomUUID()}::uuid)`
			)
		).rejects.toThrow(/does not exist/);
		await expect(as(api, anon, (tx) => tx`select public.delete_my_account()`)).rejects.toThrow(
			/permission denied/
		);
	});
});
