import * as v from 'valibot';
import { RegisterDownload } from '../../src/lib/attendance/register-download';
import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, mutation, superuser, user, type Sql } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Result = {
	id: string;
	status: 'applied' | 'rejected' | 'invalid';
	reason?: string;
	error?: { code: string; message: string };
	data?: Record<string, unknown>;
};

/** A published face-to-face session that started ten minutes ago, with a trainer and bookers. */
async function runningSession(sql: Sql, bookers = 2) {
	const slug = `test-register-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, 'Register test course', 'A course made by a test', 'Testers', 'introductory',
			'face_to_face', 120, array['Testing'], 'published', now())
		returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() - interval '10 minutes', now() + interval '110 minutes', 'Church hall', 30,
			'offer', now() - interval '1 day')
		returning id`;
	const sessionId = session!.id as string;
	const trainer = await createUser(sql, 'trainer');
	await sql`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer.id})`;
	const people = [];
	for (let i = 0; i < bookers; i++) {
		const person = await createUser(sql, `booker${i}`);
		await sql`update public.profiles set full_name = ${'Booker ' + i} where id = ${person.id}`;
		const [booking] = await sql`
			insert into public.bookings (session_id, user_id, status) values (${sessionId}, ${person.id}, 'confirmed')
			returning id`;
		people.push({ ...person, bookingId: booking!.id as string });
	}
	return { sessionId, trainer, people };
}

async function push(userId: string, ...mutations: ReturnType<typeof mutation>[]) {
	return as(api, user(userId), async (tx) => {
		const [row] =
			await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json(mutations as never)}) as r`;
		return (row!.r as { results: Result[] }).results;
	});
}

function mark(
	sessionId: string,
	bookingId: string,
	status: string,
	extra: Record<string, unknown> = {}
) {
	return mutation('attendance.mark', {
		id: crypto.randomUUID(),
		session_id: sessionId,
		booking_id: bookingId,
		status,
		marked_at: new Date().toISOString(),
		...extra
	});
}

async function events(sessionId: string) {
	return admin`select id, booking_id, walk_in_id, status, source, supersedes, marked_by
		from public.attendance_events where session_id = ${sessionId} order by marked_at, id`;
}

async function register(userId: string, sessionId: string) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.get_register(${sessionId}) as r`;
		// the reply as the app checks it before storing it
		return v.parse(RegisterDownload, row!.r);
	});
}

/** The code the trainer's screen shows for a 30-second step (the server's own function). */
async function codeAt(sessionId: string, at: Date) {
	const step = Math.floor(at.getTime() / 30_000);
	await register((await trainerOf(sessionId))!, sessionId); // creates the session's key
	const [row] = await admin`
		select public.checkin_code(k.secret, k.session_id, ${step}) as code
		from public.session_checkin_keys k where k.session_id = ${sessionId}`;
	return { step, code: row!.code as string };
}

async function trainerOf(sessionId: string) {
	const [row] =
		await admin`select trainer_id from public.session_trainers where session_id = ${sessionId} limit 1`;
	return row?.trainer_id as string | undefined;
}

function checkIn(sessionId: string, code: string, step: number | null, scannedAt = new Date()) {
	return mutation('attendance.check_in', {
		id: crypto.randomUUID(),
		session_id: sessionId,
		code,
		step,
		scanned_at: scannedAt.toISOString()
	});
}

