import { afterAll, describe, expect, it } from 'vitest';
import { anyAgencyId, as, authenticator, createUser, mutation, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const device = '0f000000-0000-4000-8000-00000000000f';
type Result = {
	id: string | null;
	status: string;
	reason?: string;
	error?: { code: string; message: string };
};

const NAMES = [
	'profile.update',
	'booking.request',
	'booking.cancel',
	'booking.respond_to_offer',
	'attendance.mark',
	'attendance.check_in',
	'attendance.add_walk_in',
	'attendance.close_register',
	'evaluation.submit',
	'evaluation.submit_paper',
	'followup.submit'
];

/** Junk nested `depth` levels deep. */
const nested = (depth: number): unknown =>
	depth === 0 ? [null, 1, 'x', { '': [] }] : { a: nested(depth - 1), b: [nested(depth - 1)] };

/** Mutations whose envelope is broken: each must be answered on its own. */
function brokenEnvelopes(): unknown[] {
	const good = () => mutation('profile.update', {});
	const without = (key: string) => {
		const m: Record<string, unknown> = { ...good() };
		delete m[key];
		return m;
	};
	return [
		null,
		1,
		'mutation',
		true,
		[],
		[good()],
		{},
		without('id'),
		without('seq'),
		without('name'),
		without('args'),
		...[
			null,
			5,
			'',
			'not-a-uuid',
			{},
			[],
			'00000000-0000-4000-8000-00000000000g',
			'DROP TABLE'
		].map((id) => ({ ...good(), id })),
		...[null, '1', -1, 1.5, 1e30, {}, [], true].map((seq) => ({ ...good(), seq })),
		...[
			null,
			'',
			'profile',
			'Profile.Update',
			'profile.update.extra',
			5,
			{},
			"profile.update'; drop table public.profiles; --",
			`${'x'.repeat(100)}.update`
		].map((name) => ({ ...good(), name })),
		...[null, [], 'args', 5, true, [{}]].map((args) => ({ ...good(), args })),
		{ ...good(), args: { full_name: 'x'.repeat(70_000) } }
	];
}

/** Well-formed envelopes with arguments that are wrong for every mutation there is. */
function badArguments(): unknown[] {
	const variants: Record<string, unknown>[] = [
		{},
		{ id: 5, session_id: [], booking_id: {} },
		{ id: 'nope', session_id: 'nope', booking_id: 'nope', outcome_id: 'nope' },
		{ id: crypto.randomUUID(), session_id: crypto.randomUUID(), booking_id: crypto.randomUUID() },
		{ junk: nested(6) },
		{ session_id: nested(3), ratings: 'x', status: 42, full_name: ['a'], agency_id: true },
		{ ratings: [{ outcome_id: 1, before: 'a', after: null }], overall: '4', practice_change: 7 },
		{
			ratings: Array.from({ length: 200 }, () => ({ outcome_id: crypto.randomUUID(), before: 9 }))
		},
		{ status: 'teleported', answer: 'perhaps', applied: 'sometimes', marked_at: 'yesterday' },
		{ full_name: '<script>alert(1)</script>'.repeat(2000), practice_change: '='.repeat(60_000) }
	];
	const out: unknown[] = [];
	for (const name of [...NAMES, 'nope.nothing', 'booking.delete_all', 'sync_mutations.truncate'])
		for (const args of variants) out.push(mutation(name, args));
	return out;
}

describe('sync_push under malformed input', () => {
	it('answers every bad mutation on its own, applies the rest of its batch, never errors', async () => {
		const me = await createUser(admin, 'fuzz');
		const agency = await anyAgencyId(admin);
		const cases = [...brokenEnvelopes(), ...badArguments()];
		const codes = new Map<string, number>();
		let n = 0;
		for (const bad of cases) {
			n++;
			const before = mutation('profile.update', {
				full_name: `Before ${n}`,
				agency_id: agency,
				job_role: 'DSL'
			});
			const after = mutation('profile.update', {
				full_name: `After ${n}`,
				agency_id: agency,
				job_role: 'DSL'
			});
			const results = await as(api, user(me.id), async (tx) => {
				const [row] =
					await tx`select public.sync_push(${device}, ${tx.json([before, bad, after] as never)}) as r`;
				return (row!.r as { results: Result[] }).results;
			});
			const label = JSON.stringify(bad)?.slice(0, 120);
			expect(results, label).toHaveLength(3);
			expect(results[0], label).toMatchObject({ id: before.id, status: 'applied' });
			expect(results[2], label).toMatchObject({ id: after.id, status: 'applied' });
			const answer = results[1]!;
			expect(['invalid', 'rejected'], label).toContain(answer.status);
			const why = answer.status === 'rejected' ? answer.reason : answer.error?.message;
			expect(why, label).toMatch(/\w/);
			const code = answer.status === 'rejected' ? 'rejected' : answer.error!.code;
			// never the server's own failure
			expect(code, label).not.toMatch(/^XX|^58|^42883$|^42P01$/);
			codes.set(code, (codes.get(code) ?? 0) + 1);
		}
		const [profile] = await admin`select full_name from public.profiles where id = ${me.id}`;
		expect(profile!.full_name).toBe(`After ${n}`);
		console.log(
			`sync_push fuzz: ${cases.length} cases · ${[...codes]
				.sort(([, a], [, b]) => b - a)
				.map(([c, k]) => `${c} ×${k}`)
				.join(', ')}`
		);
		expect(cases.length).toBeGreaterThan(150);
	});

	it('a retry of a malformed mutation gets the same answer; a push over 1 MB is refused whole', async () => {
		const me = await createUser(admin, 'fuzz-retry');
		const bad = { id: crypto.randomUUID(), seq: 'one', name: 'profile.update', args: {} };
		const push = (mutations: unknown[]) =>
			as(api, user(me.id), async (tx) => {
				const [row] =
					await tx`select public.sync_push(${device}, ${tx.json(mutations as never)}) as r`;
				return (row!.r as { results: Result[] }).results;
			});
		const first = await push([bad]);
		expect(first).toEqual([
			expect.objectContaining({
				id: bad.id,
				status: 'invalid',
				error: expect.objectContaining({ message: 'Mutation 1 needs seq, a whole number from 0' })
			})
		]);
		expect((await push([bad]))[0]).toEqual(first[0]);

		const big = Array.from({ length: 20 }, () =>
			mutation('profile.update', { full_name: 'y'.repeat(60_000) })
		);
		await expect(push(big)).rejects.toMatchObject({
			code: '54000',
			message: expect.stringMatching(/^This push is too large \(\d+ KB; at most 1,024 KB\)$/)
		});
		const [ledger] =
			await admin`select count(*)::int as n from public.sync_mutations where user_id = ${me.id}`;
		expect(ledger!.n).toBe(1);
	});
});
