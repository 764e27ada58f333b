import { afterAll, describe, expect, it } from 'vitest';
import {
	anon,
	as,
	authenticator,
	createUser,
	mutation,
	superuser,
	user,
	type Sql
} from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Result = { status: string; reason?: string; data?: { id: string; status: string } };

/** A published session starting in a week, with its own course so tests do not meet. */
async function newSession(
	sql: Sql,
	{
		capacity = 10,
		mode = 'offer',
		closes = "now() + interval '6 days'",
		courseStatus = 'published'
	} = {}
) {
	const slug = `test-course-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, 'Test course', 'A course made by a test', 'Testers', 'introductory', 'webinar', 60,
			array['Testing'], ${courseStatus}::public.course_status, now())
		returning id`;
	const [session] = await sql.unsafe(
		`insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
		 values ($1, now() + interval '7 days', now() + interval '7 days 1 hour',
		   'https://teams.example/join/' || gen_random_uuid(), $2, $3::public.waitlist_mode, ${closes})
		 returning id`,
		[course!.id, capacity, mode]
	);
	return session!.id as string;
}

function book(userId: string, sessionId: string, bookingId = crypto.randomUUID()) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.book_session(${bookingId}, ${sessionId}) as r`;
		return row!.r as Result;
	});
}

function cancel(userId: string, bookingId: string) {
	return as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.cancel_booking(${bookingId}) as r`;
		return row!.r as Result;
	});
}

async function statuses(sessionId: string) {
	return admin`select id, user_id, status, created_at, waitlisted_at, offer_expires_at
		from public.bookings where session_id = ${sessionId} order by created_at`;
}

