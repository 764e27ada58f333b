import { afterAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user } from './helpers';

/**
 * When the partnership moves a session (date, time, venue or joining link), everyone who
 * holds, is offered or waits for a place is told once, with the new details; the session's
 * calendar_sequence rises so the calendar entries the app makes replace the old ones; the
 * reminders follow the new date. Called as the API roles, through admin_save_session.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

async function newAdmin() {
	const person = await createUser(admin, 'mover');
	await admin`insert into public.staff_roles (user_id, role) values (${person.id}, 'admin')`;
	return person.id;
}

/** A face-to-face session in 10 days with two places, its own course. */
async function newSession() {
	const slug = `test-moved-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, 'Moved course', 'A course made by a test', 'Testers', 'introductory', 'face_to_face', 120,
			array['Testing'], 'published', now())
		returning id`;
	const [session] = await admin`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() + interval '10 days', now() + interval '10 days 2 hours', 'Winchester Discovery Centre',
			'Jewry Street, Winchester', 2, 'offer', now() + interval '8 days')
		returning id`;
	return { id: session!.id as string, slug };
}

const save = (adminId: string, changes: Record<string, unknown>) =>
	as(api, user(adminId), async (tx) => {
		const [row] = await tx`select public.admin_save_session(${tx.json(changes as never)}) as r`;
		return row!.r as { calendar_sequence: number; people_told: number };
	});

async function book(userId: string, sessionId: string) {
	const bookingId = crypto.randomUUID();
	await as(api, user(userId), (tx) => tx`select public.book_session(${bookingId}, ${sessionId})`);
	return bookingId;
}

/** Four people: one confirmed, one offered, one waiting, one who released their place. */
async function bookedSession() {
	const session = await newSession();
	const [kept, offered, waiting, gone] = await Promise.all(
		['kept', 'offered', 'waiting', 'gone'].map((l) => createUser(admin, `moved-${l}`))
	);
	const bookings = {
		kept: await book(kept!.id, session.id),
		gone: await book(gone!.id, session.id),
		offered: await book(offered!.id, session.id),
		waiting: await book(waiting!.id, session.id)
	};
	await as(api, user(gone!.id), (tx) => tx`select public.cancel_booking(${bookings.gone})`);
	const people = { kept: kept!.id, offered: offered!.id, waiting: waiting!.id, gone: gone!.id };
	return { session, bookings, people };
}

const movedEmails = (sessionSlug: string) => admin`
	select n.user_id, n.subject, n.body from public.notifications n
	where n.kind = 'session_moved' and strpos(n.body, '/courses/' || ${sessionSlug}) > 0
	order by n.created_at`;

