import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

async function newAdmin() {
	const person = await createUser(admin, 'admin');
	await admin`insert into public.staff_roles (user_id, role) values (${person.id}, 'admin')`;
	return person.id;
}

function call<T>(
	userId: string,
	query: (tx: Parameters<Parameters<typeof as>[2]>[0]) => Promise<T>
) {
	return as(api, user(userId), query);
}

const course = (over: Record<string, unknown> = {}) => ({
	title: 'Test child criminal exploitation: county lines',
	summary: 'How county lines exploit children and what to do about it.',
	audience: 'Practitioners working with adolescents',
	level: 'intermediate',
	format: 'face_to_face',
	duration_minutes: 360,
	themes: ['Missing and child exploitation'],
	...over
});

function nextWednesday(weeksAhead = 20) {
	const d = new Date();
	d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeksAhead);
	return d.toISOString().slice(0, 10);
}

describe('admin API', () => {
	it('is refused to practitioners and trainers', async () => {
		const practitioner = await createUser(admin, 'not.admin');
		await expect(
			call(
				practitioner.id,
				(tx) => tx`select public.admin_save_course(${tx.json(course() as never)})`
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('creates a draft course, refuses to publish it without outcomes, then publishes it', async () => {
		const me = await newAdmin();
		const saved = await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_save_course(${tx.json(course({ title: `Test county lines ${crypto.randomUUID().slice(0, 6)}` }) as never)}) as c`;
			return row!.c as { id: string; status: string; slug: string };
		});
		expect(saved.status).toBe('draft');
		await expect(
			call(me, (tx) => tx`select public.admin_set_course_status(${saved.id}, 'published')`)
		).rejects.toMatchObject({ message: 'Add at least one learning outcome before publishing' });
		await call(
			me,
			(tx) =>
				tx`select public.admin_save_outcomes(${saved.id}, ${tx.json([{ text: 'Recognise the signs of county lines' }] as never)})`
		);
		await call(me, (tx) => tx`select public.admin_set_course_status(${saved.id}, 'published')`);
		const anonSees = await admin`select status from public.courses where id = ${saved.id}`;
		expect(anonSees[0]?.status).toBe('published');
	});

	it.each([
		[
			'a title of 10,000 characters',
			{ title: 'x'.repeat(10_000) },
			'22001',
			'Title must be 200 characters or fewer (it has 10000)'
		],
		['no themes', { themes: [] }, '22023', 'Choose at least one theme'],
		[
			'a duration of zero',
			{ duration_minutes: 0 },
			'22023',
			'Duration must be between 15 minutes and 2 days'
		],
		...[0, 11, 2.5, 'three', -1].map((renew): [string, Record<string, unknown>, string, string] => [
			`renewal every ${renew} years`,
			{ renew_years: renew },
			'22023',
			'Renewal must be every 1 to 10 years, or left empty'
		])
	] as [string, Record<string, unknown>, string, string][])(
		'refuses a course with %s, saying why',
		async (_, over, code, message) => {
			const me = await newAdmin();
			await expect(
				call(me, (tx) => tx`select public.admin_save_course(${tx.json(course(over) as never)})`)
			).rejects.toMatchObject({ code, message });
		}
	);

	it('keeps how often a course is renewed, or that it need not be', async () => {
		const me = await newAdmin();
		const title = `Test renewal ${crypto.randomUUID().slice(0, 6)}`;
		const save = (over: Record<string, unknown>) =>
			call(me, async (tx) => {
				const [row] =
					await tx`select public.admin_save_course(${tx.json(course({ title, ...over }) as never)}) as c`;
				return row!.c as { id: string; renew_years: number | null };
			});
		const first = await save({ renew_years: 3 });
		expect(first.renew_years).toBe(3);
		expect((await save({ id: first.id, renew_years: '10' })).renew_years).toBe(10);
		expect((await save({ id: first.id, renew_years: '' })).renew_years).toBeNull();
		expect((await save({ id: first.id })).renew_years).toBeNull();
	});

	it('keeps HTML in a description as text (the app renders it as text, never as markup)', async () => {
		const me = await newAdmin();
		const html = '<img src=x onerror="alert(1)"><b>bold</b>';
		const saved = await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_save_course(${tx.json(course({ title: `Test html ${crypto.randomUUID().slice(0, 6)}`, description: html }) as never)}) as c`;
			return row!.c as { description: string };
		});
		expect(saved.description).toBe(html);
	});

	it.each([
		[
			'an end before the start',
			{ ends_at: '2027-03-01T09:00:00Z' },
			'The end must be after the start'
		],
		['a negative capacity', { capacity: -5 }, 'Capacity must be at least 1'],
		[
			'an online session without a joining link',
			{ venue_name: '', join_url: '' },
			'Enter a venue, or a joining link for an online session'
		]
	])('refuses a session with %s', async (_, over, message) => {
		const me = await newAdmin();
		const [c] = await admin`select id from public.courses where status = 'published' limit 1`;
		const session = {
			course_id: c!.id,
			starts_at: '2027-03-01T10:00:00Z',
			ends_at: '2027-03-01T16:00:00Z',
			venue_name: 'Winchester Discovery Centre',
			capacity: 20,
			...over
		};
		await expect(
			call(me, (tx) => tx`select public.admin_save_session(${tx.json(session as never)})`)
		).rejects.toMatchObject({ code: '22023', message });
	});

	it('creates a Webinar Wednesday: three published webinars that anon can pull', async () => {
		const me = await newAdmin();
		const date = nextWednesday();
		const webinars = [1, 2, 3].map((i) => ({
			title: `Online safety part ${i}`,
			summary: `Part ${i} of the online safety theme day.`,
			outcomes: [`Outcome ${i}.1 of online safety`, `Outcome ${i}.2 of online safety`],
			starts: ['09:30', '12:30', '15:00'][i - 1],
			join_url: `https://teams.example/join/online-safety-${i}`
		}));
		const created = await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_create_webinar_wednesday(${date}, 'Online safety', 100, ${tx.json(webinars as never)}) as c`;
			return row!.c as { id: string }[];
		});
		expect(created).toHaveLength(3);
		const sessions = await admin`
			select to_char(s.starts_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as at, c.status, c.series
			from public.sessions s join public.courses c on c.id = s.course_id
			where c.id in ${admin(created.map((c) => c.id))} order by s.starts_at`;
		expect(sessions.map((s) => ({ ...s }))).toEqual(
			['09:30', '12:30', '15:00'].map((t) => ({
				at: `${date} ${t}`,
				status: 'published',
				series: 'webinar-wednesdays'
			}))
		);
	});

	it('refuses a Webinar Wednesday that is not on a Wednesday', async () => {
		const me = await newAdmin();
		const thursday = new Date(`${nextWednesday()}T12:00:00Z`);
		thursday.setUTCDate(thursday.getUTCDate() + 1);
		await expect(
			call(
				me,
				(tx) =>
					tx`select public.admin_create_webinar_wednesday(${thursday.toISOString().slice(0, 10)}, 'Theme', 100, '[]'::jsonb)`
			)
		).rejects.toMatchObject({ code: '22023', message: expect.stringMatching(/is a Thursday$/) });
	});

	it('cancelling a session closes every booking and tells each person why', async () => {
		const me = await newAdmin();
		const [session] = await admin`
			select s.id from public.sessions s join public.courses c on c.id = s.course_id
			where c.slug = 'prevent-and-radicalisation' and s.status = 'scheduled' and s.starts_at > now()
			order by s.starts_at limit 1`;
		const people = [await createUser(admin, 'told.1'), await createUser(admin, 'told.2')];
		for (const p of people) {
			await as(
				api,
				user(p.id),
				(tx) => tx`select public.book_session(${crypto.randomUUID()}, ${session!.id})`
			);
		}
		const told = await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_cancel_session(${session!.id}, 'The trainer is ill') as n`;
			return row!.n as number;
		});
		expect(told).toBe(2);
		const emails = await admin`
			select body from public.notifications where kind = 'session_cancelled' and user_id in ${admin(people.map((p) => p.id))}`;
		expect(emails).toHaveLength(2);
		expect(emails[0]!.body).toContain('Reason: The trainer is ill');
		const open =
			await admin`select count(*)::int as n from public.bookings where session_id = ${session!.id} and status <> 'cancelled'`;
		expect(open[0]?.n).toBe(0);
	});

	it('an evaluated learning outcome is retired, not edited', async () => {
		const me = await newAdmin();
		const saved = await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_save_course(${tx.json(course({ title: `Test retire ${crypto.randomUUID().slice(0, 6)}` }) as never)}) as c`;
			return row!.c as { id: string };
		});
		const [outcome] = (await call(me, async (tx) => {
			const [row] =
				await tx`select public.admin_save_outcomes(${saved.id}, ${tx.json([{ text: 'Original wording of the outcome' }] as never)}) as o`;
			return row!.o as { id: string }[];
		})) as { id: string }[];
		// someone has rated it
		const [s] =
			await admin`insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at)
			values (${saved.id}, now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'Hall', 10, now() - interval '3 days') returning id`;
		const [e] =
			await admin`insert into public.evaluations (id, session_id, entered_by, from_paper, overall, practice_change)
			values (gen_random_uuid(), ${s!.id}, ${me}, true, 4, 'Will use it') returning id`;
		await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after) values (${e!.id}, ${outcome!.id}, 2, 4)`;

		await call(
			me,
			(tx) =>
				tx`select public.admin_save_outcomes(${saved.id}, ${tx.json([{ id: outcome!.id, text: 'New wording of the outcome' }] as never)})`
		);
		const rows =
			await admin`select text, retired_at is not null as retired from public.learning_outcomes where course_id = ${saved.id} order by created_at`;
		expect(rows.map((r) => ({ ...r }))).toEqual([
			{ text: 'Original wording of the outcome', retired: true },
			{ text: 'New wording of the outcome', retired: false }
		]);
	});
});