describe('who may mark attendance', () => {
	it('a practitioner cannot mark anyone, themselves included, on the register', async () => {
		const { sessionId, people } = await runningSession(admin);
		const [me] = people;
		const [result] = await push(me!.id, mark(sessionId, me!.bookingId, 'present'));
		expect(result!.status).toBe('invalid');
		expect(result!.error!.code).toBe('42501');
		expect(result!.error!.message).toMatch(/Only the trainers of this session/);
		expect(await events(sessionId)).toHaveLength(0);
	});

	it('a trainer cannot mark a session they do not teach; its own trainer and an admin can', async () => {
		const { sessionId, people } = await runningSession(admin);
		const other = await runningSession(admin);
		const [intruder] = await push(
			other.trainer.id,
			mark(sessionId, people[0]!.bookingId, 'absent')
		);
		expect(intruder!.status).toBe('invalid');
		expect(intruder!.error!.code).toBe('42501');

		const [teaching] = await push(
			(await trainerOf(sessionId))!,
			mark(sessionId, people[0]!.bookingId, 'present')
		);
		expect(teaching!.status).toBe('applied');
		const partnership = await createUser(admin, 'admin');
		await admin`insert into public.staff_roles (user_id, role) values (${partnership.id}, 'admin')`;
		const [byAdmin] = await push(partnership.id, mark(sessionId, people[1]!.bookingId, 'late'));
		expect(byAdmin!.status).toBe('applied');
		expect((await events(sessionId)).map((e) => e.status)).toEqual(['present', 'late']);
	});

	it('nobody but its trainers and admins can download a register', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const other = await runningSession(admin);
		for (const outsider of [people[0]!.id, other.trainer.id]) {
			await expect(register(outsider, sessionId)).rejects.toMatchObject({ code: '42501' });
		}
		const sheet = await register(trainer.id, sessionId);
		expect(sheet.attendees.map((a) => a.full_name)).toEqual(['Booker 0', 'Booker 1']);
		expect(sheet.checkin_key).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
	});

	it('a booking from another session is not on this register', async () => {
		const { sessionId, trainer } = await runningSession(admin);
		const other = await runningSession(admin);
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${other.sessionId}, ${trainer.id})`;
		const [result] = await push(trainer.id, mark(sessionId, other.people[0]!.bookingId, 'present'));
		expect(result!.status).toBe('invalid');
		expect(result!.error!.message).toMatch(/is not on this session's register/);
	});
});

describe('attendance marks are append-only events', () => {
	it('a mark cannot be edited or deleted, by the API roles or anyone else', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		await push(trainer.id, mark(sessionId, people[0]!.bookingId, 'present'));
		const [event] = await events(sessionId);
		await expect(
			as(
				api,
				user(trainer.id),
				(tx) => tx`update public.attendance_events set status = 'absent' where id = ${event!.id}`
			)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			admin`update public.attendance_events set status = 'absent' where id = ${event!.id}`
		).rejects.toThrow(/cannot be changed or deleted/);
		await expect(
			admin`delete from public.attendance_events where id = ${event!.id}`
		).rejects.toThrow(/cannot be changed or deleted/);
		expect((await events(sessionId)).map((e) => e.status)).toEqual(['present']);
	});

	it('the same event id sent twice (two pushes, two mutation ids) is one event; reused with other content it is refused', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const first = mark(sessionId, people[0]!.bookingId, 'present');
		const again = mutation('attendance.mark', first.args);
		const [a] = await push(trainer.id, first);
		const [b] = await push(trainer.id, again);
		expect([a!.status, b!.status]).toEqual(['applied', 'applied']);
		expect(await events(sessionId)).toHaveLength(1);

		const forged = mutation('attendance.mark', { ...first.args, status: 'absent' });
		const [c] = await push(trainer.id, forged);
		expect(c!.status).toBe('invalid');
		expect(c!.error!.message).toMatch(/already exists with different content/);
		expect((await events(sessionId)).map((e) => e.status)).toEqual(['present']);
	});

	it('two devices that did not see each other leave both marks as heads; a resolving mark supersedes both', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const second = await createUser(admin, 'cotrainer');
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${second.id})`;
		const booking = people[0]!.bookingId;
		const onA = mark(sessionId, booking, 'present');
		const onB = mark(sessionId, booking, 'absent');
		await push(trainer.id, onA);
		await push(second.id, onB);
		const heads =
			await admin`select status from public.attendance_heads(${booking}, null) order by status::text`;
		expect(heads.map((h) => h.status)).toEqual(['present', 'absent'].sort());

		await push(
			trainer.id,
			mark(sessionId, booking, 'late', {
				supersedes: [onA.args.id, onB.args.id, crypto.randomUUID()]
			})
		);
		const after =
			await admin`select status, supersedes from public.attendance_heads(${booking}, null)`;
		expect(after).toHaveLength(1);
		expect(after[0]!.status).toBe('late');
		// an id that is not a mark of this attendee is dropped, not stored
		expect([...after[0]!.supersedes].sort()).toEqual([onA.args.id, onB.args.id].sort());
	});

	it('bad marks are refused with the reason: unknown status, neither or both attendees', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const results = await push(
			trainer.id,
			mark(sessionId, people[0]!.bookingId, 'asleep'),
			mutation('attendance.mark', {
				id: crypto.randomUUID(),
				session_id: sessionId,
				status: 'present'
			}),
			mark(sessionId, people[0]!.bookingId, 'present', { supersedes: 'not-a-list' }),
			mark(sessionId, people[1]!.bookingId, 'present')
		);
		expect(results.map((r) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'applied']);
		expect(results[0]!.error!.message).toMatch(
			/Status must be present, late, left_early, absent, excused or unmarked/
		);
		expect(results[1]!.error!.message).toMatch(/one booking or one walk-in/);
		expect(results[2]!.error!.message).toMatch(/supersedes must be an array/);
	});
});

