import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImpactReport } from '../../src/lib/impact/report';
import { as, authenticator, createUser, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

/**
 * The evidence pack's tables on a fixture known by hand, with a theme of its own:
 *   course P (face to face, 2 hours): sessions P1 (June 2025, 10 places) and P2 (July 2025,
 *     cancelled); P1 has 5 people booked from agency A (health) who came, 3 from agency B
 *     (police) who came, a walk-in from A, and one no-show from B
 *   course Q (webinar, 1 hour) in October 2024 and October 2023: one person from A each year
 * Every attendee on P1 evaluates; four of them answer a follow-up naming barriers.
 */
const f = {} as Record<string, string>;
let tag = '';

async function fixture(sql: Sql) {
	tag = crypto.randomUUID().slice(0, 8);
	f.theme = `Pack ${tag}`;
	for (const [key, sector] of [
		['A', 'health'],
		['B', 'police'],
		['C', 'education']
	] as const) {
		const [a] = await sql`insert into public.agencies (name, sector)
			values (${`Pack agency ${key} ${tag}`}, ${sector}) returning id`;
		f[`agency${key}`] = a!.id;
	}
	const course = async (key: string, format: string, minutes: number) => {
		const [c] = await sql`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${`test-pack-${key.toLowerCase()}-${tag}`}, ${`Pack course ${key} ${tag}`}, 'Evidence pack fixture', 'Testers',
				'introductory', ${format}::public.course_format, ${minutes}, array[${f.theme!}], 'published', now())
			returning id`;
		f[`course${key}`] = c!.id;
		const [o] = await sql`insert into public.learning_outcomes (course_id, position, text)
			values (${c!.id}, 1, ${`Outcome ${key}`}) returning id`;
		f[`${key}o`] = o!.id;
	};
	await course('P', 'face_to_face', 120);
	await course('Q', 'webinar', 60);
	const session = async (
		key: string,
		course: string,
		starts: string,
		hours: number,
		status = 'scheduled'
	) => {
		const [s] = await sql`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at,
				status, cancelled_reason)
			values (${f[`course${course}`]!}, ${starts}, ${starts}::timestamptz + make_interval(hours => ${hours}), 'Hall', 10,
				'offer', ${starts}::timestamptz - interval '1 day', ${status}::public.session_status,
				${status === 'cancelled' ? 'Trainer unwell' : null})
			returning id`;
		f[`session${key}`] = s!.id;
	};
	await session('P1', 'P', '2025-06-04T09:00:00Z', 2);
	await session('P2', 'P', '2025-07-02T09:00:00Z', 2, 'cancelled');
	await session('Q1', 'Q', '2024-10-02T12:00:00Z', 1);
	await session('Q2', 'Q', '2023-10-04T12:00:00Z', 1);
	const marker = await createUser(sql, 'pack-marker');
	f.marker = marker.id;

	const person = async (key: string, agency: string) => {
		const p = await createUser(sql, `pack-${key}`);
		await sql`update public.profiles set full_name = ${'Pack ' + key}, agency_id = ${f[`agency${agency}`]!} where id = ${p.id}`;
		f[key] = p.id;
		return p.id;
	};
	const attend = async (who: string, sessionKey: string, status: string) => {
		const [b] = await sql`insert into public.bookings (session_id, user_id, status, confirmed_at)
			values (${f[`session${sessionKey}`]!}, ${f[who]!}, 'confirmed', now()) returning id`;
		await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
			values (gen_random_uuid(), ${f[`session${sessionKey}`]!}, ${b!.id}, ${status}::public.attendance_status,
				${f.marker!}, now(), 'register')`;
	};
	const evaluate = async (
		who: string,
		sessionKey: string,
		before: number,
		after: number,
		text: string
	) => {
		const [e] =
			await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
			values (gen_random_uuid(), ${f[`session${sessionKey}`]!}, ${f[who]!}, 4, ${text}) returning id`;
		await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
			values (${e!.id}, ${f[sessionKey.startsWith('P') ? 'Po' : 'Qo']!}, ${before}, ${after})`;
	};
	const quotes = ['Refer sooner', 'refer sooner.', 'Refer  sooner!', 'Use the toolkit', 'Ask more'];
	for (let i = 1; i <= 5; i++) {
		await person(`a${i}`, 'A');
		await attend(`a${i}`, 'P1', 'present');
		await evaluate(`a${i}`, 'P1', 2, 4, quotes[i - 1]!);
	}
	for (let i = 1; i <= 3; i++) {
		await person(`b${i}`, 'B');
		await attend(`b${i}`, 'P1', i === 3 ? 'late' : 'present');
		await evaluate(`b${i}`, 'P1', 3, 4, 'Ask more');
	}
	await person('noshow', 'B');
	await attend('noshow', 'P1', 'absent');
	const [w] =
		await sql`insert into public.walk_in_attendees (session_id, full_name, email, agency_id, added_by)
		values (${f.sessionP1!}, 'Pack walk-in', ${`pack.walk.in.${tag}@example.org`}, ${f.agencyA!}, ${f.marker!}) returning id`;
	await sql`insert into public.attendance_events (id, session_id, walk_in_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${f.sessionP1!}, ${w!.id}, 'present', ${f.marker!}, now(), 'register')`;
	await person('q', 'A');
	await attend('q', 'Q1', 'present');
	await attend('q', 'Q2', 'present');
	const barriers = ['Time and caseload.', 'time and caseload', 'Time  and caseload', 'No case yet'];
	for (const [i, text] of barriers.entries()) {
		await sql`insert into public.followups (id, session_id, user_id, requested_at, submitted_at, applied, example, barriers)
			values (gen_random_uuid(), ${f.sessionP1!}, ${f[`a${i + 1}`]!}, now(), now(), 'partly', 'An example', ${text})`;
	}
}

const year = (extra: Record<string, unknown> = {}) => ({
	from: '2025-04-01',
	to: '2026-03-31',
	theme: f.theme,
	...extra
});

function report(userId: string, filters: Record<string, unknown>) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.impact_report(${tx.json(filters as never)}) as r`;
		return row!.r as ImpactReport;
	});
}

