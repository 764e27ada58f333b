import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user } from './helpers';

/**
 * Every kind of email the database writes, made by the journey that makes it, is one a
 * person can act on: it links to its page in the app and says when (date and UK time) and
 * where (the venue, or online and how to join). The kinds are read from the functions, so
 * a new kind fails here until it is covered.
 */

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

const APP = 'http://localhost:5173';
const WHEN = /\w+day \d{1,2} \w+ 20\d\d, \d{1,2}:\d\d[ap]m to \d{1,2}:\d\d[ap]m \(UK time\)/;

type Email = { kind: string; subject: string; body: string; booking: string };
const emails: Email[] = [];
const ids = {} as Record<'room' | 'webinar' | 'past' | 'soon', { session: string; slug: string }>;

async function session(kind: keyof typeof ids, sql: string) {
	const slug = `test-email-${kind}-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await admin`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, followup_weeks)
		values (${slug}, ${'Email test ' + kind}, 'A course made by a test', 'Testers', 'introductory',
			${kind === 'webinar' ? 'webinar' : 'face_to_face'}, 60, array['Testing'], 'published', now(), 12)
		returning id`;
	const [row] = await admin.unsafe(
		`insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, join_url,
			capacity, waitlist_mode, booking_closes_at) ${sql} returning id`,
		[course!.id]
	);
	ids[kind] = { session: row!.id as string, slug };
}

const call = (userId: string, query: string, ...args: unknown[]) =>
	as(api, user(userId), async (tx) => {
		const [r] = await tx.unsafe(query, args as never[]);
		return r?.r as { status: string };
	});
const book = (userId: string, sessionId: string) =>
	call(userId, 'select public.book_session(gen_random_uuid(), $1) as r', sessionId);
const bookingOf = async (userId: string, sessionId: string) =>
	(
		await admin`select id from public.bookings where user_id = ${userId} and session_id = ${sessionId}
		order by created_at desc limit 1`
	)[0]!.id as string;

beforeAll(async () => {
	await session(
		'room',
		`values ($1, now() + interval '10 days', now() + interval '10 days 2 hours', 'Winchester Discovery Centre',
			'Jewry Street, Winchester', null, 1, 'offer', now() + interval '8 days')`
	);
	await session(
		'webinar',
		`values ($1, now() + interval '9 days', now() + interval '9 days 1 hour', null, null,
			'https://teams.example/join/email-test', 1, 'auto', now() + interval '9 days' - interval '1 hour')`
	);
	await session(
		'soon',
		`values ($1, now() + interval '3 hours', now() + interval '4 hours', null, null,
			'https://teams.example/join/email-soon', 10, 'auto', now() + interval '1 hour')`
	);
	await session(
		'past',
		`values ($1, now() - interval '13 weeks', now() - interval '13 weeks' + interval '2 hours', 'Fareham Civic Offices',
			null, null, 10, 'offer', now() - interval '13 weeks' - interval '2 days')`
	);
	const people = [];
	for (let i = 0; i < 8; i++) people.push((await createUser(admin, `email${i}`)).id);
	const [p0, p1, p2, p3, p4, p5, p6, p7] = people as [
		string,
		string,
		string,
		string,
		string,
		string,
		string,
		string
	];
	const room = ids.room.session;
	const webinar = ids.webinar.session;

	// a face-to-face place: booked, then the queue behind it offered, declined, left to expire
	await book(p0, room);
	await book(p1, room);
	await book(p2, room);
	await call(p0, 'select public.cancel_booking($1) as r', await bookingOf(p0, room));
	await call(p1, 'select public.respond_to_offer($1, false) as r', await bookingOf(p1, room));
	await admin`update public.bookings set offer_expires_at = now() - interval '1 minute'
		where session_id = ${room} and status = 'offered'`;
	await admin`select public.expire_offers(${room})`;

	// a webinar: a place confirmed from the waiting list, and someone leaving the list
	await book(p3, webinar);
	await book(p4, webinar);
	await book(p5, webinar);
	await call(p5, 'select public.cancel_booking($1) as r', await bookingOf(p5, webinar));
	await call(p3, 'select public.cancel_booking($1) as r', await bookingOf(p3, webinar));

	// tomorrow's reminder
	await admin`insert into public.bookings (session_id, user_id, status) values (${ids.soon.session}, ${p6}, 'confirmed')`;
	await admin`select public.send_session_reminders()`;

	// after the session: the evaluation, its reminder, and the follow-up 12 weeks on
	const [past] = await admin`insert into public.bookings (session_id, user_id, status)
		values (${ids.past.session}, ${p7}, 'confirmed') returning id`;
	await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${ids.past.session}, ${past!.id}, 'present', ${p7}, now() - interval '13 weeks', 'register')`;
	await admin`select public.request_evaluation(${ids.past.session}, ${p7})`;
	await admin`update public.evaluation_requests set requested_at = now() - interval '4 days' where user_id = ${p7}`;
	await admin`select public.send_evaluation_reminders()`;
	await admin`select public.send_followup_requests()`;
	// a year on, training renewed every year falls due: the reminder ten days before
	await admin`update public.courses set renew_years = 1 where slug = ${ids.past.slug}`;
	await admin`select public.send_refresher_reminders(now() - interval '13 weeks' + interval '1 year' - interval '10 days')`;

	// the partnership moves tomorrow's session an hour later
	const mover = (await createUser(admin, 'email-mover')).id;
	await admin`insert into public.staff_roles (user_id, role) values (${mover}, 'admin')`;
	await call(
		mover,
		`select public.admin_save_session(jsonb_build_object('id', $1::uuid,
			'starts_at', now() + interval '4 hours', 'ends_at', now() + interval '5 hours')) as r`,
		ids.soon.session
	);

	// the room changes: the admin messages everyone booked on tomorrow's session
	await call(
		mover,
		`select public.message_session(jsonb_build_object('id', gen_random_uuid(), 'session_id', $1::uuid,
			'subject', 'Room change', 'message', 'We are in Room 4 now.')) as r`,
		ids.soon.session
	);

	// the partnership cancels a session
	const trainerAdmin = (await createUser(admin, 'email-admin')).id;
	await admin`insert into public.staff_roles (user_id, role) values (${trainerAdmin}, 'admin')`;
	await call(
		trainerAdmin,
		`select public.admin_cancel_session($1, 'The trainer is ill') as r`,
		webinar
	);

	emails.push(
		// each email with the booking it is about: the person's latest on the session it names
		...((await admin`select n.kind, n.subject, n.body, (select b.id from public.bookings b
				join public.sessions s on s.id = b.session_id join public.courses c on c.id = s.course_id
				where b.user_id = n.user_id and strpos(n.body, '/courses/' || c.slug) > 0
				order by b.created_at desc limit 1) as booking
			from public.notifications n where n.user_id = any(${people})
			order by n.created_at`) as unknown as Email[])
	);
});