describe('walk-ins', () => {
	it('a trainer adds a walk-in and marks them; a bad email or someone already booked is refused', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const walkInId = crypto.randomUUID();
		const args = {
			id: walkInId,
			session_id: sessionId,
			full_name: ' Jo Walker ',
			email: 'Jo@Example.org',
			agency_name: 'Youth club'
		};
		const results = await push(
			trainer.id,
			mutation('attendance.add_walk_in', args),
			mutation('attendance.add_walk_in', args),
			mutation('attendance.mark', {
				id: crypto.randomUUID(),
				session_id: sessionId,
				walk_in_id: walkInId,
				status: 'present'
			}),
			mutation('attendance.add_walk_in', {
				...args,
				id: crypto.randomUUID(),
				email: 'not an email'
			}),
			mutation('attendance.add_walk_in', {
				...args,
				id: crypto.randomUUID(),
				email: people[0]!.email
			})
		);
		expect(results.map((r) => r.status)).toEqual([
			'applied',
			'applied',
			'applied',
			'invalid',
			'rejected'
		]);
		expect(results[3]!.error!.message).toMatch(/email address in the right format/);
		expect(results[4]!.reason).toMatch(/already booked on this session/);
		const sheet = await register(trainer.id, sessionId);
		expect(sheet.walk_ins).toEqual([
			expect.objectContaining({ id: walkInId, full_name: 'Jo Walker', email: 'jo@example.org' })
		]);
	});
});

describe('clearing marks (undoing mark everyone present)', () => {
	it('a mark with no status clears the marks it supersedes: not marked again, a no-show at closing, and in the figures', async () => {
		const { sessionId, trainer, people } = await runningSession(admin, 2);
		const [a, b] = people;
		const first = mark(sessionId, a!.bookingId, 'present');
		const second = mark(sessionId, b!.bookingId, 'present');
		await push(trainer.id, first, second);
		const undo = mark(sessionId, a!.bookingId, 'unmarked', { supersedes: [first.args.id] });
		const nothing = mark(sessionId, b!.bookingId, 'unmarked', { supersedes: [] });
		const results = await push(trainer.id, undo, nothing, mutation('attendance.mark', undo.args));
		expect(results.map((r) => r.status)).toEqual(['applied', 'invalid', 'applied']);
		expect(results[1]!.error!.message).toMatch(/must name the marks it clears/);
		const standing = async () =>
			(
				await admin`select public.attendance_status_of(${a!.bookingId}) as a, public.attendance_status_of(${b!.bookingId}) as b,
					(select attendance from public.impact_facts where booking_id = ${a!.bookingId}) as fact`
			)[0];
		expect(await standing()).toEqual({ a: null, b: 'present', fact: null });
		const [closed] = await push(
			trainer.id,
			mutation('attendance.close_register', {
				session_id: sessionId,
				closed_at: new Date().toISOString()
			})
		);
		expect(closed!.data).toMatchObject({ no_shows: 1, evaluations_requested: 1 });
		expect(await standing()).toEqual({ a: 'absent', b: 'present', fact: 'absent' });
	});
});

