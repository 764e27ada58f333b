import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anon, authenticator, createUser, superuser, user, type Actor, type Sql } from './helpers';
import { declaredPrivileges } from '../../supabase/api-privileges.js';

/**
 * The security matrix, generated from the schema: every table and every function in
 * `public` is read from the catalogue, so a new one cannot be forgotten — the test fails
 * until it is classified below. Each table is tried by seven actors (anon, a practitioner,
 * another practitioner, the session's trainer, another trainer, an agency lead, an admin)
 * for reading, updating and deleting one practitioner's rows; each function's EXECUTE grants
 * are checked, and every function an API role may not run is called as that role.
 */

type ActorName = 'anon' | 'practitioner' | 'other' | 'trainer' | 'otherTrainer' | 'lead' | 'admin';
const ACTORS: ActorName[] = [
	'anon',
	'practitioner',
	'other',
	'trainer',
	'otherTrainer',
	'lead',
	'admin'
];

/**
 * How each table is protected. `rows` picks the rows that belong to the fixture's
 * practitioner (or their session); `readers` are the actors who may see them. Nobody changes
 * a row directly: every write goes through a function. Reference tables are readable by
 * everyone; internal ones by no API role.
 */
type Rule =
	| { kind: 'reference' }
	| { kind: 'internal'; rows: string }
	| { kind: 'personal'; rows: string; readers: ActorName[] };

const RULES: Record<string, Rule> = {
	agencies: { kind: 'reference' },
	courses: { kind: 'reference' },
	learning_outcomes: { kind: 'reference' },
	sessions: { kind: 'reference' },
	profiles: { kind: 'personal', rows: 'id = :practitioner', readers: ['practitioner', 'admin'] },
	staff_roles: { kind: 'personal', rows: 'user_id = :trainer', readers: ['trainer', 'admin'] },
	session_trainers: {
		kind: 'personal',
		rows: 'trainer_id = :trainer',
		readers: ['trainer', 'admin']
	},
	bookings: {
		kind: 'personal',
		rows: 'user_id = :practitioner',
		readers: ['practitioner', 'trainer', 'admin']
	},
	walk_in_attendees: { kind: 'internal', rows: 'session_id = :session' },
	attendance_events: { kind: 'internal', rows: 'session_id = :session' },
	register_closures: { kind: 'internal', rows: 'session_id = :session' },
	evaluations: {
		kind: 'personal',
		rows: 'user_id = :practitioner',
		readers: ['practitioner', 'admin']
	},
	evaluation_ratings: {
		kind: 'personal',
		rows: 'evaluation_id = :evaluation',
		readers: ['practitioner', 'admin']
	},
	followups: {
		kind: 'personal',
		rows: 'user_id = :practitioner',
		readers: ['practitioner', 'admin']
	},
	followup_ratings: {
		kind: 'personal',
		rows: 'followup_id = :followup',
		readers: ['practitioner', 'admin']
	},
	evaluation_requests: { kind: 'internal', rows: 'user_id = :practitioner' },
	notifications: { kind: 'internal', rows: 'user_id = :practitioner' },
	sync_mutations: { kind: 'internal', rows: 'user_id = :practitioner' },
	sync_ledger_pruned: { kind: 'internal', rows: 'user_id = :practitioner' },
	sync_mutation_handlers: { kind: 'internal', rows: "name = 'profile.update'" },
	sync_entities: { kind: 'reference' },
	scheduled_jobs: { kind: 'internal', rows: "name = 'retention'" },
	app_settings: { kind: 'internal', rows: 'id' },
	change_log: {
		kind: 'personal',
		rows: "audience = 'user:' || :practitioner",
		readers: ['practitioner']
	},
	session_checkin_keys: { kind: 'internal', rows: 'session_id = :session' },
	checkin_failures: { kind: 'internal', rows: 'user_id = :practitioner' },
	offline_checkins: { kind: 'internal', rows: 'user_id = :practitioner' },
	booking_answers: { kind: 'internal', rows: 'user_id = :practitioner' },
	staff_role_changes: { kind: 'internal', rows: 'user_id = :trainer' },
	impact_facts: { kind: 'internal', rows: 'person = :practitioner' },
	impact_session_ratings: { kind: 'internal', rows: 'session_id = :session' },
	impact_session_followup_ratings: { kind: 'internal', rows: 'session_id = :session' },
	impact_place_counts: { kind: 'internal', rows: 'session_id = :session' },
	impact_session_changes: { kind: 'internal', rows: 'session_id = :session' },
	retention_policy: { kind: 'internal', rows: 'id' }
};

