// @ts-check
// Sync budget (DESIGN.md §8): 1,000 queued mutations pushed and acknowledged through the
// local API, in batches of 100 as the app's engine sends them, compared with inserting the
// same ledger rows in one SQL statement.
import postgres from 'postgres';
import { anonKey } from '../../supabase/local/jwt.js';

const BATCH = 100;
const COUNT = 1000;

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
		const [agency] = await sql`select id from public.agencies order by name limit 1`;
		const device = crypto.randomUUID();
		const mutations = Array.from({ length: COUNT }, (_, i) => ({
			id: crypto.randomUUID(),
			seq: i + 1,
			name: 'profile.update',
			args: {
				full_name: `Bench Practitioner ${i + 1}`,
				agency_id: agency?.id,
				job_role: 'Designated safeguarding lead, primary school'
			}
		}));

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

		// the same ledger rows in one statement, inside a transaction that is rolled back
		let insertMs = 0;
		await sql
			.begin(async (tx) => {
				const rows = mutations.map((m) => ({
					id: crypto.randomUUID(),
					user_id: session.user.id,
					device_id: device,
					seq: m.seq,
					name: m.name,
					result: { status: 'applied' }
				}));
				const t = performance.now();
				await tx`insert into public.sync_mutations ${tx(rows)}`;
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
