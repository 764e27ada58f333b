// @ts-check
// Sync budget (docs/architecture.md, Budgets): 1,000 queued evaluations with six ratings each, pushed and
// acknowledged through the local API in batches as the app's engine sends them (up to 500
// changes or 640 KB: PUSH_BATCH_SIZE and PUSH_BATCH_BYTES in src/lib/sync/push.ts),
// compared with inserting the same evaluations and ratings in one SQL statement.
import postgres from 'postgres';
import { anonKey } from '../../supabase/local/jwt.js';

export const BATCH = 500;
export const COUNT = 1000;

/** @param {string} apiUrl @param {number} dbPort */
export async function measureSyncPush(apiUrl, dbPort) {
	const key = await anonKey();
	const email = `bench.${Date.now()}@bench.hscp.example`;
	const call = async (/** @type {string} */ path, /** @type {unknown} */ body, token = key) => {
		const response = await fetch(`${apiUrl}${path}`, {
			method: 'POST',
			headers: {
				apikey: key,
				authorization: `Bearer ${token}`,
				'content-type': 'application/json'
			},
			body: JSON.stringify(body)
		});
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return response.json();
	};
	await call('/auth/v1/otp', { email });
	const [mail] = await (
		await fetch(`${apiUrl}/mailbox/messages?to=${encodeURIComponent(email)}`)
	).json();
	const code = mail.subject.match(/\d{6}/)[0];
	const session = await call('/auth/v1/verify', { type: 'email', email, token: code });

	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 1 });
	try {
		const mutations = await evaluationsToPush(sql, session.user.id);
		const device = crypto.randomUUID();

		const started = performance.now();
		let acknowledged = 0;
		for (let i = 0; i < COUNT; i += BATCH) {
			const { results } = await call(
				'/rest/v1/rpc/sync_push',
				{ p_device_id: device, p_mutations: mutations.slice(i, i + BATCH) },
				session.access_token
			);
			acknowledged += results.filter(
				(/** @type {{status: string}} */ r) => r.status === 'applied'
			).length;
		}
		const pushMs = performance.now() - started;
		if (acknowledged !== COUNT) throw new Error(`only ${acknowledged} of ${COUNT} acknowledged`);

		// the same evaluations and ratings in one statement, in a transaction that is rolled back
		let insertMs = 0;
		await sql
			.begin(async (tx) => {
				const rows = mutations.map((m) => ({ ...m.args, id: crypto.randomUUID() }));
				// a second person booked on the same sessions (one evaluation per person per session)
				const [other] = await tx`insert into auth.users (id, email)
					values (gen_random_uuid(), ${'other.' + email}) returning id`;
				if (!other) throw new Error('no user');
				const t = performance.now();
				await tx`
					with input as (
						select * from jsonb_to_recordset(${tx.json(rows)}::jsonb)
							as x(id uuid, session_id uuid, overall int, practice_change text, comments text, ratings jsonb)
					), evaluations as (
						insert into public.evaluations (id, session_id, user_id, overall, practice_change, comments)
						select id, session_id, ${other.id}, overall, practice_change, comments from input
						returning id
					)
					insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
					select i.id, (r ->> 'outcome_id')::uuid, (r ->> 'before')::int, (r ->> 'after')::int
					from input i cross join jsonb_array_elements(i.ratings) r
					where i.id in (select id from evaluations)`;
				insertMs = performance.now() - t;
				throw new Error('rollback');
			})
			.catch((error) => {
				if (error.message !== 'rollback') throw error;
			});
		return { pushMs, insertMs, count: COUNT, batch: BATCH };
	} finally {
		await sql.end();
	}
}

/**
 * One course with six outcomes and `count` past sessions the person is booked on, and the
 * evaluation.submit mutations a device would queue for them (one per session).
 * @param {postgres.Sql} sql @param {string} userId
 */
export async function evaluationsToPush(sql, userId, count = COUNT) {
	// one course with six outcomes, 1,000 past sessions, the bench user booked on each
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-bench-eval-' + Date.now()}, 'Bench course', 'Evaluations bench', 'Everyone',
			'introductory', 'face_to_face', 60, array['Bench'], 'published', now()) returning id`;
	if (!course) throw new Error('no course');
	const outcomes = await sql`
		insert into public.learning_outcomes (course_id, position, text)
		select ${course.id}, i, 'Bench outcome ' || i from generate_series(1, 6) i returning id`;
	const sessions = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
		select ${course.id}, now() - make_interval(days => i), now() - make_interval(days => i) + interval '1 hour',
			'Bench hall', 30, 'offer', now() - make_interval(days => i + 1)
		from generate_series(1, ${count}) i returning id`;
	await sql`insert into public.bookings (session_id, user_id, status)
		select s.id, ${userId}, 'confirmed'
		from unnest(${sql.array(sessions.map((s) => s.id))}::uuid[]) as s(id)`;
	const mutations = sessions.map((s, i) => ({
		id: crypto.randomUUID(),
		seq: i + 1,
		name: 'evaluation.submit',
		args: {
			id: crypto.randomUUID(),
			session_id: s.id,
			overall: 1 + (i % 5),
			practice_change:
				'I will use the graded care profile with every family where neglect is a concern.',
			comments: i % 3 ? null : 'More case studies, please.',
			ratings: outcomes.map((o, j) => ({
				outcome_id: o.id,
				before: 1 + ((i + j) % 3),
				after: 3 + ((i + j) % 3)
			}))
		}
	}));

	return mutations;
}
