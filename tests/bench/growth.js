// @ts-check
// Growth: `node tests/bench/growth.js` (or `npm run bench:growth`). The four Hampshire, Isle
// of Wight, Portsmouth and Southampton partnerships train across each other's areas; this
// measures how the service grows at 1×, 4× and 16× the demo year's activity, on one local
// database that grows between the steps: the demo year, then more years of the same shape
// from public.demo_history, each moved onto the demo year (2025/26), so that year holds 4×
// and then 16× the partnership's training. At each size:
//   - the impact report over all of it, as the demo admin, against the bare aggregate over
//     the same rows (median of 5 each);
//   - a new device's first pull, every page until there are no more, signed in as the demo
//     trainer (median of 3) and as the demo admin (once: it is the longest);
//   - 20 devices pushing 50 evaluations each at the same moment (wall time, and each
//     device's own time).
// Run it alone: it is a measurement, and takes several minutes.
import postgres from 'postgres';
import { startDatabase } from '../../supabase/local/database.js';
import { bareAggregate } from './impact-report.js';
import { evaluationsToPush } from './sync-push.js';

const SCALES = [1, 4, 16];
const DEVICES = 20;
const PER_DEVICE = 50;
const PAGE = 1000; // the engine's PULL_PAGE_SIZE
const TRAINER = '00000000-0000-4000-8000-000000000002';
const ADMIN = '00000000-0000-4000-8000-000000000003';

const median = (/** @type {number[]} */ xs) =>
	[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const port = 55622;
const db = await startDatabase({
	port,
	dataDir: 'supabase/.local/pgdata-growth',
	fresh: true,
	log: () => {}
});
const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
const sql = postgres(url, { max: DEVICES + 1, onnotice: () => {} });

/**
 * Work done as a signed-in user, as PostgREST runs it: one transaction, the role and the
 * JWT claims set in it. @template T @param {string} userId
 * @param {(tx: postgres.TransactionSql) => Promise<T>} work
 */
const asUser = (userId, work) =>
	/** @type {Promise<T>} */ (
		sql.begin(async (tx) => {
			await tx.unsafe('set local role authenticated');
			await tx`select set_config('request.jwt.claims', ${JSON.stringify({ role: 'authenticated', sub: userId })}, true)`;
			return work(tx);
		})
	);

/** Every page of a first pull: how long, how many rows. @param {string} userId */
async function firstPull(userId) {
	const started = performance.now();
	let cursor = '';
	let rows = 0;
	let pages = 0;
	for (;;) {
		const page = await asUser(userId, async (tx) => {
			const [r] = await tx`select public.sync_pull(${cursor}, ${PAGE}) as page`;
			return /** @type {{ changes: unknown[], cursor: string, more: boolean }} */ (r?.page);
		});
		rows += page.changes.length;
		pages++;
		cursor = page.cursor;
		if (!page.more) break;
	}
	return { ms: performance.now() - started, rows, pages };
}

/** @param {number} runs @param {() => Promise<number>} once */
async function medianOf(runs, once) {
	const times = [];
	for (let i = 0; i < runs; i++) times.push(await once());
	return median(times);
}

/** 20 devices, each with its own person, pushing their evaluations at once. */
async function concurrentPush() {
	const devices = [];
	for (let d = 0; d < DEVICES; d++) {
		const [p] = await sql`insert into auth.users (id, email)
			values (gen_random_uuid(), ${`growth.${crypto.randomUUID()}@bench.hscp.example`}) returning id`;
		const userId = /** @type {string} */ (p?.id);
		devices.push({ userId, mutations: await evaluationsToPush(sql, userId, PER_DEVICE) });
	}
	const started = performance.now();
	const each = await Promise.all(
		devices.map(async ({ userId, mutations }) => {
			const t = performance.now();
			const out = await asUser(userId, async (tx) => {
				const [r] =
					await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json(mutations)}) as out`;
				return /** @type {{ results: { status: string }[] }} */ (r?.out);
			});
			if (out.results.some((r) => r.status !== 'applied')) throw new Error('a push was refused');
			return performance.now() - t;
		})
	);
	return { wallMs: performance.now() - started, medianMs: median(each), maxMs: Math.max(...each) };
}

const rows = [];
try {
	let years = 1; // the seed holds 2025/26
	for (const scale of SCALES) {
		for (; years < scale; years++) {
			const fy = 2025 - years;
			await sql`select public.demo_history(${fy})`;
			// that year's sessions, moved onto 2025/26 (their bookings and marks go with them)
			await sql`update public.sessions
				set starts_at = starts_at + make_interval(years => ${years}),
					ends_at = ends_at + make_interval(years => ${years}),
					booking_closes_at = booking_closes_at + make_interval(years => ${years})
				where starts_at >= make_date(${fy}, 4, 1) and starts_at < make_date(${fy + 1}, 4, 1)`;
		}
		await sql`analyze`;
		const from = '2025-04-01';
		const [counts] = await sql`
			select (select count(*) from public.bookings)::int as bookings,
				(select count(*) from public.evaluations)::int as evaluations,
				(select count(*) from public.change_log)::int as changes`;
		const report = await medianOf(5, async () =>
			asUser(ADMIN, async (tx) => {
				const t = performance.now();
				await tx`select public.impact_report(${tx.json({ from, to: '2026-03-31' })})`;
				return performance.now() - t;
			})
		);
		const bare = await medianOf(5, async () =>
			sql.begin(async (tx) => {
				await tx.unsafe("set local work_mem = '32MB'; set local enable_nestloop = off");
				const t = performance.now();
				await bareAggregate(tx, from, '2026-04-01');
				return performance.now() - t;
			})
		);
		const trainerPulls = [];
		for (let i = 0; i < 3; i++) trainerPulls.push(await firstPull(TRAINER));
		const trainer = trainerPulls.sort((a, b) => a.ms - b.ms)[1];
		const adminPull = await firstPull(ADMIN);
		const push = await concurrentPush();
		const row = {
			scale: `${scale}×`,
			bookings: counts?.bookings,
			evaluations: counts?.evaluations,
			'change log': counts?.changes,
			'impact report ms': report.toFixed(0),
			'bare ms': bare.toFixed(0),
			'report / bare': `${(report / bare).toFixed(1)}×`,
			'trainer first pull': `${((trainer?.ms ?? NaN) / 1000).toFixed(2)} s, ${trainer?.rows} rows`,
			'admin first pull': `${(adminPull.ms / 1000).toFixed(2)} s, ${adminPull.rows} rows`,
			'20 devices push (wall; each median / max)': `${push.wallMs.toFixed(0)} ms; ${push.medianMs.toFixed(0)} / ${push.maxMs.toFixed(0)} ms`
		};
		rows.push(row);
		console.log(row);
	}
	console.log(`\nGrowth (${new Date().toISOString()}):`);
	console.table(rows);
} finally {
	await sql.end();
	await db.stop();
}
