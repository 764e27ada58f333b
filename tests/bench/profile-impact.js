// @ts-check
// Where the impact report's time goes: `npm run bench:profile-impact`. On its own local
// database, the demo partnership and nine more years (as the impact budget measures), the
// report is called as the demo admin, the way PostgREST calls it, with auto_explain on: the
// plan of each statement inside it, with the time of every node, is printed. KEEP=1 reuses
// the database of the last run instead of building the ten years again; APPLY=file.sql runs
// that SQL first (a changed function to compare). Run it alone: it is a measurement.
import postgres from 'postgres';
import { readFile } from 'node:fs/promises';
import { startDatabase } from '../../supabase/local/database.js';
import { bareAggregate } from './impact-report.js';

const keep = process.env.KEEP === '1';
const db = await startDatabase({
	port: 55523,
	dataDir: 'supabase/.local/pgdata-profile-impact',
	fresh: !keep,
	log: () => {}
});
/** @type {string[]} */
const plans = [];
const sql = postgres('postgres://postgres:postgres@127.0.0.1:55523/postgres', {
	max: 1,
	onnotice: (notice) => plans.push(String(notice.message))
});
try {
	const [{ years } = { years: 0 }] =
		await sql`select count(distinct date_trunc('year', starts_at))::int as years from public.sessions`;
	if (!keep || years < 10) {
		for (let year = 2016; year <= 2024; year++) await sql`select public.demo_history(${year})`;
		await sql`analyze`;
	}
	if (process.env.APPLY) await sql.unsafe(await readFile(process.env.APPLY, 'utf8'));
	const [admin] = await sql`select id from public.profiles where email = 'admin@demo.hscp.example'`;
	if (!admin) throw new Error('no demo admin');
	const filters = { from: '2016-04-01', to: '2026-03-31' };
	const call = () =>
		sql.begin(async (tx) => {
			await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: admin.id, role: 'authenticated' })}, true)`;
			await tx.unsafe('set local role authenticated');
			const t = performance.now();
			await tx`select public.impact_report(${tx.json(filters)})`;
			return performance.now() - t;
		});
	// warm the cache, then time eleven calls without auto_explain
	for (let i = 0; i < 3; i++) await call();
	const times = [];
	for (let i = 0; i < 11; i++) times.push(await call());
	times.sort((a, b) => a - b);
	console.log(
		`impact_report over ten years: median ${times[5]?.toFixed(1)} ms of 11 (${times.map((t) => t.toFixed(0)).join(', ')})`
	);
	const bare = [];
	for (let i = 0; i < 11; i++)
		bare.push(
			await sql.begin(async (tx) => {
				await tx.unsafe("set local work_mem = '32MB'; set local enable_nestloop = off");
				const t = performance.now();
				await bareAggregate(tx, '2016-04-01', '2026-04-01');
				return performance.now() - t;
			})
		);
	bare.sort((a, b) => a - b);
	const bareMs = bare[5] ?? 0;
	console.log(
		`bare aggregate: median ${bareMs.toFixed(1)} ms of 11; the report is ${((times[5] ?? 0) / bareMs).toFixed(2)}×`
	);
	await sql.unsafe(`load 'auto_explain'`);
	await sql.unsafe(`set auto_explain.log_min_duration = 0`);
	await sql.unsafe(`set auto_explain.log_analyze = on`);
	await sql.unsafe(`set auto_explain.log_nested_statements = on`);
	await sql.unsafe(`set auto_explain.log_level = notice`);
	await sql.unsafe(`set client_min_messages = notice`);
	plans.length = 0;
	const explained = await call();
	console.log(`with auto_explain (timing every node): ${explained.toFixed(1)} ms`);
	for (const plan of plans) console.log(plan);
} finally {
	await sql.end();
	await db.stop();
}
