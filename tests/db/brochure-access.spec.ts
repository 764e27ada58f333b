import { afterAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Change = { entity: string; id: string; row: Record<string, unknown> | null };
async function pullAll(actor: Parameters<typeof as>[1]) {
	const changes: Change[] = [];
	let cursor = '';
	for (;;) {
		const page = await as(api, actor, async (tx) => {
			const [row] = await tx`select public.sync_pull(${cursor}, 100) as page`;
			return row!.page as { changes: Change[]; cursor: string; more: boolean };
		});
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.more) return { changes, cursor };
	}
}

describe('anon', () => {
	it('pulls every published course and no draft', async () => {
		const published = await admin`select id from public.courses where status = 'published'`;
		const drafts = await admin`select id from public.courses where status = 'draft'`;
		const { changes } = await pullAll(anon);
		const courses = changes.filter((c) => c.entity === 'course' && c.row);
		expect(courses.map((c) => c.id).sort()).toEqual(published.map((r) => r.id).sort());
		expect(drafts.length).toBeGreaterThan(0);
		for (const draft of drafts) {
			expect(changes.find((c) => c.id === draft.id)?.row ?? null).toBeNull();
		}
	});

	it('gets outcomes and sessions of published courses, without joining links', async () => {
		const { changes } = await pullAll(anon);
		const sessions = changes.filter((c) => c.entity === 'session' && c.row);
		expect(sessions.length).toBeGreaterThanOrEqual(56);
		expect(sessions.every((s) => !('join_url' in s.row!))).toBe(true);
		const outcomes = changes.filter((c) => c.entity === 'learning_outcome' && c.row);
		expect(outcomes.length).toBeGreaterThanOrEqual(51 * 3);
	});

	it('sees no profiles, directly or through a pull', async () => {
		const { changes } = await pullAll(anon);
		expect(changes.filter((c) => c.entity === 'profile')).toEqual([]);
		await expect(as(api, anon, (tx) => tx`select * from public.profiles`)).rejects.toMatchObject({
			code: '42501'
		});
	});

	it('reads only published courses even with a direct query', async () => {
		const rows = await as(api, anon, (tx) => tx`select distinct status from public.courses`);
		expect(rows.map((r) => r.status)).toEqual(['published']);
	});
});

describe('the pull cursor', () => {
	it('concurrent transactions committing out of order — a client pulling in between still receives every row', async () => {
		const { cursor: start } = await pullAll(anon);
		const slow = superuser();
		const fast = superuser();
		let releaseSlow = () => {};
		try {
			// the older transaction writes first but commits last
			const slowCanCommit = new Promise<void>((r) => (releaseSlow = r));
			let slowWrote!: () => void;
			const slowHasWritten = new Promise<void>((r) => (slowWrote = r));
			const slowTx = slow.begin(async (tx) => {
				await tx`update public.agencies set name = name || ' (slow)' where name = 'Youth Offending Team'`;
				slowWrote();
				await slowCanCommit;
			});
			await slowHasWritten;
			await fast`update public.agencies set name = name || ' (fast)' where name = 'Probation Service'`;

			const whileSlowRuns = await pullAll(anon);
			const names = whileSlowRuns.changes.map((c) => c.row?.name);
			// the later commit is held back until the older transaction has finished
			expect(names).not.toContain('Probation Service (fast)');

			releaseSlow();
			await slowTx;
			const after = await pullAllFrom(whileSlowRuns.cursor);
			expect(after.map((c) => c.row?.name).sort()).toEqual([
				'Probation Service (fast)',
				'Youth Offending Team (slow)'
			]);
			expect(start).not.toBe('');
		} finally {
			releaseSlow();
			await admin`update public.agencies set name = replace(replace(name, ' (slow)', ''), ' (fast)', '')`;
			await Promise.all([slow.end(), fast.end()]);
		}
	});

	it('sends a tombstone for a course that is unpublished, with its outcomes and sessions', async () => {
		const { cursor } = await pullAll(anon);
		const [course] = await admin`
			update public.courses set status = 'draft'
			where slug = 'prevent-and-radicalisation' returning id`;
		try {
			const changes = await pullAllFrom(cursor);
			const touched = await admin`
				select id from public.learning_outcomes where course_id = ${course!.id}
				union all select id from public.sessions where course_id = ${course!.id}`;
			expect(changes.find((c) => c.id === course!.id)).toMatchObject({
				entity: 'course',
				row: null
			});
			for (const { id } of touched) {
				expect(changes.find((c) => c.id === id)?.row).toBeNull();
			}
		} finally {
			await admin`update public.courses set status = 'published' where id = ${course!.id}`;
		}
	});

	it('refuses a malformed cursor and an out-of-range limit', async () => {
		await expect(
			as(api, anon, (tx) => tx`select public.sync_pull('drop table x', 10)`)
		).rejects.toMatchObject({ code: '22023' });
		await expect(as(api, anon, (tx) => tx`select public.sync_pull('', 0)`)).rejects.toMatchObject({
			code: '22023'
		});
	});
});

describe('a signed-in practitioner', () => {
	it('pulls their own profile and nobody else’s', async () => {
		const a = await createUser(admin, 'pull.a');
		const b = await createUser(admin, 'pull.b');
		const { changes } = await pullAll(user(a.id));
		const profiles = changes.filter((c) => c.entity === 'profile');
		expect(profiles.map((p) => p.id)).toEqual([a.id]);
		expect(changes.some((c) => c.id === b.id)).toBe(false);
	});
});

async function pullAllFrom(cursor: string) {
	const page = await as(api, anon, async (tx) => {
		const [row] = await tx`select public.sync_pull(${cursor}, 5000) as page`;
		return row!.page as { changes: Change[] };
	});
	return page.changes;
}

describe('the seed', () => {
	it('publishes 15 brochure courses and 36 Webinar Wednesday webinars, keeps 3 drafts and archives the demo year’s 40 webinars', async () => {
		const rows = await admin`
			select status, count(*) filter (where series = 'webinar-wednesdays')::int as webinars, count(*)::int as n
			from public.courses where slug !~ '^(test-|ww-[0-9]{4}-)' group by status order by status`;
		expect(rows.map((r) => ({ ...r }))).toEqual([
			{ status: 'draft', webinars: 0, n: 3 },
			{ status: 'published', webinars: 36, n: 51 },
			{ status: 'archived', webinars: 40, n: 40 }
		]);
	});
});