describe('changing a session', () => {
	it('changes only what is given, keeps the joining link, and fills new places from the queue', async () => {
		const me = await newAdmin();
		const [c] = await admin`select id from public.courses where slug = 'ww-met-1'`;
		const created = await call(me, async (tx) => {
			const [row] = await tx`select public.admin_save_session(${tx.json({
				course_id: c!.id,
				starts_at: '2027-05-05T08:30:00Z',
				ends_at: '2027-05-05T09:30:00Z',
				join_url: 'https://teams.example/join/keep-me',
				capacity: 1,
				waitlist_mode: 'auto'
			} as never)}) as s`;
			return row!.s as { id: string };
		});
		const [a, b] = [await createUser(admin, 'cap.a'), await createUser(admin, 'cap.b')];
		for (const p of [a, b]) {
			await as(
				api,
				user(p.id),
				(tx) => tx`select public.book_session(${crypto.randomUUID()}, ${created.id})`
			);
		}
		await expect(
			call(
				me,
				(tx) =>
					tx`select public.admin_save_session(${tx.json({ id: created.id, capacity: 0 } as never)})`
			)
		).rejects.toMatchObject({ message: 'Capacity must be at least 1' });
		await call(
			me,
			(tx) =>
				tx`select public.admin_save_session(${tx.json({ id: created.id, capacity: 2 } as never)})`
		);
		const [row] =
			await admin`select join_url, capacity from public.sessions where id = ${created.id}`;
		expect(row).toEqual({ join_url: 'https://teams.example/join/keep-me', capacity: 2 });
		const statuses =
			await admin`select status from public.bookings where session_id = ${created.id}`;
		expect(statuses.map((s) => s.status)).toEqual(['confirmed', 'confirmed']);
	});
});