function rpc<T>(userId: string, call: string, ...args: unknown[]) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx.unsafe(`select ${call} as r`, args as never[]);
		return row!.r as T;
	});
}

let partnership: string;
let adminLead: string;

beforeAll(async () => {
	await fixture(admin);
	const a = await createUser(admin, 'pack-admin');
	await admin`insert into public.staff_roles (user_id, role) values (${a.id}, 'admin')`;
	partnership = a.id;
	const both = await createUser(admin, 'pack-admin-lead');
	await admin`insert into public.staff_roles (user_id, role) values (${both.id}, 'admin')`;
	await admin`insert into public.staff_roles (user_id, role, agency_id) values (${both.id}, 'agency_lead', ${f.agencyB!})`;
	adminLead = both.id;
});

describe('the evidence pack’s tables', () => {
	it('per course and in total: sessions held and cancelled, walk-ins, hours of training and of learning', async () => {
		const r = await report(partnership, year());
		expect(r.attendance).toMatchObject({
			// five from A, three from B and the walk-in; the no-show is not an attendance
			attended: 9,
			no_shows: 1,
			walk_ins: 1,
			sessions: 1,
			sessions_cancelled: 1,
			hours: 2,
			learner_hours: 18
		});
		expect(r.attendance.by_course).toEqual([
			expect.objectContaining({
				course_id: f.courseP,
				sessions: 1,
				sessions_cancelled: 1,
				capacity: 10,
				confirmed: 9,
				attended: 9,
				walk_ins: 1,
				no_shows: 1,
				hours: 2,
				learner_hours: 18
			})
		]);
	});

	it('barriers are counted once for each way of writing them; quotes and examples of what changed are all different', async () => {
		const r = await report(partnership, year());
		expect(r.followup.barriers_named).toBe(4);
		// four people gave the same example of what changed: it is shown once
		expect(r.followup.examples).toEqual([{ text: 'An example', course: `Pack course P ${tag}` }]);
		expect(r.followup.barriers).toEqual([
			{ text: 'Time and caseload', n: 3 },
			{ text: 'No case yet', n: 1 }
		]);
		// one of the three ways "refer sooner" was written stands for them all
		expect(
			r.quotes.map((q) => q.text.toLowerCase().replace(/\W+$/, '').replace(/\s+/g, ' ')).sort()
		).toEqual(['ask more', 'refer sooner', 'use the toolkit']);
	});

	it('names the course and the agency the filters chose', async () => {
		const r = await report(partnership, year({ course_id: f.courseP, agency_id: f.agencyA }));
		expect(r.named).toEqual({ course: `Pack course P ${tag}`, agency: `Pack agency A ${tag}` });
		expect(r.scope_agency).toBeNull();
		expect(r.reach.people).toBe(6);
	});

	it('reach by agency and sector beside the same dates in each of the two years before', async () => {
		const reach = await rpc<{
			periods: { from: string; to: string }[];
			people: number[];
			by_agency: { agency: string; sector: string; people: number[] }[];
			by_sector: { sector: string; people: number[] }[];
		}>(partnership, `public.impact_reach_years($1::jsonb)`, year());
		expect(reach.periods).toEqual([
			{ from: '2025-04-01', to: '2026-03-31' },
			{ from: '2024-04-01', to: '2025-03-31' },
			{ from: '2023-04-01', to: '2024-03-31' }
		]);
		expect(reach.people).toEqual([9, 1, 1]);
		expect(reach.by_agency).toEqual([
			{ agency: `Pack agency A ${tag}`, sector: 'health', people: [6, 1, 1] },
			{ agency: `Pack agency B ${tag}`, sector: 'police', people: [3, 0, 0] }
		]);
		expect(reach.by_sector).toEqual([
			{ sector: 'health', people: [6, 1, 1] },
			{ sector: 'police', people: [3, 0, 0] }
		]);
	});
});