/** What each kind must say, beyond when and where. */
const course = (s: keyof typeof ids) => () => `${APP}/courses/${ids[s].slug}`;
const EXPECTED: Record<
	string,
	{
		from: keyof typeof ids;
		links: (() => string)[];
		/** links to the booking's calendar page: to add, update or remove the entry */
		calendar?: boolean;
		/** about a course, not one session: no when and where to say */
		course?: true;
		also?: RegExp[];
	}
> = {
	booking_confirmed: { from: 'room', links: [course('room')], calendar: true },
	waitlisted: { from: 'room', links: [course('room')] },
	booking_cancelled: { from: 'room', links: [course('room')], calendar: true },
	place_offered: {
		from: 'room',
		links: [course('room')],
		also: [/Accept it by \w+day \d{1,2} \w+ 20\d\d, \d{1,2}:\d\d[ap]m \(UK time\)/]
	},
	offer_declined: { from: 'room', links: [course('room')] },
	offer_expired: { from: 'room', links: [course('room')] },
	waitlist_confirmed: {
		from: 'webinar',
		links: [course('webinar')],
		calendar: true,
		also: [/Join online: https:\/\/teams\.example\/join\/email-test/]
	},
	left_waiting_list: { from: 'webinar', links: [course('webinar')] },
	session_cancelled: {
		from: 'webinar',
		links: [course('webinar')],
		calendar: true,
		also: [/Reason: The trainer is ill/]
	},
	reminder: {
		from: 'soon',
		links: [course('soon')],
		calendar: true,
		also: [/Join online: https:\/\/teams\.example\/join\/email-soon/]
	},
	session_moved: {
		from: 'soon',
		links: [course('soon')],
		calendar: true,
		also: [
			/changed the date or time of this session\. Your place is kept\./,
			/Join online: https:\/\/teams\.example\/join\/email-soon/
		]
	},
	evaluation_request: {
		from: 'past',
		links: [() => `${APP}/evaluate/${ids.past.session}`, () => `${APP}/my-training`]
	},
	evaluation_reminder: {
		from: 'past',
		links: [() => `${APP}/evaluate/${ids.past.session}`, () => `${APP}/my-training`]
	},
	followup_request: { from: 'past', links: [() => `${APP}/follow-up/${ids.past.session}`] },
	refresher_due: {
		from: 'past',
		course: true,
		links: [course('past'), () => `${APP}/my-training/record`],
		also: [/is due for renewal by \d{1,2} \w+ 20\d\d\. You last completed it on \d{1,2} \w+ 20\d\d/]
	},
	session_message: {
		from: 'soon',
		links: [course('soon')],
		also: [/has sent this message to everyone booked on this session:\n\nWe are in Room 4 now\./]
	}
};

describe('every email', () => {
	it('kind the database writes is covered here', async () => {
		const [row] = await admin`
			select array_agg(distinct m[1] order by m[1]) as kinds
			from pg_proc p, regexp_matches(p.prosrc, 'notify\\([^,]+,\\s*''([a-z_]+)''', 'g') m
			where p.pronamespace = 'public'::regnamespace`;
		const written = row!.kinds as string[];
		expect(written.length).toBeGreaterThan(10);
		expect(written).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(Object.entries(EXPECTED))(
		'%s links to its page and says when and where',
		(kind, expected) => {
			const email = emails.find((e) => e.kind === kind);
			expect(email, `an email of kind ${kind}`).toBeDefined();
			for (const link of expected.links) expect(email!.body).toContain(link());
			if (expected.calendar) expect(email!.body).toContain(`${APP}/calendar/${email!.booking}`);
			else expect(email!.body).not.toContain(`${APP}/calendar/`);
			for (const pattern of expected.also ?? []) expect(email!.body).toMatch(pattern);
			expect(email!.subject.length).toBeGreaterThan(5);
			if (expected.course) return;
			expect(email!.body).toMatch(WHEN);
			expect(email!.body).toMatch(
				expected.from === 'room'
					? /Venue: Winchester Discovery Centre, Jewry Street, Winchester/
					: expected.from === 'past'
						? /Venue: Fareham Civic Offices\n/
						: /\nOnline/
			);
		}
	);
});
