// @ts-check
// Where the sync push's time goes: `node tests/bench/profile-sync-push.js`. On its own local
// database, the sync budget's 1,000 evaluations are pushed through sync_push in batches, as
// the signed-in user exactly as PostgREST calls it (role and JWT claims in the transaction),
// on the demo partnership's data, with PostgreSQL's function statistics on (track_functions = all): each function's calls,
// total and self time. Then the same rows in one statement, for the ratio the budget uses.
// Run it alone: it is a measurement.
import postgres from 'postgres';
import { startDatabase } from '../../supabase/local/database.js';
import { BATCH, COUNT, evaluationsToPush } from './sync-push.js';

const batch = Number(process.env.BATCH ?? BATCH);
const db = await startDatabase({
	port: 55522,
	dataDir: 'supabase/.local/pgdata-profile',
	fresh: true,
	log: () => {}
});
const sql = postgres('postgres://postgres:postgres@127.0.0.1:55522/postgres', {
	max: 1,
	onnotice: () => {}
});
try {
	const [me] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), 'profile@bench.hscp.example') returning id`;
	const userId = /** @type {string} */ (me?.id);
	const mutations = await evaluationsToPush(sql, userId);
	const device = crypto.randomUUID();

	await sql`select pg_stat_reset()`;
	await sql`set track_functions = 'all'`;
	const started = performance.now();
	let applied = 0;
	for (let i = 0; i < COUNT; i += batch) {
		const out = await sql.begin(async (tx) => {
			await tx`set local role authenticated`;
			await tx`select set_config('request.jwt.claims', ${JSON.stringify({ role: 'authenticated', sub: userId })}, true)`;
			const [row] =
				await tx`select public.sync_push(${device}, ${tx.json(mutations.slice(i, i + batch))}) as out`;
			return /** @type {{ results: { status: string }[] }} */ (row?.out);
		});
		applied += out.results.filter((r) => r.status === 'applied').length;
	}
	const pushMs = performance.now() - started;
	if (applied !== COUNT) throw new Error(`only ${applied} of ${COUNT} applied`);
	await sql`select pg_stat_force_next_flush()`;
	await sql`set track_functions = 'none'`;
	const functions = await sql`
		select funcname as function, calls, round(total_time::numeric, 1) as total_ms,
			round(self_time::numeric, 1) as self_ms
		from pg_stat_user_functions where schemaname = 'public'
		order by self_time desc limit 25`;
	const tables = await sql`
		select relname as table, n_tup_ins as inserted, n_tup_upd as updated, n_tup_del as deleted
		from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del > 0
		order by n_tup_ins + n_tup_upd + n_tup_del desc limit 15`;
	console.log(
		`sync_push: ${COUNT} evaluations in batches of ${batch}, ${pushMs.toFixed(0)} ms in SQL`
	);
	console.table(functions.map((f) => ({ ...f })));
	console.table(tables.map((t) => ({ ...t })));
} finally {
	await sql.end();
	await db.stop();
}
