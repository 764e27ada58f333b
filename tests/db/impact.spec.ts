import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_N } from '../../src/lib/impact/statistics';
import * as v from 'valibot';
import { ImpactReportSchema, type ImpactReport } from '../../src/lib/impact/report';
import { as, authenticator, createUser, mutation, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

/**
 * A small partnership where every figure is known by hand. Financial year 2025/26, one
 * theme of its own so nothing else in the database matches:
 *   course X (webinar, 2 outcomes, 10 places): p1 present, p2 late, p3 no-show (closing),
 *     p4 cancelled an hour before, p5 waiting list only, walk-in w1 present
 *   course Y (face to face, 1 outcome, 5 places): p1 present
 *   course Z: p2 present, in the previous year
 * Agencies: p1, p2, w1 from A; p3, p4, p5 from B.
 * Evaluations: p1 on X o1 2→4, o2 3→3; p2 on X o1 1→3, o2 2→4; p1 on Y 4→3.
 */
const f = {} as Record<string, string>;

async function fixture(sql: Sql) {
	const tag = crypto.randomUUID().slice(0, 8);
	f.theme = `Fixture ${tag}`;
	for (const name of ['A', 'B']) {
		const [a] = await sql`insert into public.agencies (name, sector)
			values (${`Agency ${name} ${tag}`}, ${name === 'A' ? 'health' : 'police'}) returning id`;
		f[`agency${name}`] = a!.id;
	}
	const course = async (key: string, format: string, outcomes: number) => {
		const [c] = await sql`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${`test-impact-${key.toLowerCase()}-${tag}`}, ${`Course ${key} ${tag}`}, 'Impact fixture course', 'Testers',
				'introductory', ${format}::public.course_format, 60, array[${f.theme!}], 'published', now())
			returning id`;
		f[`course${key}`] = c!.id;
		for (let i = 1; i <= outcomes; i++) {
			const [o] = await sql`insert into public.learning_outcomes (course_id, position, text)
				values (${c!.id}, ${i}, ${`Outcome ${key}${i}`}) returning id`;
			f[`${key}o${i}`] = o!.id;
		}
	};
	await course('X', 'webinar', 2);
	await course('Y', 'face_to_face', 1);
	await course('Z', 'face_to_face', 1);
	const session = async (key: string, starts: string, capacity: number) => {
		const [s] = await sql`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${f[`course${key}`]!}, ${starts}, ${starts}::timestamptz + interval '1 hour', 'Hall', ${capacity}, 'offer',
				${starts}::timestamptz - interval '1 day')
			returning id`;
		f[`session${key}`] = s!.id;
	};
	await session('X', '2025-06-11T09:00:00Z', 10);
	await session('Y', '2025-09-03T09:00:00Z', 5);
	await session('Z', '2024-10-02T09:00:00Z', 5);

	const marker = await createUser(sql, 'impact-marker');
	f.marker = marker.id;
	for (const [key, agency] of [
		['p1', 'A'],
		['p2', 'A'],
		['p3', 'B'],
		['p4', 'B'],
		['p5', 'B']
	] as const) {
		const p = await createUser(sql, `impact-${key}`);
		await sql`update public.profiles set full_name = ${'Person ' + key}, agency_id = ${f[`agency${agency}`]!} where id = ${p.id}`;
		f[key] = p.id;
	}
	const book = async (person: string, session: string, status: string, extra = '') => {
		const [b] = await sql.unsafe(
			`insert into public.bookings (session_id, user_id, status, waitlisted_at, cancelled_at, confirmed_at)
			 select $1, $2, $3::public.booking_status, ${extra === 'waitlisted' ? "s.starts_at - interval '3 days'" : 'null'},
			   ${extra === 'late' ? "s.starts_at - interval '1 hour'" : 'null'},
			   ${extra === 'late' ? "s.starts_at - interval '10 days'" : 'null'}
			 from public.sessions s where s.id = $1 returning id`,
			[f[`session${session}`]!, f[person]!, status]
		);
		return b!.id as string;
	};
	const mark = async (
		booking: string | null,
		walkIn: string | null,
		session: string,
		status: string,
		source = 'register'
	) =>
		sql`insert into public.attendance_events (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source)
			values (gen_random_uuid(), ${f[`session${session}`]!}, ${booking}, ${walkIn}, ${status}::public.attendance_status,
				${f.marker!}, (select starts_at from public.sessions where id = ${f[`session${session}`]!}) + interval '5 minutes',
				${source}::public.attendance_source)`;
	await mark(await book('p1', 'X', 'confirmed'), null, 'X', 'present');
	await mark(await book('p2', 'X', 'confirmed'), null, 'X', 'late');
	await mark(await book('p3', 'X', 'confirmed'), null, 'X', 'absent', 'closure');
	await book('p4', 'X', 'cancelled', 'late');
	await book('p5', 'X', 'waitlisted', 'waitlisted');
	const [w] =
		await sql`insert into public.walk_in_attendees (session_id, full_name, email, agency_id, added_by)
		values (${f.sessionX!}, 'Walk In', 'walk.in@example.org', ${f.agencyA!}, ${f.marker!}) returning id`;
	await mark(null, w!.id, 'X', 'present');
	await mark(await book('p1', 'Y', 'confirmed'), null, 'Y', 'present');
	await mark(await book('p2', 'Z', 'confirmed'), null, 'Z', 'present');

	const evaluate = async (
		person: string,
		session: string,
		ratings: [string, number, number][],
		text: string
	) => {
		const [e] =
			await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
			values (gen_random_uuid(), ${f[`session${session}`]!}, ${f[person]!}, 4, ${text}) returning id`;
		for (const [outcome, before, after] of ratings) {
			await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
				values (${e!.id}, ${f[outcome]!}, ${before}, ${after})`;
		}
	};
	await evaluate(
		'p1',
		'X',
		[
			['Xo1', 2, 4],
			['Xo2', 3, 3]
		],
		'Use the toolkit'
	);
	await evaluate(
		'p2',
		'X',
		[
			['Xo1', 1, 3],
			['Xo2', 2, 4]
		],
		'Refer sooner'
	);
	await evaluate('p1', 'Y', [['Yo1', 4, 3]], 'Ask more questions');
}