describe('moving a session', () => {
	it('tells the booked, the offered and the waiting once, each what it means for them', async () => {
		const me = await newAdmin();
		const { session, bookings, people } = await bookedSession();
		const states =
			await admin`select user_id, status from public.bookings where session_id = ${session.id}`;
		expect(Object.fromEntries(states.map((s) => [s.user_id, s.status]))).toEqual({
			[people.kept]: 'confirmed',
			[people.offered]: 'offered',
			[people.waiting]: 'waitlisted',
			[people.gone]: 'cancelled'
		});

		const saved = await save(me, {
			id: session.id,
			starts_at: new Date(Date.now() + 11 * 86_400_000).toISOString(),
			ends_at: new Date(Date.now() + 11 * 86_400_000 + 7_200_000).toISOString(),
			venue_name: 'Fareham Civic Offices',
			venue_address: 'Civic Way, Fareham'
		});
		expect(saved.calendar_sequence).toBe(1);
		expect(saved.people_told).toBe(3);

		const emails = await movedEmails(session.slug);
		const to = (id: string) => emails.find((e) => e.user_id === id);
		expect(emails).toHaveLength(3);
		expect(to(people.gone)).toBeUndefined();
		for (const e of emails) {
			expect(e.subject).toBe('Changed: Moved course');
			expect(e.body).toContain(
				'The partnership has changed the date or time and the venue of this session.'
			);
			expect(e.body).toContain('Venue: Fareham Civic Offices, Civic Way, Fareham');
		}
		expect(to(people.kept)!.body).toContain('Your place is kept.');
		expect(to(people.kept)!.body).toContain(
			`Update your calendar: http://localhost:5173/calendar/${bookings.kept}`
		);
		expect(to(people.offered)!.body).toMatch(
			/still yours to accept by \w+day \d{1,2} \w+ 20\d\d, \d{1,2}:\d\d[ap]m \(UK time\)/
		);
		expect(to(people.offered)!.body).not.toContain('/calendar/');
		expect(to(people.waiting)!.body).toContain('You are still on the waiting list.');
		expect(to(people.waiting)!.body).not.toContain('/calendar/');

		// saving it again as it now is changes nothing and tells nobody
		const again = await save(me, { id: session.id, venue_name: 'Fareham Civic Offices' });
		expect(again).toMatchObject({ calendar_sequence: 1, people_told: 0 });
		expect(await movedEmails(session.slug)).toHaveLength(3);
	});

	it('tells the trainers running it, with their register', async () => {
		const me = await newAdmin();
		const { session } = await bookedSession();
		const trainer = await createUser(admin, 'moved-trainer');
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${session.id}, ${trainer.id})`;
		const saved = await save(me, { id: session.id, venue_name: 'Andover Library' });
		expect(saved.people_told).toBe(3);
		const [email, ...more] = await admin`select subject, body from public.notifications
			where user_id = ${trainer.id} and kind = 'session_moved'`;
		expect(more).toHaveLength(0);
		expect(email!.subject).toBe('Changed: Moved course');
		expect(email!.body).toContain('changed the venue of a session you are running.');
		expect(email!.body).toContain('Venue: Andover Library, Jewry Street, Winchester');
		expect(email!.body).toContain(`The register: http://localhost:5173/my-sessions/${session.id}`);
	});

	it('is not a move when only the places or the waiting list change', async () => {
		const me = await newAdmin();
		const { session } = await bookedSession();
		const saved = await save(me, { id: session.id, capacity: 3, waitlist_mode: 'auto' });
		expect(saved).toMatchObject({ calendar_sequence: 0, people_told: 0 });
		expect(await movedEmails(session.slug)).toHaveLength(0);
	});

	it('says when only the joining link changes, and gives the new one to those with a place', async () => {
		const me = await newAdmin();
		const { session, people } = await bookedSession();
		const saved = await save(me, {
			id: session.id,
			venue_name: '',
			venue_address: '',
			join_url: 'https://teams.example/join/new-link'
		});
		expect(saved).toMatchObject({ calendar_sequence: 1, people_told: 3 });
		const emails = await movedEmails(session.slug);
		const kept = emails.find((e) => e.user_id === people.kept)!;
		expect(kept.body).toContain(
			'changed the venue: it is now online and the joining link of this session'
		);
		expect(kept.body).toContain('Join online: https://teams.example/join/new-link');
		expect(emails.find((e) => e.user_id === people.waiting)!.body).not.toContain('new-link');
	});

	it('brings a new joining link to the devices of those with a place and the trainers, and no one else', async () => {
		const me = await newAdmin();
		const { session, people } = await bookedSession();
		const trainer = await createUser(admin, 'moved-trainer');
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${session.id}, ${trainer.id})`;
		await save(me, { id: session.id, join_url: 'https://teams.example/join/first-link' });
		type Page = {
			cursor: string;
			changes: { entity: string; row: Record<string, unknown> | null }[];
		};
		const pull = (userId: string, cursor: string) =>
			as(api, user(userId), async (tx) => {
				const [row] = await tx`select public.sync_pull(${cursor}, 5000) as page`;
				return row!.page as Page;
			});
		const cursors: Record<string, string> = {};
		for (const id of [people.kept, people.waiting, trainer.id])
			cursors[id] = (await pull(id, '')).cursor;

		await save(me, { id: session.id, join_url: 'https://teams.example/join/second-link' });
		const seen = async (userId: string) =>
			(await pull(userId, cursors[userId]!)).changes
				.filter((c) => JSON.stringify(c.row ?? {}).includes('second-link'))
				.map((c) => c.entity)
				.sort();
		expect(await seen(people.kept)).toEqual(['booking']);
		expect(await seen(trainer.id)).toEqual(['booking', 'session_assignment']);
		expect(await seen(people.waiting)).toEqual([]);
	});

	it('brings an offer’s deadline forward to the new start', async () => {
		const me = await newAdmin();
		const { session, people } = await bookedSession();
		const starts = new Date(Date.now() + 86_400_000);
		await save(me, {
			id: session.id,
			starts_at: starts.toISOString(),
			ends_at: new Date(starts.getTime() + 7_200_000).toISOString()
		});
		const [offer] = await admin`select offer_expires_at from public.bookings
			where session_id = ${session.id} and user_id = ${people.offered}`;
		expect(new Date(offer!.offer_expires_at).getTime()).toBe(starts.getTime());
	});

	it('is refused once the session is cancelled', async () => {
		const me = await newAdmin();
		const { session } = await bookedSession();
		await as(
			api,
			user(me),
			(tx) => tx`select public.admin_cancel_session(${session.id}, 'The venue flooded')`
		);
		await expect(
			save(me, {
				id: session.id,
				starts_at: new Date(Date.now() + 12 * 86_400_000).toISOString(),
				ends_at: new Date(Date.now() + 12 * 86_400_000 + 3_600_000).toISOString()
			})
		).rejects.toMatchObject({
			code: '22023',
			message: 'This session is cancelled: add a new session instead of changing it'
		});
	});

	it('is refused to practitioners', async () => {
		const { session, people } = await bookedSession();
		await expect(
			save(people.kept, { id: session.id, venue_name: 'My front room' })
		).rejects.toMatchObject({ code: '42501' });
		const [row] =
			await admin`select venue_name, calendar_sequence from public.sessions where id = ${session.id}`;
		expect(row).toMatchObject({ venue_name: 'Winchester Discovery Centre', calendar_sequence: 0 });
	});

	it('reaches devices as the session’s calendar_sequence, for anyone who may read the session', async () => {
		const me = await newAdmin();
		const { session } = await bookedSession();
		await save(me, { id: session.id, venue_name: 'Basingstoke Library' });
		const row = await as(api, anon, async (tx) => {
			const [r] = await tx`select public.session_sync_row(${session.id}) as r`;
			return r!.r as { calendar_sequence: number; venue_name: string };
		});
		expect(row).toMatchObject({ calendar_sequence: 1, venue_name: 'Basingstoke Library' });
	});

	it('reminds people again of the new date when it moves after their reminder went', async () => {
		const me = await newAdmin();
		const { session, people } = await bookedSession();
		const remindersOf = async (at: string) => {
			await admin`select public.send_session_reminders(${at}::timestamptz)`;
			return (
				await admin`select subject from public.notifications
					where user_id = ${people.kept} and kind = 'reminder' order by created_at`
			).map((r) => r.subject);
		};
		// the day before the first date: "Tomorrow"
		const dayBefore = new Date(Date.now() + 9.5 * 86_400_000).toISOString();
		expect(await remindersOf(dayBefore)).toEqual(['Tomorrow: Moved course']);
		// moved a week later: nothing new at once, then the 7-day and 1-day reminders of the new date
		await save(me, {
			id: session.id,
			starts_at: new Date(Date.now() + 17 * 86_400_000).toISOString(),
			ends_at: new Date(Date.now() + 17 * 86_400_000 + 7_200_000).toISOString()
		});
		expect(await remindersOf(dayBefore)).toEqual(['Tomorrow: Moved course']);
		expect(await remindersOf(new Date(Date.now() + 16.5 * 86_400_000).toISOString())).toEqual([
			'Tomorrow: Moved course',
			'Tomorrow: Moved course'
		]);
	});
});

describe('cancelling a session', () => {
	it('gives those who had a place a link to take it out of their calendar', async () => {
		const me = await newAdmin();
		const { session, bookings, people } = await bookedSession();
		await as(
			api,
			user(me),
			(tx) => tx`select public.admin_cancel_session(${session.id}, 'The trainer is ill')`
		);
		const emails = await admin`select user_id, body from public.notifications
			where kind = 'session_cancelled' and strpos(body, ${session.slug}) > 0`;
		const to = (id: string) => emails.find((e) => e.user_id === id)!.body as string;
		expect(emails).toHaveLength(3);
		expect(to(people.kept)).toContain(
			`To take it out of your calendar: http://localhost:5173/calendar/${bookings.kept}`
		);
		expect(to(people.offered)).not.toContain('/calendar/');
		expect(to(people.waiting)).not.toContain('/calendar/');
	});
});
