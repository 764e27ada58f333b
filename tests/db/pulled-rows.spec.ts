import { afterAll, describe, expect, it } from 'vitest';
import { checkPulledRow, PULLED_ROWS } from '$lib/data';
import { anon, as, authenticator, superuser, user, type Actor } from './helpers';

// Every row sync_pull gives the demo's people passes the checks the app makes before it
// stores a row (src/lib/data/rows.ts): the checks and the SQL describe the same rows.

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Change = { entity: string; id: string; row: Record<string, unknown> | null };
async function pullAll(actor: Actor) {
	const changes: Change[] = [];
	let cursor = '';
	for (;;) {
		const page = await as(api, actor, async (tx) => {
			const [row] = await tx`select public.sync_pull(${cursor}, 5000) as page`;
			return row!.page as { changes: Change[]; cursor: string; more: boolean };
		});
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.more) return changes;
	}
}

async function idOf(where: string) {
	const [row] = await admin.unsafe(`select p.id from public.profiles p where ${where} limit 1`);
	return row!.id as string;
}

describe('rows sync_pull delivers', () => {
	it('pass the app’s checks for anon, a practitioner, a trainer, an admin and a walk-in', async () => {
		const practitioner = await idOf(`exists (select 1 from public.followups f
			where f.user_id = p.id and f.submitted_at is not null)
			and exists (select 1 from public.evaluations e where e.user_id = p.id)`);
		const trainer = await idOf(
			`exists (select 1 from public.session_trainers t where t.trainer_id = p.id)`
		);
		const partnershipAdmin = await idOf(`p.email = 'admin@demo.hscp.example'`);
		// a walk-in recorded with the email of someone's account: their place arrives as walk_in_place
		const walkIn = await idOf(`p.email like '%@demo.hscp.example' and p.id not in
			(select user_id from public.staff_roles)`);
		const [session] = await admin`select id from public.sessions order by starts_at limit 1`;
		const [added] =
			await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
			select ${session!.id}, 'Walk In', email, ${trainer} from public.profiles where id = ${walkIn}
			returning id`;

		try {
			await expectChecked([
				anon,
				user(practitioner),
				user(trainer),
				user(partnershipAdmin),
				user(walkIn)
			]);
		} finally {
			await admin`delete from public.walk_in_attendees where id = ${added!.id}`;
		}
	});
});

async function expectChecked(actors: Actor[]) {
	const seen = new Set<string>();
	for (const actor of actors) {
		const problems: string[] = [];
		for (const change of await pullAll(actor)) {
			if (!change.row) continue;
			seen.add(change.entity);
			const problem = checkPulledRow(change.entity, change.row);
			if (problem) problems.push(problem);
		}
		expect(problems.slice(0, 5), JSON.stringify(actor)).toEqual([]);
	}
	// every check was tried on at least one real row
	expect([...seen].filter((e) => e in PULLED_ROWS).sort()).toEqual(Object.keys(PULLED_ROWS).sort());
}