async function report(userId: string, filters: Record<string, unknown>) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.impact_report(${tx.json(filters as never)}) as r`;
		// the reply as the app checks it: a field the app reads that SQL no longer sends fails here
		return v.parse(ImpactReportSchema, row!.r);
	});
}

/**
 * The rows where the counts kept by triggers differ from a recount of the places (in one
 * statement, so one snapshot even while other test files write): empty when they agree.
 */
async function keptCountsDiffer() {
	return admin`
		with recount as (
			select f.session_id, f.agency_id, count(*)::int as places, sum(g.confirmed)::int as confirmed,
				sum(g.attended)::int as attended, sum(g.no_show)::int as no_shows,
				sum(g.cancellation)::int as cancellations,
				sum(g.late_cancellation)::int as late_cancellations, sum(g.unmet)::int as unmet_demand,
				(count(f.evaluation_id) filter (where g.attended = 1))::int as responses,
				count(f.followup_id)::int as followups,
				count(f.followup_applied)::int as followups_answered,
				(count(*) filter (where f.followup_applied = 'yes'))::int as applied_yes,
				(count(*) filter (where f.followup_applied = 'partly'))::int as applied_partly,
				(count(*) filter (where f.followup_applied = 'no'))::int as applied_no
			from public.impact_facts f join public.sessions s on s.id = f.session_id
			cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place,
				f.cancelled_at, f.attendance, s.starts_at) g
			group by f.session_id, f.agency_id
		), kept as (
			select session_id, agency_id, places, confirmed, attended, no_shows, cancellations, late_cancellations,
				unmet_demand, responses, followups, followups_answered, applied_yes, applied_partly, applied_no
			from public.impact_place_counts
			where (places, confirmed, attended, no_shows, cancellations, late_cancellations, unmet_demand, responses,
				followups, followups_answered, applied_yes, applied_partly, applied_no)
				<> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		), changes as (
			select f.session_id, f.change_sum, f.change_n, count(*)::int as n from public.impact_facts f
			where f.evaluation_id is not null and f.change_n > 0 and public.impact_attended(f.attendance)
			group by 1, 2, 3
		), kept_changes as (
			select session_id, change_sum, change_n, n from public.impact_session_changes where n <> 0
		), ratings as (
			-- paper forms, and the evaluations of places attended
			select e.session_id, r.outcome_id, r.after - r.before as change, count(*)::int as n,
				sum(r.before)::int as sum_before, sum(r.after)::int as sum_after
			from public.evaluations e join public.evaluation_ratings r on r.evaluation_id = e.id
			where e.from_paper or exists (select 1 from public.impact_facts f
				where f.evaluation_id = e.id and public.impact_attended(f.attendance))
			group by 1, 2, 3
		), kept_ratings as (
			select session_id, outcome_id, change, n, sum_before, sum_after from public.impact_session_ratings
			where (n, sum_before, sum_after) <> (0, 0, 0)
		)
		select 'places' as kind, * from ((select * from recount except select * from kept)
			union all (select * from kept except select * from recount)) x
		union all
		select 'changes', session_id, null, change_sum, change_n, n, null, null, null, null, null, null, null, null, null, null
		from ((select * from changes except select * from kept_changes)
			union all (select * from kept_changes except select * from changes)) y
		union all
		select 'ratings', session_id, outcome_id, change, n, sum_before, sum_after, null, null, null, null, null, null, null, null, null
		from ((select * from ratings except select * from kept_ratings)
			union all (select * from kept_ratings except select * from ratings)) z`;
}

const year = () => ({ from: '2025-04-01', to: '2026-03-31', theme: f.theme });
let partnership: string;

beforeAll(async () => {
	await fixture(admin);
	const a = await createUser(admin, 'impact-admin');
	await admin`insert into public.staff_roles (user_id, role) values (${a.id}, 'admin')`;
	partnership = a.id;
});

describe('the impact report, on a fixture known by hand', () => {
	it('hides figures below the same number of people as the app does', async () => {
		const [row] = await admin`select public.impact_min_n() as n`;
		expect(row!.n).toBe(MIN_N);
	});

	it('compares with the period the app chose by the calendar, and refuses one that is not', async () => {
		// compared with January to March 2025 instead, which holds none of the fixture's places
		const q3 = await report(partnership, {
			...year(),
			previous_from: '2025-01-01',
			previous_to: '2025-03-31'
		});
		expect(q3.period).toMatchObject({ previous_from: '2025-01-01', previous_to: '2025-03-31' });
		expect(q3.reach.previous).toEqual({ people: 0, confirmed_places: 0 });
		// Z's October 2024 session falls in the default comparison, a year earlier
		expect((await report(partnership, year())).reach.previous.people).toBe(1);
		for (const bad of [
			{ previous_from: '2025-13-01' },
			{ previous_from: '2025-03-01', previous_to: '2025-02-01' }
		]) {
			await expect(report(partnership, { ...year(), ...bad })).rejects.toMatchObject({
				code: '22023'
			});
		}
	});

	it('reach, attendance and their previous-year comparison', async () => {
		const r = await report(partnership, year());
		expect(r.scope).toBe('partnership');
		// by default the same dates a year earlier
		expect(r.period).toEqual({
			from: '2025-04-01',
			to: '2026-03-31',
			previous_from: '2024-04-01',
			previous_to: '2025-03-31'
		});
		expect(r.reach).toMatchObject({
			people: 3,
			// p1, p2 and p3 on X, p1 on Y: not p4's cancelled place or p5 on the waiting list
			confirmed_places: 4,
			agencies: 1,
			previous: { people: 1, confirmed_places: 1 }
		});
		expect(r.attendance).toMatchObject({
			attended: 4,
			no_shows: 1,
			cancellations: 1,
			late_cancellations: 1,
			unmet_demand: 1
		});
		const byCourse = Object.fromEntries(r.attendance.by_course.map((c) => [c.course_id, c]));
		expect(byCourse[f.courseX!]).toMatchObject({
			sessions: 1,
			capacity: 10,
			confirmed: 3,
			attended: 3,
			no_shows: 1,
			cancellations: 1,
			late_cancellations: 1,
			unmet_demand: 1
		});
		expect(byCourse[f.courseY!]).toMatchObject({
			sessions: 1,
			capacity: 5,
			confirmed: 1,
			attended: 1,
			no_shows: 0
		});
		const byAgency = Object.fromEntries(r.reach.by_agency.map((a) => [a.agency, a]));
		expect(byAgency[`Agency A ${f.theme!.slice(8)}`]).toMatchObject({
			sector: 'health',
			people: 3,
			confirmed: 3,
			attended: 4
		});
		expect(byAgency[`Agency B ${f.theme!.slice(8)}`]).toMatchObject({
			sector: 'police',
			people: 0,
			confirmed: 1,
			attended: 0,
			no_shows: 1
		});
		// every month of the year, quiet ones as zeros
		expect(r.reach.by_month.map((m) => m.month)).toEqual([
			'2025-04',
			'2025-05',
			'2025-06',
			'2025-07',
			'2025-08',
			'2025-09',
			'2025-10',
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02',
			'2026-03'
		]);
		expect(r.reach.by_month.filter((m) => m.confirmed > 0)).toEqual([
			{ month: '2025-06', people: 3, confirmed: 3, attended: 3 },
			{ month: '2025-09', people: 1, confirmed: 1, attended: 1 }
		]);
		expect(r.reach.by_month[0]).toEqual({ month: '2025-04', people: 0, confirmed: 0, attended: 0 });
	});

	it('learning gain: responses, each outcome’s ratings and each person’s change', async () => {
		const r = await report(partnership, year());
		expect(r.learning.responses).toBe(3);
		const byCourse = Object.fromEntries(r.learning.courses.map((c) => [c.course_id, c]));
		expect(byCourse[f.courseX!]).toMatchObject({
			attended: 3,
			responses: 2,
			person_changes: { '2/2': 1, '4/2': 1 },
			outcomes: [
				{ outcome_id: f.Xo1, n: 2, sum_before: 3, sum_after: 7, changes: { '2': 2 } },
				{ outcome_id: f.Xo2, n: 2, sum_before: 5, sum_after: 7, changes: { '0': 1, '2': 1 } }
			]
		});
		// a course with n = 1
		expect(byCourse[f.courseY!]).toMatchObject({
			responses: 1,
			person_changes: { '-1/1': 1 },
			outcomes: [{ n: 1, changes: { '-1': 1 } }]
		});
		expect(r.quotes.map((q) => q.text).sort()).toEqual([
			'Ask more questions',
			'Refer sooner',
			'Use the toolkit'
		]);
		expect(JSON.stringify(r)).not.toMatch(/Person p|walk\.in@example|Walk In/);
	});

	it('follow-up answers are reported per course, also for courses that share a title', async () => {
		// each year's Webinar Wednesdays are separate courses with the same titles
		const [x] = await admin`select title from public.courses where id = ${f.courseX!}`;
		const [y] = await admin`select title from public.courses where id = ${f.courseY!}`;
		const followup = async (session: string, ratings: [string, number][]) => {
			const [fu] =
				await admin`insert into public.followups (id, session_id, user_id, requested_at, submitted_at, applied)
				values (gen_random_uuid(), ${f[`session${session}`]!}, ${f.p1!}, now(), now(), 'yes') returning id`;
			for (const [outcome, now] of ratings)
				await admin`insert into public.followup_ratings (followup_id, outcome_id, now_rating)
					values (${fu!.id}, ${f[outcome]!}, ${now})`;
			return fu!.id as string;
		};
		// p1 rated X o1 4 and Y o1 3 at the end of the course
		const ids = [await followup('X', [['Xo1', 5]]), await followup('Y', [['Yo1', 2]])];
		await admin`update public.courses set title = ${x!.title} where id = ${f.courseY!}`;
		await admin`update public.learning_outcomes set text = 'Outcome X1' where id = ${f.Yo1!}`;
		try {
			const r = await report(partnership, year());
			const firsts = r.followup.outcomes.filter((o) => o.position === 1);
			expect(firsts).toHaveLength(2);
			expect(firsts.map((o) => o.title)).toEqual([x!.title, x!.title]);
			const byCourse = Object.fromEntries(firsts.map((o) => [o.course_id, o]));
			expect(byCourse[f.courseX!]).toMatchObject({
				n: 1,
				sum_end: 4,
				sum_now: 5,
				changes: { '1': 1 }
			});
			expect(byCourse[f.courseY!]).toMatchObject({
				n: 1,
				sum_end: 3,
				sum_now: 2,
				changes: { '-1': 1 }
			});
		} finally {
			await admin`update public.courses set title = ${y!.title} where id = ${f.courseY!}`;
			await admin`update public.learning_outcomes set text = 'Outcome Y1' where id = ${f.Yo1!}`;
		}
		expect(ids).toHaveLength(2);
	});

	it('narrowed to an agency, the learning figures come from the people’s own ratings and agree', async () => {
		// the whole partnership reads the sessions' running totals; an agency its people's rows
		const whole = await report(partnership, year());
		const agencyA = await report(partnership, { ...year(), agency_id: f.agencyA });
		expect(agencyA.learning).toEqual(whole.learning);
		// the follow-ups added by the test before (p1, agency A) likewise
		expect(whole.followup.outcomes.length).toBeGreaterThan(0);
		expect(agencyA.followup.outcomes).toEqual(whole.followup.outcomes);
		const agencyB = await report(partnership, { ...year(), agency_id: f.agencyB });
		expect(agencyB.learning).toEqual({ responses: 0, courses: [] });
	});

	it('a filter that matches nothing gives zeros and empty lists, not an error', async () => {
		const r = await report(partnership, { ...year(), course_id: f.courseZ });
		expect(r.reach).toMatchObject({ people: 0, confirmed_places: 0, by_agency: [] });
		expect(r.reach.by_month.every((m) => m.confirmed === 0 && m.attended === 0)).toBe(true);
		expect(r.attendance).toMatchObject({ attended: 0, no_shows: 0, by_course: [] });
		expect(r.learning).toEqual({ responses: 0, courses: [] });
		expect(r.quotes).toEqual([]);
	});

	it('an agency lead sees only their own agency’s people, through any filter', async () => {
		const lead = await createUser(admin, 'impact-lead');
		await admin`insert into public.staff_roles (user_id, role, agency_id) values (${lead.id}, 'agency_lead', ${f.agencyB!})`;
		const own = await report(lead.id, year());
		expect(own.scope).toBe('agency');
		expect(own.reach).toMatchObject({ people: 0, confirmed_places: 1 });
		expect(own.attendance).toMatchObject({
			attended: 0,
			no_shows: 1,
			late_cancellations: 1,
			unmet_demand: 1
		});
		expect(own.learning.responses).toBe(0);
		expect(own.quotes).toEqual([]);
		for (const filters of [
			{ agency_id: f.agencyA },
			{ sector: 'health' },
			{ course_id: f.courseY }
		]) {
			const other = await report(lead.id, { ...year(), ...filters });
			expect(other.reach).toMatchObject({ people: 0, confirmed_places: 0 });
			expect(other.learning.responses).toBe(0);
			expect(other.reach.by_agency).toEqual([]);
		}
	});

	it('a trainer sees only the sessions they teach; a practitioner gets no report', async () => {
		const trainer = await createUser(admin, 'impact-trainer');
		await admin`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${f.sessionY!}, ${trainer.id})`;
		const r = await report(trainer.id, year());
		expect(r.scope).toBe('trainer');
		expect(r.reach).toMatchObject({ people: 1, confirmed_places: 1 });
		expect(r.learning.courses.map((c) => c.course_id)).toEqual([f.courseY]);
		await expect(report(f.p1!, year())).rejects.toMatchObject({ code: '42501' });
	});

	it('follows later changes: a late mark, a cancellation, a person moving agency', async () => {
		const before = await report(partnership, { ...year(), course_id: f.courseX });
		expect(before.attendance).toMatchObject({ attended: 3, no_shows: 1 });
		const [p3] =
			await admin`select id from public.bookings where user_id = ${f.p3!} and session_id = ${f.sessionX!}`;
		// a trainer's offline mark arrives after the register closed: p3 was there after all
		await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
			values (gen_random_uuid(), ${f.sessionX!}, ${p3!.id}, 'present', ${f.marker!}, '2025-06-11T09:10:00Z', 'register')`;
		const [p1] =
			await admin`select id from public.bookings where user_id = ${f.p1!} and session_id = ${f.sessionX!}`;
		await admin`update public.bookings set status = 'cancelled', cancelled_at = '2025-06-01T09:00:00Z' where id = ${p1!.id}`;
		await admin`update public.profiles set agency_id = ${f.agencyB!} where id = ${f.p2!}`;
		try {
			const after = await report(partnership, { ...year(), course_id: f.courseX });
			// p1 gave up a confirmed place ten days before: a cancellation, not a late one
			expect(after.attendance).toMatchObject({
				attended: 4,
				no_shows: 0,
				cancellations: 2,
				late_cancellations: 1
			});
			const byAgency = Object.fromEntries(after.reach.by_agency.map((a) => [a.sector, a]));
			// p2 and p3 hold confirmed places; p4 cancelled, p5 waits
			expect(byAgency.police).toMatchObject({ people: 2, confirmed: 2 });
		} finally {
			await admin`update public.profiles set agency_id = ${f.agencyA!} where id = ${f.p2!}`;
			await admin`update public.bookings set status = 'confirmed', cancelled_at = null where id = ${p1!.id}`;
		}
	});

	it('someone promoted from the waiting list who then cancels gave up a place: not unmet demand', async () => {
		const theme = `Promoted ${crypto.randomUUID().slice(0, 8)}`;
		const [c] = await admin`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${`test-impact-promoted-${theme.slice(-8)}`}, ${theme}, 'Impact fixture course', 'Testers',
				'introductory', 'face_to_face', 60, array[${theme}], 'published', now())
			returning id`;
		const [s] = await admin`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${c!.id}, '2025-07-02T09:00:00Z', '2025-07-02T10:00:00Z', 'Hall', 5, 'offer', '2025-07-01T09:00:00Z')
			returning id`;
		const [promoted, waiting] = [
			await createUser(admin, 'impact-promoted'),
			await createUser(admin, 'impact-still-waiting')
		];
		for (const p of [promoted, waiting]) {
			await admin`insert into public.bookings (session_id, user_id, status, waitlisted_at)
				values (${s!.id}, ${p.id}, 'waitlisted', '2025-06-20T09:00:00Z')`;
		}
		// a place comes up and is accepted, then given up; the other person never gets one
		await admin`update public.bookings set status = 'confirmed' where user_id = ${promoted.id}`;
		await admin`update public.bookings set status = 'cancelled', cancelled_at = '2025-06-25T09:00:00Z'
			where user_id = ${promoted.id}`;
		await admin`update public.bookings set status = 'declined' where user_id = ${waiting.id}`;
		const r = await report(partnership, { from: '2025-04-01', to: '2026-03-31', theme });
		expect(r.reach.confirmed_places).toBe(0);
		expect(r.attendance).toMatchObject({
			cancellations: 1,
			late_cancellations: 0,
			unmet_demand: 1
		});
		expect(await keptCountsDiffer()).toEqual([]);
	});

	it('counts one person per account, a walk-in included, and evaluations only from places attended', async () => {
		const theme = `Who counts ${crypto.randomUUID().slice(0, 8)}`;
		const [c] = await admin`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${`test-impact-who-${theme.slice(-8)}`}, ${theme}, 'Impact fixture course', 'Testers',
				'introductory', 'face_to_face', 60, array[${theme}], 'published', now())
			returning id`;
		const [o] = await admin`insert into public.learning_outcomes (course_id, position, text)
			values (${c!.id}, 1, 'Outcome') returning id`;
		const [s] = await admin`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${c!.id}, now() - interval '3 hours', now() - interval '2 hours', 'Hall', 5, 'offer', now() - interval '1 day')
			returning id`;
		const [booked, walkIn, noShow] = [
			await createUser(admin, 'who-booked'),
			await createUser(admin, 'who-walk-in'),
			await createUser(admin, 'who-no-show')
		];
		const bookings: Record<string, string> = {};
		for (const p of [booked, noShow]) {
			const [b] = await admin`insert into public.bookings (session_id, user_id, status)
				values (${s!.id}, ${p.id}, 'confirmed') returning id`;
			bookings[p.id] = b!.id;
		}
		// the walk-in came without booking; the email on the register is their account's
		const [w] =
			await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
			values (${s!.id}, 'Walk In', ${walkIn.email.toUpperCase()}, ${f.marker!}) returning id`;
		const mark = (
			booking: string | null,
			walk: string | null,
			status: string,
			source = 'register'
		) =>
			admin`insert into public.attendance_events (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source)
				values (gen_random_uuid(), ${s!.id}, ${booking}, ${walk}, ${status}::public.attendance_status, ${f.marker!},
					now() - interval '150 minutes', ${source}::public.attendance_source)`;
		await mark(bookings[booked.id]!, null, 'present');
		await mark(null, w!.id, 'present');
		const evaluate = (userId: string) =>
			as(api, user(userId), async (tx) => {
				const m = mutation('evaluation.submit', {
					id: crypto.randomUUID(),
					session_id: s!.id,
					overall: 4,
					practice_change: 'Share it with my team',
					comments: null,
					ratings: [{ outcome_id: o!.id, before: 2, after: 4 }]
				});
				const [row] =
					await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json([m] as never)}) as r`;
				return (row!.r as { results: { status: string; reason?: string }[] }).results[0]!;
			});
		expect(await evaluate(booked.id)).toMatchObject({ status: 'applied' });
		expect(await evaluate(walkIn.id)).toMatchObject({ status: 'applied' });
		// not yet marked: the evaluation is taken, and counts only if the register says they came
		expect(await evaluate(noShow.id)).toMatchObject({ status: 'applied' });
		await mark(bookings[noShow.id]!, null, 'absent', 'closure');

		const filters = { from: '2020-01-01', to: '2029-12-31', theme };
		let r = await report(partnership, filters);
		expect(r.reach.people).toBe(2);
		expect(r.attendance).toMatchObject({ attended: 2, no_shows: 1 });
		expect(r.learning.responses).toBe(2);
		expect(r.learning.courses[0]!.outcomes[0]).toMatchObject({ n: 2, sum_before: 4, sum_after: 8 });
		expect(await keptCountsDiffer()).toEqual([]);

		// someone the register shows did not attend cannot evaluate
		const other = await createUser(admin, 'who-absent');
		const [b] = await admin`insert into public.bookings (session_id, user_id, status)
			values (${s!.id}, ${other.id}, 'confirmed') returning id`;
		await mark(b!.id, null, 'absent');
		expect(await evaluate(other.id)).toMatchObject({
			status: 'rejected',
			reason:
				'The register shows you did not attend this session, so you cannot evaluate it. If that is wrong, ask the trainer to correct the register.'
		});

		// the trainer corrects the register: the no-show was there, and their answers count
		await mark(bookings[noShow.id]!, null, 'late');
		r = await report(partnership, filters);
		expect(r.reach.people).toBe(3);
		expect(r.learning.responses).toBe(3);
		expect(r.learning.courses[0]!.outcomes[0]).toMatchObject({
			n: 3,
			sum_before: 6,
			sum_after: 12
		});
		expect(await keptCountsDiffer()).toEqual([]);
	});

	it('bad filters are refused with a clear message', async () => {
		await expect(report(partnership, { from: '2025-13-01', to: '2026-03-31' })).rejects.toThrow(
			/from and to must be dates/
		);
		await expect(report(partnership, { from: '2026-03-31', to: '2025-04-01' })).rejects.toThrow(
			/from before to/
		);
		await expect(report(partnership, { ...year(), sector: 'space' })).rejects.toThrow(
			/Unknown sector "space"/
		);
	});

	it('moving a session moves the line for a late cancellation (48 hours before it starts)', async () => {
		// p4 cancelled an hour before X started: late. X moves three days later: not late any more.
		const late = async () =>
			(await report(partnership, { ...year(), course_id: f.courseX })).attendance
				.late_cancellations;
		expect(await late()).toBe(1);
		const move = (days: number) => admin`
			update public.sessions set starts_at = starts_at + make_interval(days => ${days}),
				ends_at = ends_at + make_interval(days => ${days}),
				booking_closes_at = booking_closes_at + make_interval(days => ${days})
			where id = ${f.sessionX!}`;
		await move(3);
		try {
			expect(await late()).toBe(0);
			expect(await keptCountsDiffer()).toEqual([]);
		} finally {
			await move(-3);
		}
		expect(await late()).toBe(1);
	});
});

