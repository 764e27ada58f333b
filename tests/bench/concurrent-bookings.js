// @ts-check
// Booking budget (docs/architecture.md, Budgets): 500 people ask for the 100 places of one session at the
// same moment, each through the local API as the app does (sync_push, booking.request):
// exactly 100 confirmed, 400 waitlisted in the order they arrived, no errors. Timed, beside
// the bare database operation: the same 500 bookings written in one SQL statement.
import postgres from 'postgres';
import { anonKey, signJwt } from '../../supabase/local/jwt.js';

const PEOPLE = 500;
const PLACES = 100;

/** @param {string} apiUrl @param {number} dbPort */
export async function measureConcurrentBookings(apiUrl, dbPort) {
	const key = await anonKey();
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 1 });
	try {
		const session = async () => {
			const [course] = await sql`
				insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
				values (${'bench-crowd-' + crypto.randomUUID().slice(0, 8)}, 'Crowded webinar', 'Concurrency bench', 'Everyone',
					'introductory', 'webinar', 60, array['Bench'], 'published', now()) returning id`;
			const [s] = await sql`
				insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
				values (${course?.id}, now() + interval '7 days', now() + interval '7 days 1 hour',
					'https://teams.example/join/bench', ${PLACES}, 'auto', now() + interval '6 days')
				returning id`;
			return /** @type {string} */ (s?.id);
		};
		const sessionId = await session();
		const people = await sql`
			insert into auth.users (id, email)
			select gen_random_uuid(), 'crowd.' || i || '.' || gen_random_uuid() || '@bench.hscp.example'
			from generate_series(1, ${PEOPLE}) i returning id`;
		const expires = Math.floor(Date.now() / 1000) + 3600;
		const tokens = await Promise.all(
			people.map((p) =>
				signJwt({ sub: p.id, role: 'authenticated', aud: 'authenticated' }, expires)
			)
		);

		const started = performance.now();
		const answers = await Promise.all(
			tokens.map(async (token) => {
				const response = await fetch(`${apiUrl}/rest/v1/rpc/sync_push`, {
					method: 'POST',
					headers: {
						apikey: key,
						authorization: `Bearer ${token}`,
						'content-type': 'application/json'
					},
					body: JSON.stringify({
						p_device_id: crypto.randomUUID(),
						p_mutations: [
							{
								id: crypto.randomUUID(),
								seq: 1,
								name: 'booking.request',
								args: { booking_id: crypto.randomUUID(), session_id: sessionId }
							}
						]
					})
				});
				const body = await response.json();
				return { http: response.status, status: body?.results?.[0]?.status };
			})
		);
		const concurrentMs = performance.now() - started;

		const rows = await sql`select status, created_at, waitlisted_at from public.bookings
			where session_id = ${sessionId} order by created_at`;
		const confirmed = rows.filter((r) => r.status === 'confirmed');
		const waitlisted = rows.filter((r) => r.status === 'waitlisted');
		const lastConfirmed = Math.max(...confirmed.map((r) => +r.created_at));
		const byArrival = waitlisted.map((r) => +r.created_at);
		const inOrder =
			waitlisted.every((r) => +r.created_at > lastConfirmed) &&
			[...waitlisted]
				.sort((a, b) => +a.waitlisted_at - +b.waitlisted_at)
				.every((r, i) => +r.created_at === byArrival[i]);
		const errors = answers.filter((a) => a.http !== 200 || a.status !== 'applied').length;

		// the bare operation: the same 500 bookings on another session, one statement
		const bareSession = await session();
		const bareStarted = performance.now();
		await sql`insert into public.bookings (session_id, user_id, status, waitlisted_at)
			select ${bareSession}, u.id, case when n <= ${PLACES} then 'confirmed' else 'waitlisted' end::public.booking_status,
				case when n > ${PLACES} then now() end
			from (select id, row_number() over () as n
				from unnest(${sql.array(people.map((p) => p.id))}::uuid[]) as t(id)) u`;
		const bareMs = performance.now() - bareStarted;

		return {
			people: PEOPLE,
			places: PLACES,
			confirmed: confirmed.length,
			waitlisted: waitlisted.length,
			inOrder,
			errors,
			concurrentMs,
			bareMs
		};
	} finally {
		await sql.end();
	}
}