describe('self check-in', () => {
	it('the code on the trainer screen checks a booked practitioner in; checking in twice is once', async () => {
		const { sessionId, people } = await runningSession(admin);
		const { step, code } = await codeAt(sessionId, new Date());
		const [first] = await push(people[0]!.id, checkIn(sessionId, code, step));
		const [second] = await push(people[0]!.id, checkIn(sessionId, code, step));
		expect(first).toMatchObject({ status: 'applied', data: { status: 'present' } });
		expect(second!.status).toBe('applied');
		const rows = await events(sessionId);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			booking_id: people[0]!.bookingId,
			source: 'self_checkin',
			marked_by: people[0]!.id
		});
	});

	it('a typed code without its step is accepted around the time it was scanned', async () => {
		const { sessionId, people } = await runningSession(admin);
		const { code } = await codeAt(sessionId, new Date());
		const [result] = await push(people[0]!.id, checkIn(sessionId, code, null));
		expect(result!.status).toBe('applied');
	});

	it('a phone whose clock was set back checks in by the server clock: a live code counts, late by the server', async () => {
		const { sessionId, people } = await runningSession(admin);
		await admin`update public.sessions set starts_at = now() - interval '20 minutes' where id = ${sessionId}`;
		const { step, code } = await codeAt(sessionId, new Date());
		// the phone says it is 25 minutes earlier: before the start
		const claimed = new Date(Date.now() - 25 * 60_000);
		const [result] = await push(people[0]!.id, checkIn(sessionId, code, step, claimed));
		expect(result).toMatchObject({ status: 'applied', data: { status: 'late' } });
		const [row] =
			await admin`select status, marked_at > now() - interval '1 minute' as by_server from public.attendance_events where session_id = ${sessionId}`;
		expect(row).toMatchObject({ status: 'late', by_server: true });
	});

	it('an expired code (a photo sent 25 minutes later, with the earlier time) does not count: it waits for the trainer', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		await admin`update public.sessions set starts_at = now() - interval '45 minutes' where id = ${sessionId}`;
		// the code on the screen 20 minutes after the start: a late arrival
		const shown = new Date(Date.now() - 25 * 60_000);
		const photo = await codeAt(sessionId, shown);
		const results = await push(
			people[0]!.id,
			checkIn(sessionId, photo.code, photo.step, shown),
			// typed, no step: found around the time the phone reports
			checkIn(sessionId, photo.code, null, shown)
		);
		expect(results.map((r) => [r.status, r.data?.status])).toEqual([
			['applied', 'awaiting_confirmation'],
			['applied', 'awaiting_confirmation']
		]);
		expect(await events(sessionId)).toHaveLength(0);
		const sheet = await register(trainer.id, sessionId);
		const waiting = (sheet as unknown as { offline_checkins: Record<string, unknown>[] })
			.offline_checkins;
		expect(waiting).toEqual([
			expect.objectContaining({ booking_id: people[0]!.bookingId, status: 'late' })
		]);
		// the booker's own row says so, and says nobody has marked them
		const row = await as(api, user(people[0]!.id), async (tx) => {
			const [r] = await tx`select public.booking_sync_row(${people[0]!.bookingId}) as r`;
			return r!.r as { attendance: string | null; checkin_awaiting: boolean };
		});
		expect(row).toMatchObject({ attendance: null, checkin_awaiting: true });
		// nobody else learns it
		const other = await as(api, user(people[1]!.id), async (tx) => {
			const [r] = await tx`select public.booking_checkin_awaiting(${people[0]!.bookingId}) as r`;
			return r!.r as boolean;
		});
		expect(other).toBe(false);
	});

	it('the trainer confirms an offline check-in, even after closing; unconfirmed, it is a no-show', async () => {
		const { sessionId, trainer, people } = await runningSession(admin, 3);
		const shown = new Date(Date.now() - 5 * 60_000);
		const old = await codeAt(sessionId, shown);
		const [a] = await push(people[0]!.id, checkIn(sessionId, old.code, old.step, shown));
		const [b] = await push(people[1]!.id, checkIn(sessionId, old.code, old.step, shown));
		expect([a!.data?.status, b!.data?.status]).toEqual([
			'awaiting_confirmation',
			'awaiting_confirmation'
		]);
		const [closed] = await push(
			trainer.id,
			mutation('attendance.close_register', {
				session_id: sessionId,
				closed_at: new Date().toISOString()
			})
		);
		expect(closed!.data).toMatchObject({ no_shows: 3, evaluations_requested: 0 });
		const sheet = (await register(trainer.id, sessionId)) as unknown as {
			offline_checkins: { id: string; booking_id: string }[];
		};
		const first = sheet.offline_checkins.find((c) => c.booking_id === people[0]!.bookingId)!;
		const second = sheet.offline_checkins.find((c) => c.booking_id === people[1]!.bookingId)!;
		await new Promise((r) => setTimeout(r, 1_100));
		const results = await push(
			trainer.id,
			// naming another attendee's check-in is refused
			mark(sessionId, people[2]!.bookingId, 'present', { checkin_id: first.id }),
			mark(sessionId, people[0]!.bookingId, 'present', { checkin_id: first.id }),
			// a mark without the check-in, after closing, is refused as before
			mark(sessionId, people[1]!.bookingId, 'present')
		);
		expect(results.map((r) => r.status)).toEqual(['invalid', 'applied', 'rejected']);
		expect(results[0]!.error!.message).toMatch(/not an offline check-in of this attendee/);
		const after = (await register(trainer.id, sessionId)) as unknown as {
			offline_checkins: { id: string }[];
		};
		expect(after.offline_checkins.map((c) => c.id)).toEqual([second.id]);
		const [standing] = await admin`
			select public.attendance_status_of(${people[0]!.bookingId}) as confirmed,
				public.attendance_status_of(${people[1]!.bookingId}) as unconfirmed`;
		expect(standing).toEqual({ confirmed: 'present', unconfirmed: 'absent' });
		const asked =
			await admin`select user_id from public.notifications where kind = 'evaluation_request' and user_id in ${admin([people[0]!.id, people[1]!.id])}`;
		expect(asked.map((n) => n.user_id)).toEqual([people[0]!.id]);
	});

	it('a live check-in after an offline one counts at once and settles it', async () => {
		const { sessionId, trainer, people } = await runningSession(admin);
		const shown = new Date(Date.now() - 5 * 60_000);
		const old = await codeAt(sessionId, shown);
		await push(people[0]!.id, checkIn(sessionId, old.code, old.step, shown));
		const now = await codeAt(sessionId, new Date());
		const [live] = await push(people[0]!.id, checkIn(sessionId, now.code, now.step));
		expect(live!.data).toMatchObject({ status: 'present' });
		const sheet = (await register(trainer.id, sessionId)) as unknown as {
			offline_checkins: unknown[];
		};
		expect(sheet.offline_checkins).toEqual([]);
	});

	it('a code from another session and a forged code are refused, and nothing is recorded', async () => {
		const { sessionId, people } = await runningSession(admin);
		const other = await runningSession(admin);
		const elsewhere = await codeAt(other.sessionId, new Date());
		const now = await codeAt(sessionId, new Date());
		const forged = String((Number(now.code) + 1) % 1_000_000).padStart(6, '0');
		const results = await push(
			people[0]!.id,
			checkIn(sessionId, elsewhere.code, elsewhere.step),
			checkIn(sessionId, forged, now.step),
			checkIn(sessionId, forged, null),
			checkIn(sessionId, 'abc', now.step)
		);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
		expect(results[0]!.reason).toMatch(/not valid for this session/);
		expect(results[3]!.reason).toMatch(/Enter the 6-digit code/);
		expect(await events(sessionId)).toHaveLength(0);
		expect(
			await admin`select 1 from public.offline_checkins where session_id = ${sessionId}`
		).toHaveLength(0);
	});

	it('outside the session window a valid code is refused', async () => {
		const { sessionId, people } = await runningSession(admin);
		await admin`update public.sessions set starts_at = now() + interval '2 hours', ends_at = now() + interval '3 hours'
			where id = ${sessionId}`;
		const { step, code } = await codeAt(sessionId, new Date());
		const [result] = await push(people[0]!.id, checkIn(sessionId, code, step));
		expect(result!.reason).toMatch(/Check-in is open from 30 minutes before/);
	});

	it('someone who came without a booking is added as a walk-in from their profile', async () => {
		const { sessionId, trainer } = await runningSession(admin);
		const visitor = await createUser(admin, 'visitor');
		await admin`update public.profiles set full_name = 'Val Visitor' where id = ${visitor.id}`;
		const { step, code } = await codeAt(sessionId, new Date());
		const [result] = await push(visitor.id, checkIn(sessionId, code, step));
		expect(result!.status).toBe('applied');
		const sheet = await register(trainer.id, sessionId);
		expect(sheet.walk_ins).toEqual([
			expect.objectContaining({ full_name: 'Val Visitor', email: visitor.email })
		]);
		// the register names the session's trainers, so an import leaves their rows out
		expect((sheet as unknown as { trainers: unknown[] }).trainers).toEqual([
			{ full_name: null, email: trainer.email }
		]);
	});

	it('ten wrong codes in an hour stop further guesses', async () => {
		const { sessionId, people } = await runningSession(admin);
		const { step, code } = await codeAt(sessionId, new Date());
		const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
		await push(people[0]!.id, ...Array.from({ length: 10 }, () => checkIn(sessionId, wrong, step)));
		const [right] = await push(people[0]!.id, checkIn(sessionId, code, step));
		expect(right!.status).toBe('rejected');
		expect(right!.reason).toMatch(/Too many codes/);
	});

	it('the limit holds on every path: wrong codes sent to self_check_in directly count with those pushed, per person and session', async () => {
		const { sessionId, people } = await runningSession(admin, 2);
		const { step, code } = await codeAt(sessionId, new Date());
		const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
		const direct = (who: string, value: string) =>
			as(api, user(who), async (tx) => {
				const args = tx.json(checkIn(sessionId, value, step).args as never);
				const [row] = await tx`select public.self_check_in(${args}) as r`;
				return row!.r as { status: string; reason?: string };
			});
		// apply_mutation is no way round it: the API roles cannot call it
		await expect(
			as(
				api,
				user(people[0]!.id),
				(tx) => tx`select public.apply_mutation('attendance.check_in', '{}')`
			)
		).rejects.toMatchObject({ code: '42501' });
		for (let i = 0; i < 10; i++) {
			const result =
				i % 2
					? await direct(people[0]!.id, wrong)
					: (await push(people[0]!.id, checkIn(sessionId, wrong, step)))[0]!;
			expect(result.status).toBe('rejected');
		}
		// the eleventh, even with the right code, by either path: refused
		expect(await direct(people[0]!.id, code)).toMatchObject({
			status: 'rejected',
			reason: expect.stringMatching(/Too many codes/)
		});
		const [viaPush] = await push(people[0]!.id, checkIn(sessionId, code, step));
		expect(viaPush!.reason).toMatch(/Too many codes/);
		// someone else on the same session is not held back by another's guesses
		expect(await direct(people[1]!.id, code)).toMatchObject({ status: 'applied' });
	});
});

