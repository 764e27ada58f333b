import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../supabase/local/database.js';
import { emptyProject, superuser, type Sql } from './helpers';

/**
 * The demo year is the same on every fresh seed: every choice in it is drawn from md5 of
 * fixed keys, never random(), and nothing depends on the order rows happen to come in. The
 * test database was seeded fresh for this run; a second database is seeded here, and every
 * demo place is compared, without ids: who (by email), their agency, the booking's status
 * and times, their marks, ratings and follow-up.
 */
const main = superuser();
let again: Sql | undefined;
afterAll(async () => {
	await again?.end();
	await main.unsafe('drop database if exists seed_again with (force)');
	await main.end();
});

function digest(sql: Sql) {
	return sql`
		select md5(string_agg(x.line, E'\n' order by x.line)) as digest, count(*)::int as places,
			count(distinct x.agency)::int as agencies
		from (
			select a.name as agency, concat_ws('|', c.slug, s.starts_at, p.email, a.name, b.status,
				b.created_at - s.starts_at, b.cancelled_at - s.starts_at, b.waitlisted_at - s.starts_at,
				(select string_agg(ae.status::text || '/' || ae.source::text, ',' order by ae.marked_at, ae.status)
					from public.attendance_events ae where ae.booking_id = b.id),
				(select string_agg(r.before || '>' || r.after, ',' order by lo.position) || '#' || e.overall || e.practice_change
					from public.evaluations e join public.evaluation_ratings r on r.evaluation_id = e.id
					join public.learning_outcomes lo on lo.id = r.outcome_id
					where e.session_id = b.session_id and e.user_id = b.user_id group by e.overall, e.practice_change),
				(select coalesce(f.applied::text, '-') || ':' || coalesce(f.barriers, '')
					from public.followups f where f.session_id = b.session_id and f.user_id = b.user_id)) as line
			from public.bookings b
			join public.profiles p on p.id = b.user_id
			join public.sessions s on s.id = b.session_id
			join public.courses c on c.id = s.course_id
			left join public.agencies a on a.id = p.agency_id
			where p.email like '%@history.demo.hscp.example'
		) x`;
}

describe('the demo seed', () => {
	it(
		'gives the same demo year, place for place, on a second fresh database',
		{ timeout: 300_000 },
		async () => {
			again = await emptyProject('seed_again');
			await applyMigrations(again);
			const seed = await readFile('supabase/seed.sql', 'utf8');
			await again.begin((tx) => tx.unsafe(seed));
			const [first] = await digest(main);
			const [second] = await digest(again);
			expect(first!.places).toBeGreaterThan(5000);
			expect(first!.agencies).toBe(17);
			expect(second).toEqual(first);
		}
	);
});