describe('scope', () => {
	it('an admin who also leads an agency gets the partnership unless they choose their agency, which is then named', async () => {
		const whole = await report(adminLead, year());
		expect(whole.scope).toBe('partnership');
		expect(whole.scope_agency).toBeNull();
		expect(whole.reach.people).toBe(9);
		const own = await report(adminLead, year({ scope: 'agency' }));
		expect(own.scope).toBe('agency');
		expect(own.scope_agency).toBe(`Pack agency B ${tag}`);
		expect(own.reach).toMatchObject({ people: 3, confirmed_places: 4 });
		expect(own.attendance).toMatchObject({ attended: 3, no_shows: 1, walk_ins: 0 });
		const reach = await rpc<{ people: number[] }>(
			adminLead,
			`public.impact_reach_years($1::jsonb)`,
			year({ scope: 'agency' })
		);
		expect(reach.people).toEqual([3, 0, 0]);
	});

	it('an agency lead’s report names their agency; someone who leads none cannot choose one', async () => {
		const lead = await createUser(admin, 'pack-lead');
		await admin`insert into public.staff_roles (user_id, role, agency_id) values (${lead.id}, 'agency_lead', ${f.agencyA!})`;
		const r = await report(lead.id, year());
		expect([r.scope, r.scope_agency, r.reach.people]).toEqual([
			'agency',
			`Pack agency A ${tag}`,
			6
		]);
		await expect(report(partnership, year({ scope: 'agency' }))).rejects.toMatchObject({
			code: '42501',
			message: "Only an agency's safeguarding lead can narrow a report to their agency"
		});
		await expect(report(partnership, year({ scope: 'everyone' }))).rejects.toMatchObject({
			code: '22023',
			message: 'scope must be "partnership" or "agency" (got "everyone")'
		});
	});
});