/** Functions the API roles may call, from the one allow-list; every other function is server-only. */
const CALLABLE: Record<string, ('anon' | 'authenticated')[]> = {};
for (const line of await declaredPrivileges()) {
	const [role, privilege, kind, object] = line.split(' ') as [
		'anon' | 'authenticated',
		string,
		string,
		string
	];
	if (privilege !== 'EXECUTE' || kind !== 'function') continue;
	const name = object.slice(0, object.indexOf('('));
	(CALLABLE[name] ??= []).push(role);
}

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const ids = {} as Record<string, string>;
const actors = {} as Record<ActorName, Actor>;

beforeAll(async () => {
	const tag = crypto.randomUUID().slice(0, 8);
	const [agency] = await admin`select id from public.agencies order by name limit 1`;
	const [course] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${`test-matrix-${tag}`}, ${`Matrix ${tag}`}, 'Security matrix course', 'Testers', 'introductory', 'face_to_face', 60,
			array['Matrix'], 'published', now())
		returning id`;
	const [outcome] = await admin`insert into public.learning_outcomes (course_id, position, text)
		values (${course!.id}, 1, 'Outcome') returning id`;
	const [session] = await admin`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at, join_url)
		values (${course!.id}, now() - interval '2 hours', now() - interval '1 hour', 'Hall', 10, 'offer', now() - interval '1 day',
			'https://meet.example/matrix')
		returning id`;
	ids.session = session!.id;
	const people: [ActorName, string][] = [
		['practitioner', 'matrix-practitioner'],
		['other', 'matrix-other'],
		['trainer', 'matrix-trainer'],
		['otherTrainer', 'matrix-other-trainer'],
		['lead', 'matrix-lead'],
		['admin', 'matrix-admin']
	];
	for (const [name, label] of people) {
		const u = await createUser(admin, label);
		ids[name] = u.id;
		actors[name] = user(u.id);
	}
	actors.anon = anon;
	await admin`update public.profiles set agency_id = ${agency!.id} where id = ${ids.practitioner!}`;
	await admin`insert into public.staff_roles (user_id, role) values
		(${ids.trainer!}, 'trainer'), (${ids.otherTrainer!}, 'trainer'), (${ids.admin!}, 'admin')`;
	await admin`insert into public.staff_roles (user_id, role, agency_id) values (${ids.lead!}, 'agency_lead', ${agency!.id})`;
	await admin`insert into public.session_trainers (session_id, trainer_id) values (${ids.session!}, ${ids.trainer!})`;
	const [booking] = await admin`insert into public.bookings (session_id, user_id, status)
		values (${ids.session!}, ${ids.practitioner!}, 'confirmed') returning id`;
	await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${ids.session!}, ${booking!.id}, 'present', ${ids.trainer!}, now() - interval '110 minutes', 'register')`;
	await admin`insert into public.walk_in_attendees (session_id, full_name, added_by)
		values (${ids.session!}, 'Walk In', ${ids.trainer!})`;
	await admin`insert into public.register_closures (session_id, closed_by) values (${ids.session!}, ${ids.trainer!})`;
	await admin`insert into public.session_checkin_keys (session_id) values (${ids.session!}) on conflict do nothing`;
	await admin`insert into public.checkin_failures (user_id, session_id) values (${ids.practitioner!}, ${ids.session!})`;
	await admin`insert into public.staff_role_changes (user_id, role, change, changed_by)
		values (${ids.trainer!}, 'trainer', 'granted', ${ids.admin!})`;
	await admin`insert into public.booking_answers (booking_id, session_id, user_id, answers)
		values (${booking!.id}, ${ids.session!}, ${ids.practitioner!}, '[{"question": "Access needs?", "answer": "Step-free access"}]')`;
	await admin`insert into public.offline_checkins (id, session_id, user_id, booking_id, status, shown_at)
		values (gen_random_uuid(), ${ids.session!}, ${ids.practitioner!}, ${booking!.id}, 'present', now() - interval '100 minutes')`;
	await admin`insert into public.evaluation_requests (session_id, user_id) values (${ids.session!}, ${ids.practitioner!})
		on conflict do nothing`;
	const [evaluation] =
		await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${ids.session!}, ${ids.practitioner!}, 4, 'Matrix') returning id`;
	ids.evaluation = evaluation!.id;
	await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
		values (${ids.evaluation!}, ${outcome!.id}, 2, 4)`;
	const [followup] =
		await admin`insert into public.followups (id, session_id, user_id, requested_at)
		values (gen_random_uuid(), ${ids.session!}, ${ids.practitioner!}, now()) returning id`;
	ids.followup = followup!.id;
	await admin`insert into public.followup_ratings (followup_id, outcome_id, now_rating) values (${ids.followup!}, ${outcome!.id}, 4)`;
	await admin`insert into public.notifications (user_id, to_email, kind, subject, body)
		values (${ids.practitioner!}, 'matrix@db.hscp.example', 'matrix', 'Matrix', 'Matrix')`;
	await admin`insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
		values (gen_random_uuid(), ${ids.practitioner!}, gen_random_uuid(), 1, 'profile.update', '{"ok":true}')`;
	await admin`insert into public.sync_ledger_pruned (user_id, device_id, pruned_through_seq, pruned_at)
		values (${ids.practitioner!}, gen_random_uuid(), 1, now())`;
	await admin`select public.track_change('profile', ${ids.practitioner!}::uuid, array['user:' || ${ids.practitioner!}])`;
});

