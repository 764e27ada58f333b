// @ts-check
// Impact budget (docs/architecture.md, Budgets): the full impact report over ten times the demo year
// (ten financial years of the partnership's activity) under 300 ms, beside the bare
// aggregate query over the same rows.
import postgres from 'postgres';

const RUNS = 11;

/** @param {number} dbPort */
export async function measureImpactReport(dbPort) {
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 1 });
	try {
		// the seed holds 2025/26; nine more years make ten
		for (let year = 2016; year <= 2024; year++) await sql`select public.demo_history(${year})`;
		await sql`analyze`;
		const [admin] =
			await sql`select id from public.profiles where email = 'admin@demo.hscp.example'`;
		if (!admin) throw new Error('no demo admin');
		const [counts] = await sql`
			select (select count(*) from public.bookings)::int as bookings,
				(select count(*) from public.evaluations)::int as evaluations,
				(select count(*) from public.evaluation_ratings)::int as ratings`;
		const filters = { from: '2016-04-01', to: '2026-03-31' };

		/**
		 * One timed call in its own transaction. @param {(tx: postgres.TransactionSql) => Promise<unknown>} work
		 * @param {boolean} asAdmin run as the signed-in admin (the report); otherwise as the
		 *   tables' owner, as the report's security-definer functions read them
		 */
		const timed = (work, asAdmin) =>
			sql.begin(async (tx) => {
				await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: admin.id, role: 'authenticated' })}, true)`;
				if (asAdmin) await tx.unsafe('set local role authenticated');
				else await tx.unsafe("set local work_mem = '32MB'; set local enable_nestloop = off");
				const t = performance.now();
				await work(tx);
				return performance.now() - t;
			});
		// the report and the bare aggregate (places booked, distinct people and the mean rating
		// change, with none of the report's shaping, with the same planner settings) in turns,
		// so a change in the machine's speed during the runs falls on both alike
		/** @type {number[]} */
		const report = [];
		/** @type {number[]} */
		const bare = [];
		// one turn first, not counted: it loads what the calls read into the database's cache
		await timed((tx) => tx`select public.impact_report(${tx.json(filters)})`, true);
		await timed((tx) => bareAggregate(tx, '2016-04-01', '2026-04-01'), false);
		for (let i = 0; i < RUNS; i++) {
			report.push(await timed((tx) => tx`select public.impact_report(${tx.json(filters)})`, true));
			bare.push(await timed((tx) => bareAggregate(tx, '2016-04-01', '2026-04-01'), false));
		}
		const median = (/** @type {number[]} */ xs) =>
			[...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
		const reportMs = median(report);
		const bareMs = median(bare);
		const fastestMs = Math.min(...report);
		return {
			runs: RUNS,
			fastestMs,
			reportMs,
			bareMs,
			bookings: Number(counts?.bookings),
			evaluations: Number(counts?.evaluations),
			ratings: Number(counts?.ratings)
		};
	} finally {
		await sql.end();
	}
}

/**
 * The bare aggregate the report is compared with: places booked, distinct people and the
 * mean rating change over the sessions from `from` to before `to`, with none of the report's
 * shaping. @param {postgres.TransactionSql} tx @param {string} from @param {string} to
 */
export function bareAggregate(tx, from, to) {
	// the dates as literals, as the report's own queries are planned for them
	if (![from, to].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)))
		throw new Error('bareAggregate takes dates as yyyy-mm-dd');
	return tx.unsafe(`
		select count(*) as booked, count(distinct b.user_id) as people,
			(select avg(r.after - r.before) from public.evaluation_ratings r
			 join public.evaluations v on v.id = r.evaluation_id
			 join public.sessions s2 on s2.id = v.session_id
			 where s2.starts_at >= '${from}' and s2.starts_at < '${to}') as mean_change
		from public.bookings b
		join public.sessions s on s.id = b.session_id
		where s.starts_at >= '${from}' and s.starts_at < '${to}'`);
}
