import { afterAll, describe, expect, it } from 'vitest';
import type { ImpactReport } from '../../src/lib/impact/report';
import { as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const yearsAgo = (years: number) => `${years} years`;

async function report(filters: Record<string, string>) {
	const [row] = await admin`select id from public.profiles where email = 'admin@demo.hscp.example'`;
	return as(api, user(row!.id), async (tx) => {
		const [r] = await tx`select public.impact_report(${tx.json(filters)}) as r`;
		return r!.r as ImpactReport;
	});
}

describe('the retention policy', () => {
	it('anonymises what is older than the period and leaves every impact figure as it was', async () => {
		const tag = crypto.randomUUID().slice(0, 8);
		const theme = `Retention ${tag}`;
		const [course] = await admin`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${'test-retention-' + tag}, ${'Retention course ' + tag}, 'A course made by a test', 'Testers', 'introductory',
				'face_to_face', 60, array[${theme}], 'published', now())
			returning id`;
		const [outcome] = await admin`insert into public.learning_outcomes (course_id, position, text)
			values (${course!.id}, 1, 'Outcome one') returning id`;
		const session = async (ago: string) => {
			const [s] = await admin`
				insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
				values (${course!.id}, now() - ${ago}::interval, now() - ${ago}::interval + interval '1 hour', 'Hall', 20, 'offer',
					now() - ${ago}::interval - interval '1 day')
				returning id`;
			return s!.id as string;
		};
		const old = await session(yearsAgo(7));
		const older = await session(yearsAgo(7.5));
		const recent = await session('1 month');
		const marker = await createUser(admin, 'retention-marker');
		const person = async (label: string, sessions: string[]) => {
			const p = await createUser(admin, label);
			await admin`update public.profiles set full_name = ${label}, created_at = now() - interval '8 years',
				agency_id = (select id from public.agencies order by name limit 1) where id = ${p.id}`;
			for (const s of sessions) {
				const [b] = await admin`insert into public.bookings (session_id, user_id, status)
					values (${s}, ${p.id}, 'confirmed') returning id`;
				await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
					values (gen_random_uuid(), ${s}, ${b!.id}, 'present', ${marker.id}, now(), 'register')`;
				const [e] =
					await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
					values (gen_random_uuid(), ${s}, ${p.id}, 4, ${'Practice of ' + label}) returning id`;
				await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
					values (${e!.id}, ${outcome!.id}, 2, 4)`;
			}
			await admin`insert into public.notifications (user_id, to_email, kind, subject, body, created_at)
				values (${p.id}, ${p.email}, 'booking_confirmed', 'Booked', 'An old email', now() - interval '7 years'),
					(${p.id}, ${p.email}, 'booking_confirmed', 'Booked', 'A recent email', now() - interval '1 month')`;
			return p;
		};
		const gone = await person(`gone-${tag}`, [old, older]);
		const active = await person(`active-${tag}`, [old, recent]);
		const walkIn = async (s: string, name: string, email: string | null) =>
			admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
				values (${s}, ${name}, ${email}, ${marker.id}) returning id`.then(async ([w]) => {
				await admin`insert into public.attendance_events (id, session_id, walk_in_id, status, marked_by, marked_at, source)
					values (gen_random_uuid(), ${s}, ${w!.id}, 'present', ${marker.id}, now(), 'register')`;
			});
		// two places each, so a key replaced row by row (not person by person) would show
		await walkIn(old, 'Old Walker', `old.walker.${tag}@example.org`);
		await walkIn(older, 'Old Walker', `old.walker.${tag}@example.org`);
		await walkIn(old, 'Still Walking', `still.walking.${tag}@example.org`);
		await walkIn(recent, 'Still Walking', `still.walking.${tag}@example.org`);
		await walkIn(old, 'No Email', null);

		const day = (daysAgo: number) =>
			new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
		const periods: Record<string, string>[] = [
			{ from: day(8 * 365), to: day(0), theme },
			{ from: day(8 * 365), to: day(5 * 365), theme },
			{ from: day(8 * 365), to: day(0), theme, sector: 'health' }
		];
		const before = await Promise.all(periods.map(report));
		expect(before[0]!.reach.people).toBe(5); // gone, active, three walk-in keys
		expect(before[0]!.attendance.attended).toBe(9);

		const [{ r: outcome1 }] = (await admin`select public.apply_retention() as r`) as unknown as [
			{ r: Record<string, number> }
		];
		expect(outcome1.accounts_anonymised).toBeGreaterThanOrEqual(1);

		// the person with nothing for seven years is anonymous; the active one is untouched
		const profiles =
			await admin`select id, full_name, email from public.profiles where id in ${admin([gone.id, active.id])}`;
		const byId = Object.fromEntries(profiles.map((p) => [p.id, p]));
		expect(byId[gone.id]).toMatchObject({ full_name: null });
		expect(byId[gone.id]!.email).toMatch(/@deleted\.invalid$/);
		expect(byId[active.id]).toMatchObject({ full_name: `active-${tag}`, email: active.email });
		const [answers] = await admin`
			select (select count(*) from public.evaluations where user_id = ${gone.id})::int as gone,
				(select count(*) from public.evaluations where user_id = ${active.id})::int as active,
				(select count(*) from public.notifications where user_id = ${active.id})::int as active_emails`;
		expect(answers).toEqual({ gone: 0, active: 2, active_emails: 1 });
		const walkIns = await admin`select w.full_name, w.email from public.walk_in_attendees w
			where w.session_id in ${admin([old, older, recent])} order by w.full_name, w.created_at`;
		expect(walkIns).toEqual([
			{ full_name: 'Name removed', email: null },
			{ full_name: 'Name removed', email: null },
			{ full_name: 'Name removed', email: null },
			{ full_name: 'Still Walking', email: `still.walking.${tag}@example.org` },
			{ full_name: 'Still Walking', email: `still.walking.${tag}@example.org` }
		]);

		// every figure of every report stands
		expect(await Promise.all(periods.map(report))).toEqual(before);
		// and a second run finds nothing more of these to do
		await admin`select public.apply_retention()`;
		expect(await Promise.all(periods.map(report))).toEqual(before);
	});

	it('the period is configurable, and never shorter than a year', async () => {
		await expect(
			admin`update public.retention_policy set keep_personal_data = interval '6 months'`
		).rejects.toThrow(/retention_policy_keep_personal_data_check/);
		await admin`update public.retention_policy set keep_personal_data = interval '10 years'`;
		try {
			const [{ r }] = (await admin`select public.apply_retention() as r`) as unknown as [
				{ r: { cutoff: string } }
			];
			const years = (Date.now() - new Date(r.cutoff).getTime()) / (365.25 * 86_400_000);
			expect(years).toBeCloseTo(10, 1);
		} finally {
			await admin`update public.retention_policy set keep_personal_data = interval '6 years'`;
		}
	});
});