/** `:name` in a rule's row filter → the fixture's id, as a literal. */
const where = (rows: string) =>
	rows.replace(/:(\w+)/g, (_, name: string) => {
		const id = ids[name];
		if (!id) throw new Error(`no fixture id ${name}`);
		return `'${id}'::uuid`;
	});

/** Runs `work` as the actor and rolls everything back. Returns the result or the error. */
type Outcome = { count: number } | { error: { code?: string; message: string } };
const codeOf = (o: Outcome) => ('error' in o ? o.error.code : undefined);

async function attempt(actor: Actor, work: (tx: Sql) => Promise<{ count: number }>) {
	const rollback = new Error('rollback');
	let outcome: Outcome = { count: 0 };
	await api
		.begin(async (tx) => {
			await tx.unsafe(`set local role ${actor.role}`);
			const claims =
				actor.role === 'anon' ? { role: 'anon' } : { role: 'authenticated', sub: actor.userId };
			await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
			try {
				outcome = await work(tx as unknown as Sql);
			} catch (e) {
				outcome = { error: e as { code?: string; message: string } };
			}
			throw rollback;
		})
		.catch((e) => {
			if (e !== rollback) throw e;
		});
	return outcome as Outcome;
}

const visible = (o: { count: number } | { error: { code?: string } }) =>
	'count' in o ? o.count : 0;
const refusedOrNone = (o: { count: number } | { error: { code?: string } }) =>
	'error' in o ? o.error.code === '42501' : o.count === 0;

let checks = 0;