describe('the demo year', () => {
	it('the kept counts equal a recount of the places, after every other test’s writes', async () => {
		// bookings, cancellations, late marks, agency moves, deletions and retention in the
		// other test files all went through the triggers; a recount from the places agrees
		expect(await keptCountsDiffer()).toEqual([]);
		const [n] =
			await admin`select count(*)::int as n from public.impact_place_counts where places > 0`;
		expect(n!.n).toBeGreaterThan(100);
	});

	it('gives the dashboard something to say on first run: Webinar Wednesdays at the partnership’s scale', async () => {
		const r = await report(partnership, {
			from: '2025-04-01',
			to: '2026-03-31',
			format: 'webinar'
		});
		// 4,200 webinar attendances in the seed (other tests add a handful of their own)
		expect(r.attendance.attended).toBeGreaterThanOrEqual(4200);
		expect(r.attendance.attended).toBeLessThan(4300);
		expect(r.reach.people).toBeGreaterThan(1500);
		expect(r.reach.agencies).toBeGreaterThanOrEqual(17);
		expect(r.learning.courses.length).toBeGreaterThanOrEqual(40);
		expect(r.followup.answered).toBeGreaterThan(500);
	});

	it('the sessions’ running totals equal the sum of every sector’s own rows', async () => {
		const period = { from: '2025-04-01', to: '2026-03-31', format: 'webinar' };
		const whole = await report(partnership, period);
		// people with no agency (walk-ins, or other tests' people) are in no sector: the courses
		// they attended are left out of the comparison, and so is the count over all courses
		const sectors = [...new Set(whole.reach.by_agency.map((a) => a.sector))].filter(
			(sector) => sector !== null
		);
		const unsectored = await admin`
			select distinct s.course_id::text as course, lo.id::text as outcome
			from public.impact_facts f join public.sessions s on s.id = f.session_id
			join public.courses c on c.id = s.course_id
			left join public.learning_outcomes lo on lo.course_id = c.id
			left join public.agencies a on a.id = f.agency_id
			where a.sector is null and c.format = 'webinar'
				and s.starts_at >= '2025-04-01' and s.starts_at < '2026-04-01'`;
		const leftOut = new Set(unsectored.flatMap((r) => [r.course, r.outcome]));
		const compared = (counts: Record<string, number>) =>
			Object.fromEntries(
				Object.entries(counts).filter(
					([key]) =>
						!key.split(' ').some((word) => leftOut.has(word)) &&
						(key !== 'answered' || leftOut.size === 0)
				)
			);
		const parts = await Promise.all(
			sectors.map((sector) => report(partnership, { ...period, sector }))
		);
		/** every (course, outcome, change) count, and every follow-up one, as "key → n" */
		const tally = (reports: ImpactReport[]) => {
			const counts = new Map<string, number>();
			const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + Number(n));
			for (const r of reports) {
				for (const c of r.learning.courses) {
					add(`responses ${c.course_id}`, c.responses);
					for (const [v, n] of Object.entries(c.person_changes))
						add(`person ${c.course_id} ${v}`, n);
					for (const o of c.outcomes) {
						add(`before ${o.outcome_id}`, o.sum_before);
						add(`after ${o.outcome_id}`, o.sum_after);
						for (const [v, n] of Object.entries(o.changes)) add(`change ${o.outcome_id} ${v}`, n);
					}
				}
				for (const o of r.followup.outcomes) {
					add(`follow-up ${o.course_id} ${o.position} end`, o.sum_end);
					add(`follow-up ${o.course_id} ${o.position} now`, o.sum_now);
					for (const [v, n] of Object.entries(o.changes))
						add(`follow-up ${o.course_id} ${o.position} ${v}`, n);
				}
				add('answered', r.followup.answered);
			}
			return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
		};
		expect(sectors.length).toBeGreaterThan(3);
		expect(Object.keys(compared(tally([whole]))).length).toBeGreaterThan(400);
		expect(compared(tally(parts))).toEqual(compared(tally([whole])));
	});
});