describe('booking a place', () => {
	it('500 concurrent requests for 100 places: exactly 100 confirmed, 400 waitlisted in arrival order, no errors', async () => {
		const sessionId = await newSession(admin, { capacity: 100, mode: 'auto' });
		const users = await admin`
			insert into auth.users (id, email)
			select gen_random_uuid(), 'crowd.' || i || '.' || gen_random_uuid() || '@db.hscp.example'
			from generate_series(1, 500) i returning id`;
		const results = await Promise.all(users.map((u) => book(u.id, sessionId)));
		expect(results.filter((r) => r.status !== 'applied')).toEqual([]);

		const rows = await statuses(sessionId);
		const confirmed = rows.filter((r) => r.status === 'confirmed');
		const waitlisted = rows.filter((r) => r.status === 'waitlisted');
		expect(confirmed).toHaveLength(100);
		expect(waitlisted).toHaveLength(400);
		// every confirmed booking arrived before every waitlisted one…
		const lastConfirmed = Math.max(...confirmed.map((r) => +r.created_at));
		expect(waitlisted.every((r) => +r.created_at > lastConfirmed)).toBe(true);
		// …and the waiting list is in the order people arrived
		const byArrival = [...waitlisted]
			.sort((a, b) => +a.created_at - +b.created_at)
			.map((r) => r.id);
		const byQueue = [...waitlisted]
			.sort((a, b) => +a.waitlisted_at - +b.waitlisted_at)
			.map((r) => r.id);
		expect(byQueue).toEqual(byArrival);
	});

	it('one person cannot hold two places on the same session', async () => {
		const sessionId = await newSession(admin);
		const me = await createUser(admin, 'twice');
		expect((await book(me.id, sessionId)).status).toBe('applied');
		expect(await book(me.id, sessionId)).toEqual({
			status: 'rejected',
			reason: 'You already have a place for this session.'
		});
	});

	it('a draft course’s session does not exist for booking; a cancelled one is refused', async () => {
		const me = await createUser(admin, 'draft');
		const draft = await newSession(admin, { courseStatus: 'draft' });
		await expect(book(me.id, draft)).rejects.toMatchObject({ code: '22023' });
		const cancelled = await newSession(admin);
		await admin`update public.sessions set status = 'cancelled', cancelled_reason = 'Trainer ill' where id = ${cancelled}`;
		expect(await book(me.id, cancelled)).toEqual({
			status: 'rejected',
			reason: 'This session has been cancelled.'
		});
	});

	it('booking after the closing time is refused with the time it closed', async () => {
		const closed = await newSession(admin, { closes: "now() - interval '1 minute'" });
		const me = await createUser(admin, 'late');
		const result = await book(me.id, closed);
		expect(result.status).toBe('rejected');
		expect(result.reason).toMatch(
			/^Booking for this session closed on \w+day \d+ \w+ \d{4}, \d+:\d\d[ap]m\.$/
		);
	});

	it('a session that does not exist is an error, not a booking', async () => {
		const me = await createUser(admin, 'nowhere');
		await expect(book(me.id, crypto.randomUUID())).rejects.toMatchObject({
			code: '22023',
			message: expect.stringMatching(/^Session .* does not exist$/)
		});
	});

	it('works through sync_push and a repeated mutation books once', async () => {
		const sessionId = await newSession(admin);
		const me = await createUser(admin, 'sync.book');
		const bookingId = crypto.randomUUID();
		const m = mutation('booking.request', { booking_id: bookingId, session_id: sessionId });
		const push = () =>
			as(api, user(me.id), async (tx) => {
				const [row] =
					await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json([m] as never)}) as out`;
				return (row!.out as { results: Result[] }).results;
			});
		expect(await push()).toMatchObject([
			{ status: 'applied', data: { id: bookingId, status: 'confirmed' } }
		]);
		expect(await push()).toMatchObject([{ status: 'applied', data: { id: bookingId } }]);
		expect(await statuses(sessionId)).toHaveLength(1);
	});

	it('one mutation pushed twice at once (two tabs, a retry racing its original): one booking, and both callers get its answer', async () => {
		for (let round = 0; round < 5; round++) {
			const sessionId = await newSession(admin);
			const me = await createUser(admin, `sync.race${round}`);
			const bookingId = crypto.randomUUID();
			const m = mutation('booking.request', { booking_id: bookingId, session_id: sessionId });
			const push = () =>
				as(api, user(me.id), async (tx) => {
					const [row] =
						await tx`select public.sync_push(${crypto.randomUUID()}, ${tx.json([m] as never)}) as out`;
					return (row!.out as { results: Result[] }).results;
				});
			const [first, second] = await Promise.all([push(), push()]);
			expect(first).toMatchObject([{ status: 'applied', data: { id: bookingId } }]);
			expect(second).toEqual(first);
			expect(await statuses(sessionId)).toHaveLength(1);
		}
	});
});

describe('the answers sync_push owes', () => {
	type Answer = Result & { stored?: { name: string; args: Record<string, unknown> } };
	const pushAs = (userId: string, device: string, ms: object[]) =>
		as(api, user(userId), async (tx) => {
			const [row] = await tx`select public.sync_push(${device}, ${tx.json(ms as never)}) as out`;
			return (row!.out as { results: Answer[] }).results;
		});

	it('the same id sent again with other content is a conflict: the stored version comes back and nothing changes', async () => {
		const [first, second] = [await newSession(admin), await newSession(admin)];
		const me = await createUser(admin, 'sync.conflict');
		const id = crypto.randomUUID();
		const bookingId = crypto.randomUUID();
		const original = mutation('booking.request', { booking_id: bookingId, session_id: first }, id);
		const other = mutation('booking.request', { booking_id: bookingId, session_id: second }, id);
		const device = crypto.randomUUID();
		expect(await pushAs(me.id, device, [original])).toMatchObject([{ status: 'applied' }]);
		const [answer] = await pushAs(me.id, device, [other]);
		expect(answer).toMatchObject({
			id,
			status: 'conflict',
			reason: expect.stringMatching(/different content/),
			stored: {
				name: 'booking.request',
				args: { session_id: first },
				result: { status: 'applied' }
			}
		});
		expect(await statuses(second)).toHaveLength(0);
		expect(await statuses(first)).toHaveLength(1);
		// the original sent again is still its stored answer
		expect(await pushAs(me.id, device, [original])).toMatchObject([{ status: 'applied' }]);
	});

	it('two versions of one id pushed at once: one is applied, the other is told it conflicts', async () => {
		for (let round = 0; round < 3; round++) {
			const [a, b] = [await newSession(admin), await newSession(admin)];
			const me = await createUser(admin, `sync.conflict.race${round}`);
			const id = crypto.randomUUID();
			const bookingId = crypto.randomUUID();
			const answers = await Promise.all(
				[a, b].map((session) =>
					pushAs(me.id, crypto.randomUUID(), [
						mutation('booking.request', { booking_id: bookingId, session_id: session }, id)
					])
				)
			);
			expect(answers.map(([r]) => r!.status).sort()).toEqual(['applied', 'conflict']);
			expect([...(await statuses(a)), ...(await statuses(b))]).toHaveLength(1);
		}
	});

	it('forgets answers after 90 days, and a forgotten mutation sent again is answered expired, not applied again', async () => {
		const sessionId = await newSession(admin);
		const me = await createUser(admin, 'sync.expired');
		const device = crypto.randomUUID();
		const bookingId = crypto.randomUUID();
		const old = {
			...mutation('booking.request', { booking_id: bookingId, session_id: sessionId }),
			seq: 7
		};
		expect(await pushAs(me.id, device, [old])).toMatchObject([{ status: 'applied' }]);
		await admin`update public.bookings set status = 'cancelled', cancelled_at = now() where id = ${bookingId}`;
		await admin`update public.sync_mutations set received_at = now() - interval '89 days' where id = ${old.id}`;
		await admin`select public.prune_sync_ledger()`;
		// 89 days: still held, still its stored answer
		expect(await pushAs(me.id, device, [old])).toMatchObject([{ status: 'applied' }]);

		await admin`update public.sync_mutations set received_at = now() - interval '91 days' where id = ${old.id}`;
		const [pruned] = await admin`select public.prune_sync_ledger() as n`;
		expect(pruned!.n).toBeGreaterThanOrEqual(1);
		const [kept] = await admin`select pruned_through_seq::int as seq from public.sync_ledger_pruned
			where user_id = ${me.id} and device_id = ${device}`;
		expect(kept!.seq).toBe(7);

		const [answer] = await pushAs(me.id, device, [old]);
		expect(answer).toMatchObject({
			id: old.id,
			status: 'expired',
			reason: expect.stringMatching(/90 days/)
		});
		expect((await statuses(sessionId)).map((b) => b.status)).toEqual(['cancelled']);

		// later mutations of that device, and any from another device, are applied as ever
		const again = mutation('booking.request', {
			booking_id: crypto.randomUUID(),
			session_id: sessionId
		});
		expect(await pushAs(me.id, device, [{ ...again, seq: 8 }])).toMatchObject([
			{ status: 'applied' }
		]);
		const elsewhere = await newSession(admin);
		const fresh = mutation('booking.request', {
			booking_id: crypto.randomUUID(),
			session_id: elsewhere
		});
		expect(await pushAs(me.id, crypto.randomUUID(), [{ ...fresh, seq: 3 }])).toMatchObject([
			{ status: 'applied' }
		]);
	});
});

describe('cancelling and the waiting list', () => {
	it('cancelling a confirmed webinar place confirms exactly the first person waiting', async () => {
		const sessionId = await newSession(admin, { capacity: 1, mode: 'auto' });
		const [a, b, c] = [
			await createUser(admin, 'a'),
			await createUser(admin, 'b'),
			await createUser(admin, 'c')
		];
		const first = await book(a.id, sessionId);
		await book(b.id, sessionId);
		await book(c.id, sessionId);
		await cancel(a.id, first.data!.id);
		const rows = await statuses(sessionId);
		expect(rows.map((r) => [r.user_id, r.status])).toEqual([
			[a.id, 'cancelled'],
			[b.id, 'confirmed'],
			[c.id, 'waitlisted']
		]);
		const emails =
			await admin`select kind from public.notifications where user_id = ${b.id} order by created_at`;
		expect(emails.map((e) => e.kind)).toEqual(['waitlisted', 'waitlist_confirmed']);
	});

	it('for a face-to-face session the place is offered with a deadline; an expired offer passes on', async () => {
		const sessionId = await newSession(admin, { capacity: 1, mode: 'offer' });
		const [a, b, c] = [
			await createUser(admin, 'oa'),
			await createUser(admin, 'ob'),
			await createUser(admin, 'oc')
		];
		const first = await book(a.id, sessionId);
		await book(b.id, sessionId);
		await book(c.id, sessionId);
		await cancel(a.id, first.data!.id);
		let rows = await statuses(sessionId);
		expect(rows.map((r) => r.status)).toEqual(['cancelled', 'offered', 'waitlisted']);
		expect(+rows[1]!.offer_expires_at).toBeGreaterThan(Date.now() + 47 * 3600_000);

		// b does not answer in time
		await admin`update public.bookings set offer_expires_at = now() - interval '1 second' where id = ${rows[1]!.id}`;
		const [{ expired }] = (await admin`select public.expire_offers() as expired`) as unknown as [
			{ expired: number }
		];
		expect(expired).toBeGreaterThanOrEqual(1);
		rows = await statuses(sessionId);
		expect(rows.map((r) => r.status)).toEqual(['cancelled', 'declined', 'offered']);
		const kinds =
			await admin`select kind from public.notifications where user_id = ${b.id} order by created_at`;
		expect(kinds.map((k) => k.kind)).toEqual(['waitlisted', 'place_offered', 'offer_expired']);
	});

	it('an offered place can be accepted', async () => {
		const sessionId = await newSession(admin, { capacity: 1, mode: 'offer' });
		const [a, b] = [await createUser(admin, 'acc.a'), await createUser(admin, 'acc.b')];
		const first = await book(a.id, sessionId);
		const second = await book(b.id, sessionId);
		await cancel(a.id, first.data!.id);
		const accepted = await as(api, user(b.id), async (tx) => {
			const [row] = await tx`select public.respond_to_offer(${second.data!.id}, true) as r`;
			return row!.r as Result;
		});
		expect(accepted).toMatchObject({ status: 'applied', data: { status: 'confirmed' } });
	});

	it('nobody can cancel or see another person’s booking', async () => {
		const sessionId = await newSession(admin);
		const [owner, other] = [await createUser(admin, 'owner'), await createUser(admin, 'other')];
		const booking = await book(owner.id, sessionId);
		await expect(cancel(other.id, booking.data!.id)).rejects.toMatchObject({ code: '22023' });
		const seen = await as(
			api,
			user(other.id),
			(tx) => tx`select id from public.bookings where id = ${booking.data!.id}`
		);
		expect(seen).toEqual([]);
		await expect(as(api, anon, (tx) => tx`select id from public.bookings`)).rejects.toMatchObject({
			code: '42501'
		});
		expect((await statuses(sessionId))[0]?.status).toBe('confirmed');
	});
});

describe('sessions', () => {
	it('capacity cannot be set below the places already taken', async () => {
		const sessionId = await newSession(admin, { capacity: 3 });
		for (const label of ['c1', 'c2']) await book((await createUser(admin, label)).id, sessionId);
		await expect(
			admin`update public.sessions set capacity = 1 where id = ${sessionId}`
		).rejects.toMatchObject({
			code: '23514'
		});
		await admin`update public.sessions set capacity = 2 where id = ${sessionId}`;
	});

	it('the joining link reaches confirmed bookers and trainers only', async () => {
		const sessionId = await newSession(admin, { capacity: 1 });
		const [confirmed, waiting, trainer] = [
			await createUser(admin, 'link.in'),
			await createUser(admin, 'link.wait'),
			await createUser(admin, 'link.trainer')
		];
		await book(confirmed.id, sessionId);
		await book(waiting.id, sessionId);
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer.id})`;
		const [{ join_url }] =
			(await admin`select join_url from public.sessions where id = ${sessionId}`) as unknown as [
				{ join_url: string }
			];
		const linksSeenBy = async (userId: string | null) => {
			const page = await as(api, userId ? user(userId) : anon, async (tx) => {
				const [row] = await tx`select public.sync_pull('', 5000) as page`;
				return row!.page as { changes: { entity: string; row: Record<string, unknown> | null }[] };
			});
			return page.changes
				.filter((c) => JSON.stringify(c.row ?? {}).includes(join_url))
				.map((c) => c.entity);
		};
		expect(await linksSeenBy(confirmed.id)).toEqual(['booking']);
		// the trainer has it with the assignment (and sees the confirmed booking on the register)
		expect(new Set(await linksSeenBy(trainer.id))).toEqual(
			new Set(['session_assignment', 'booking'])
		);
		expect(await linksSeenBy(waiting.id)).toEqual([]);
		expect(await linksSeenBy(null)).toEqual([]);
	});
});

