import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user, type Actor } from './helpers';

/**
 * What hosted PostgREST would hand out beyond the RPCs, tried as PostgREST does it: the
 * authenticator connection, `set local role`, the JWT claims. A table endpoint is a plain
 * `select` on the table as that role.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const JOIN_URL = `https://teams.example/join/exposure-${crypto.randomUUID()}`;
const ids = {} as Record<
	'published' | 'draft' | 'booker' | 'waiting' | 'other' | 'trainer' | 'admin',
	string
>;
const bookings = {} as Record<'confirmed' | 'first' | 'second', string>;

async function course(status: 'published' | 'draft') {
	const [c] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${`test-exposure-${status}-${crypto.randomUUID().slice(0, 8)}`}, 'Exposure course', 'A course made by a test',
			'Testers', 'introductory', 'webinar', 60, array['Testing'], ${status}::public.course_status, now())
		returning id`;
	const [s] = await admin`
		insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
		values (${c!.id}, now() + interval '7 days', now() + interval '7 days 1 hour', ${JOIN_URL}, 1, 'auto',
			now() + interval '6 days')
		returning id`;
	return s!.id as string;
}

const call = <T>(
	actor: Actor,
	query: (tx: Parameters<Parameters<typeof as>[2]>[0]) => Promise<T>
) => as(api, actor, query);

beforeAll(async () => {
	ids.published = await course('published');
	ids.draft = await course('draft');
	for (const name of ['booker', 'waiting', 'other', 'trainer', 'admin'] as const) {
		ids[name] = (await createUser(admin, `exposure-${name}`)).id;
	}
	await admin`insert into public.staff_roles (user_id, role) values (${ids.trainer}, 'trainer'), (${ids.admin}, 'admin')`;
	await admin`insert into public.session_trainers (session_id, trainer_id) values (${ids.published}, ${ids.trainer})`;
	// one place: the booker has it, the next two wait in turn
	for (const [key, person] of [
		['confirmed', ids.booker],
		['first', ids.waiting],
		['second', ids.other]
	] as const) {
		bookings[key] = crypto.randomUUID();
		const result = await call(user(person), async (tx) => {
			const [r] = await tx`select public.book_session(${bookings[key]}, ${ids.published}) as r`;
			return r!.r as { status: string; data: { status: string } };
		});
		expect(result.status).toBe('applied');
	}
});

const everyone: [string, () => Actor][] = [
	['anon', () => anon],
	['a practitioner with a place', () => user(ids.booker)],
	['the session’s trainer', () => user(ids.trainer)],
	['an admin', () => user(ids.admin)]
];

describe('joining links', () => {
	it.each(everyone)('cannot be read from the sessions table by %s', async (_, actor) => {
		for (const query of [
			'select join_url from public.sessions',
			'select * from public.sessions',
			'select s.id from public.sessions s where s.join_url is not null'
		]) {
			await expect(
				call(actor(), (tx) => tx.unsafe(query)),
				query
			).rejects.toMatchObject({
				code: '42501'
			});
		}
	});

	it('the rest of a published session is public', async () => {
		const rows = await call(
			anon,
			(tx) => tx`select id, starts_at, capacity from public.sessions where id = ${ids.published}`
		);
		expect(rows).toHaveLength(1);
	});

	it('reach only people with a confirmed place, the trainers and the admins', async () => {
		const linkFor = (actor: Actor) =>
			call(actor, async (tx) => {
				const [r] = await tx`select public.session_join_url(${ids.published}) as url`;
				return r!.url as string | null;
			});
		expect(await linkFor(user(ids.booker))).toBe(JOIN_URL);
		expect(await linkFor(user(ids.trainer))).toBe(JOIN_URL);
		expect(await linkFor(user(ids.admin))).toBe(JOIN_URL);
		expect(await linkFor(user(ids.waiting))).toBeNull();
		const stranger = await createUser(admin, 'exposure-stranger');
		expect(await linkFor(user(stranger.id))).toBeNull();
		await expect(linkFor(anon)).rejects.toMatchObject({ code: '42501' });
	});

	it('come down on the confirmed booking’s row and the trainer’s assignment, nowhere else', async () => {
		const rowOf = (actor: Actor, entity: string, id: string) =>
			call(actor, async (tx) => {
				const [r] = await tx`select public.sync_entity_row(${entity}, ${id}) as row`;
				return r!.row as Record<string, unknown> | null;
			});
		expect((await rowOf(user(ids.booker), 'booking', bookings.confirmed))?.join_url).toBe(JOIN_URL);
		expect((await rowOf(user(ids.waiting), 'booking', bookings.first))?.join_url).toBeNull();
		const [assignment] =
			await admin`select id from public.session_trainers where session_id = ${ids.published}`;
		expect((await rowOf(user(ids.trainer), 'session_assignment', assignment!.id))?.join_url).toBe(
			JOIN_URL
		);
		const session = await rowOf(anon, 'session', ids.published);
		expect(session).toMatchObject({ id: ids.published, places_taken: 1, waiting: 2 });
		expect(JSON.stringify(session)).not.toContain(JOIN_URL);
	});
});

describe('places left', () => {
	const availability = (actor: Actor, sessionId: string) =>
		call(actor, (tx) => tx`select taken, waiting from public.session_availability(${sessionId})`);

	it('are public for a session of a published course', async () => {
		expect(await availability(anon, ids.published)).toEqual([{ taken: 1, waiting: 2 }]);
	});

	it('are not told for a session of a draft course, except to an admin', async () => {
		expect(await availability(anon, ids.draft)).toEqual([]);
		expect(await availability(user(ids.booker), ids.draft)).toEqual([]);
		expect(await availability(user(ids.admin), ids.draft)).toEqual([{ taken: 0, waiting: 0 }]);
	});
});

describe('a place in the queue', () => {
	it('counts everyone waiting ahead, though the caller sees only their own booking', async () => {
		const position = (person: string, bookingId: string) =>
			call(user(person), async (tx) => {
				const [r] = await tx`select public.sync_entity_row('booking', ${bookingId}) as row`;
				return (r!.row as { waiting_position: number | null }).waiting_position;
			});
		expect(await position(ids.waiting, bookings.first)).toBe(1);
		expect(await position(ids.other, bookings.second)).toBe(2);
		expect(await position(ids.booker, bookings.confirmed)).toBeNull();
	});

	it('is not told about someone else’s booking', async () => {
		const stranger = await createUser(admin, 'exposure-queue');
		const [r] = await call(
			user(stranger.id),
			(tx) => tx`select public.waiting_list_position(${bookings.second}) as p`
		);
		expect(r!.p).toBeNull();
	});
});