describe('closing the register', () => {
	it('records no-shows, asks those present for their evaluation, refuses later marks, and only an admin reopens', async () => {
		const { sessionId, trainer, people } = await runningSession(admin, 3);
		const [present, absentee, offline] = people;
		await push(trainer.id, mark(sessionId, present!.bookingId, 'present'));
		const close = mutation('attendance.close_register', {
			session_id: sessionId,
			closed_at: new Date().toISOString()
		});
		const [closed] = await push(trainer.id, close);
		expect(closed).toMatchObject({
			status: 'applied',
			data: { no_shows: 2, evaluations_requested: 1 }
		});

		const asked = await admin`select user_id, subject from public.notifications
			where kind = 'evaluation_request' and user_id in ${admin([present!.id, absentee!.id, offline!.id])}`;
		expect(asked.map((n) => n.user_id)).toEqual([present!.id]);
		expect(asked[0]!.subject).toBe('How was it? Register test course');

		// a mark made on a device before the close still counts and outranks the no-show…
		const before = mark(sessionId, offline!.bookingId, 'late', {
			marked_at: new Date(Date.now() - 60_000).toISOString()
		});
		// …one made after it is refused with the reason
		await new Promise((r) => setTimeout(r, 1_100));
		const later = mark(sessionId, absentee!.bookingId, 'present');
		const results = await push(trainer.id, before, later);
		expect(results.map((r) => r.status)).toEqual(['applied', 'rejected']);
		expect(results[1]!.reason).toMatch(
			/The register was closed at .* Ask the partnership to reopen it/
		);
		const lateAsked =
			await admin`select 1 from public.notifications where kind = 'evaluation_request' and user_id = ${offline!.id}`;
		expect(lateAsked).toHaveLength(1);

		await expect(
			as(api, user(trainer.id), (tx) => tx`select public.admin_reopen_register(${sessionId})`)
		).rejects.toMatchObject({ code: '42501' });
		const partnership = await createUser(admin, 'admin');
		await admin`insert into public.staff_roles (user_id, role) values (${partnership.id}, 'admin')`;
		await as(
			api,
			user(partnership.id),
			(tx) => tx`select public.admin_reopen_register(${sessionId})`
		);
		const [reopened] = await push(trainer.id, mark(sessionId, absentee!.bookingId, 'present'));
		expect(reopened!.status).toBe('applied');
		const sources = (await events(sessionId)).map((e) => e.source).sort();
		expect(sources).toEqual(['closure', 'closure', 'register', 'register', 'register']);
	});
});