describe('reminders', () => {
	it('the day before, each confirmed person is reminded once, with the joining link', async () => {
		const sessionId = await newSession(admin, { capacity: 5, mode: 'auto' });
		const me = await createUser(admin, 'remind');
		await book(me.id, sessionId);
		await admin`update public.sessions set starts_at = now() + interval '20 hours',
			ends_at = now() + interval '21 hours', booking_closes_at = now() + interval '19 hours'
			where id = ${sessionId}`;
		await admin`select public.send_session_reminders()`;
		await admin`select public.send_session_reminders()`;
		const reminders = await admin`
			select subject, body from public.notifications where user_id = ${me.id} and kind = 'reminder'`;
		expect(reminders).toHaveLength(1);
		expect(reminders[0]!.subject).toBe('Tomorrow: Test course');
		expect(reminders[0]!.body).toMatch(/Join online: https:\/\/teams\.example\/join\//);
	});

	it('7 days and 1 day before; a reminder whose day had passed when the place was booked is skipped', async () => {
		const sessionId = await newSession(admin, { capacity: 5, mode: 'auto' });
		const early = await createUser(admin, 'remind-early');
		const late = await createUser(admin, 'remind-late');
		await book(early.id, sessionId);
		await book(late.id, sessionId);
		// the session is in 12 days; the early booker booked 10 days before it, the late one 3
		await admin`update public.sessions set starts_at = now() + interval '12 days',
			ends_at = now() + interval '12 days 1 hour', booking_closes_at = now() + interval '11 days'
			where id = ${sessionId}`;
		await admin`update public.bookings set created_at = case user_id
				when ${early.id}::uuid then now() + interval '2 days' else now() + interval '9 days' end
			where session_id = ${sessionId}`;
		const subjectsAt = async (daysAhead: number) => {
			await admin`select public.send_session_reminders(now() + ${daysAhead} * interval '1 day')`;
			const rows = await admin`select u.label, n.subject from public.notifications n
				join (values (${early.id}::uuid, 'early'), (${late.id}::uuid, 'late')) u(id, label) on u.id = n.user_id
				where n.kind = 'reminder' order by n.created_at, u.label`;
			return rows.map((r) => `${r.label}: ${r.subject}`);
		};
		expect(await subjectsAt(4)).toEqual([]);
		expect(await subjectsAt(5.1)).toEqual(['early: In 7 days: Test course']);
		expect(await subjectsAt(9.5)).toEqual(['early: In 7 days: Test course']);
		expect(await subjectsAt(11.2)).toEqual([
			'early: In 7 days: Test course',
			'early: Tomorrow: Test course',
			'late: Tomorrow: Test course'
		]);
		expect(await subjectsAt(11.5)).toHaveLength(3);
	});

	it('on the days the partnership sets', async () => {
		const sessionId = await newSession(admin, { capacity: 5, mode: 'auto' });
		const me = await createUser(admin, 'remind-days');
		await book(me.id, sessionId); // booked 7 days before
		try {
			await admin`update public.app_settings set reminder_days = '{3}'`;
			await admin`select public.send_session_reminders(now() + interval '4 days 1 hour')`;
			const [reminder] = await admin`select subject from public.notifications
				where user_id = ${me.id} and kind = 'reminder'`;
			expect(reminder?.subject).toBe('In 3 days: Test course');
			await expect(admin`update public.app_settings set reminder_days = '{0}'`).rejects.toThrow(
				/app_settings_reminder_days_check/
			);
		} finally {
			await admin`update public.app_settings set reminder_days = '{7,1}'`;
		}
	});
});