describe('the security matrix (generated from the schema)', () => {
	it('every table in public is classified, has row security, and no API role may insert', async () => {
		const tables = await admin<{ name: string; rls: boolean }[]>`
			select c.relname as name, c.relrowsecurity as rls from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
		expect(tables.length).toBeGreaterThan(20);
		expect(
			tables.map((t) => t.name).filter((t) => !RULES[t]),
			'classify new tables in RULES'
		).toEqual([]);
		expect(Object.keys(RULES).filter((t) => !tables.some((x) => x.name === t))).toEqual([]);
		for (const t of tables) {
			expect(t.rls, `${t.name} has row level security`).toBe(true);
			checks++;
			for (const role of ['anon', 'authenticated']) {
				const [p] =
					await admin`select has_table_privilege(${role}, ${'public.' + t.name}, 'INSERT') as insert`;
				expect(p!.insert, `${role} insert on ${t.name}`).toBe(false);
				checks++;
			}
		}
	});

	it('each actor reads, updates and deletes only what the rules allow', async () => {
		for (const [table, rule] of Object.entries(RULES)) {
			const [columns] = await admin<{ name: string }[]>`
				select a.attname as name from pg_attribute a
				where a.attrelid = ${'public.' + table}::regclass and a.attnum > 0 and not a.attisdropped
				order by (has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE')) desc, a.attnum limit 1`;
			const column = columns!.name;
			const filter = rule.kind === 'reference' ? 'true' : where(rule.rows);
			const [present] = await admin.unsafe(
				`select count(*)::int as n from public.${table} where ${filter}`
			);
			expect(present!.n, `the fixture has rows in ${table}`).toBeGreaterThan(0);
			for (const name of ACTORS) {
				const actor = actors[name];
				const read = await attempt(actor, async (tx) => {
					const [r] = await tx.unsafe(
						`select count(*)::int as n from public.${table} where ${filter}`
					);
					return { count: r!.n as number };
				});
				const mayRead =
					rule.kind === 'reference' || (rule.kind === 'personal' && rule.readers.includes(name));
				expect(visible(read) > 0, `${name} reads ${table}`).toBe(mayRead);
				checks++;
				if (rule.kind === 'reference') continue;
				const update = await attempt(actor, (tx) =>
					tx
						.unsafe(`update public.${table} set ${column} = ${column} where ${filter}`)
						.then((r) => ({ count: r.count }))
				);
				expect(refusedOrNone(update), `${name} updates ${table}: ${JSON.stringify(update)}`).toBe(
					true
				);
				checks++;
				const del = await attempt(actor, (tx) =>
					tx.unsafe(`delete from public.${table} where ${filter}`)
				);
				expect(refusedOrNone(del), `${name} deletes from ${table}: ${JSON.stringify(del)}`).toBe(
					true
				);
				checks++;
			}
			// and the rows are all still there
			const [after] = await admin.unsafe(
				`select count(*)::int as n from public.${table} where ${filter}`
			);
			expect(after!.n).toBe(present!.n);
		}
		// writing a ledger entry, even in one's own name, is refused: only sync_push writes it
		for (const writer of ['practitioner', 'other'] as const) {
			const forged = await attempt(actors[writer], (tx) =>
				tx`insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
					values (gen_random_uuid(), ${ids.practitioner!}, gen_random_uuid(), 1, 'profile.update', '{}')`.then(
					(r) => ({ count: r.count })
				)
			);
			expect(codeOf(forged), `${writer} writes a ledger entry`).toBe('42501');
			checks++;
		}
	});

	it('every function is classified: API roles run only the listed ones, the rest refuse them', async () => {
		const functions = await admin<
			{
				name: string;
				args: number;
				anon: boolean;
				authenticated: boolean;
				definer: boolean;
				config: string[] | null;
			}[]
		>`
			select p.proname as name, p.pronargs::int as args, p.prosecdef as definer, p.proconfig as config,
				has_function_privilege('anon', p.oid, 'EXECUTE') as anon,
				has_function_privilege('authenticated', p.oid, 'EXECUTE') as authenticated
			from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			where n.nspname = 'public' and p.prokind = 'f' order by 1`;
		expect(functions.length).toBeGreaterThan(60);
		for (const f of functions) {
			const allowed = CALLABLE[f.name] ?? [];
			expect(f.anon, `anon may run ${f.name}`).toBe(allowed.includes('anon'));
			expect(f.authenticated, `authenticated may run ${f.name}`).toBe(
				allowed.includes('authenticated')
			);
			checks += 2;
			if (f.definer) {
				// a function that runs as its owner never trusts the caller's search_path
				expect(f.config ?? [], `${f.name} sets search_path`).toContainEqual(
					expect.stringMatching(/^search_path=/)
				);
				checks++;
			}
			if (f.args > 20) continue;
			const nulls = Array.from({ length: f.args }, () => 'null').join(', ');
			for (const role of ['anon', 'authenticated'] as const) {
				if (allowed.includes(role)) continue;
				const actor = role === 'anon' ? actors.anon : actors.practitioner;
				const call = await attempt(actor, async (tx) => {
					await tx.unsafe(`select public.${f.name}(${nulls})`);
					return { count: 1 };
				});
				expect(codeOf(call), `${role} calling ${f.name}`).toBe('42501');
				checks++;
			}
		}
		expect(Object.keys(CALLABLE).filter((name) => !functions.some((f) => f.name === name))).toEqual(
			[]
		);
	});

	it('reports the number of checks', () => {
		// printed for the closing note and BENCHMARKS-style records: `npm run test:db`
		console.log(`security matrix: ${checks} checks`);
		expect(checks).toBeGreaterThan(400);
	});
});