type EvaluationRow = {
	respondent: number;
	course: string;
	month: string | null;
	sector: string;
	before: number;
	after: number;
};

describe('the anonymised evaluations export', () => {
	const evaluations = (extra: Record<string, unknown> = {}) =>
		rpc<EvaluationRow[]>(
			partnership,
			`public.impact_export('evaluations', $1::jsonb)`,
			year(extra)
		);

	it('describes nobody in a group smaller than five: sectors of five or more are shown, months only where every month has five', async () => {
		const rows = await evaluations();
		// eight answers on P1, one rating each; no name, email or id
		expect(rows).toHaveLength(8);
		expect(new Set(rows.map((r) => r.respondent))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
		expect(JSON.stringify(rows)).not.toMatch(/Pack a1|@|[0-9a-f]{8}-[0-9a-f]{4}-/);
		// one month, of eight answers: shown; health has five, police three: together the three
		// would be a group of three, so no sector is given for anyone on the course
		expect(new Set(rows.map((r) => r.month))).toEqual(new Set(['2025-06']));
		expect(new Set(rows.map((r) => r.sector))).toEqual(new Set(['not_shown']));
	});

	it('with five in each sector, each is shown; a course with fewer than five answers is left out', async () => {
		for (let i = 4; i <= 5; i++) {
			const p = await createUser(admin, `pack-b${i}`);
			await admin`update public.profiles set agency_id = ${f.agencyB!} where id = ${p.id}`;
			const [b] =
				await admin`insert into public.bookings (session_id, user_id, status, confirmed_at)
				values (${f.sessionP1!}, ${p.id}, 'confirmed', now()) returning id`;
			await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
				values (gen_random_uuid(), ${f.sessionP1!}, ${b!.id}, 'present', ${f.marker!}, now(), 'register')`;
			const [e] =
				await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
				values (gen_random_uuid(), ${f.sessionP1!}, ${p.id}, 4, 'Ask more') returning id`;
			await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
				values (${e!.id}, ${f.Po!}, 1, 5)`;
		}
		const rows = await evaluations();
		const sectors = rows.reduce<Record<string, number>>(
			(n, r) => ({ ...n, [r.sector]: (n[r.sector] ?? 0) + 1 }),
			{}
		);
		expect(sectors).toEqual({ health: 5, police: 5 });
		// the 2024 webinar had one answer from one person: left out
		const [e] =
			await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
			values (gen_random_uuid(), ${f.sessionQ1!}, ${f.q!}, 4, 'Alone') returning id`;
		await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
			values (${e!.id}, ${f.Qo!}, 1, 5)`;
		const earlier = await rpc<EvaluationRow[]>(
			partnership,
			`public.impact_export('evaluations', $1::jsonb)`,
			{ from: '2024-04-01', to: '2025-03-31', theme: f.theme }
		);
		expect(earlier).toEqual([]);
	});
});

describe('the bookings and registers exports', () => {
	it('carry what the definitions are worked out from, and each person’s email', async () => {
		const bookings = await rpc<Record<string, unknown>[]>(
			partnership,
			`public.impact_export('bookings', $1::jsonb)`,
			year()
		);
		expect(bookings[0]).toMatchObject({
			had_place: true,
			joined_waiting_list: false,
			status: 'confirmed'
		});
		const registers = await rpc<Record<string, unknown>[]>(
			partnership,
			`public.impact_export('registers', $1::jsonb)`,
			year()
		);
		expect(registers.find((r) => r.booked === false)).toMatchObject({
			name: 'Pack walk-in',
			email: `pack.walk.in.${tag}@example.org`,
			agency: `Pack agency A ${tag}`,
			sector: 'health',
			attendance: 'present'
		});
		expect(registers.filter((r) => r.attendance === 'absent')).toHaveLength(1);
	});
});
