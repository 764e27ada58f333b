import { afterAll, describe, expect, it } from 'vitest';
import { anon, as, authenticator, createUser, superuser, user } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type MyData = {
	profile: { email: string; full_name: string | null };
	bookings: { id: string; status: string; attendance_marks: { status: string }[] }[];
	evaluations: { practice_change: string; ratings: { before: number; after: number }[] }[];
	walk_ins: { email: string }[];
	emails: { to: string }[];
};

const myData = (userId: string) =>
	as(api, user(userId), async (tx) => {
		const [row] = await tx`select public.my_data() as d`;
		return row!.d as MyData;
	});

describe('download my data', () => {
	it('holds everything about the caller and nothing about anyone else, whatever is passed', async () => {
		const [course] = await admin`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			values (${'test-mydata-' + crypto.randomUUID().slice(0, 8)}, 'My data test course', 'A course made by a test',
				'Testers', 'introductory', 'face_to_face', 60, array['Testing'], 'published', now())
			returning id`;
		const [outcome] = await admin`insert into public.learning_outcomes (course_id, position, text)
			values (${course!.id}, 1, 'Outcome one') returning id`;
		const [session] = await admin`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${course!.id}, now() - interval '3 hours', now() - interval '1 hour', 'Hall', 30, 'offer', now() - interval '1 day')
			returning id`;
		const me = await createUser(admin, 'mydata-me');
		const other = await createUser(admin, 'mydata-other');
		await admin`update public.profiles set full_name = 'Me Myself' where id = ${me.id}`;
		await admin`update public.profiles set full_name = 'Someone Else' where id = ${other.id}`;
		const bookings: Record<string, string> = {};
		for (const p of [me, other]) {
			const [b] = await admin`insert into public.bookings (session_id, user_id, status)
				values (${session!.id}, ${p.id}, 'confirmed') returning id`;
			bookings[p.id] = b!.id;
			await admin`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
				values (gen_random_uuid(), ${session!.id}, ${b!.id}, 'present', ${p.id}, now() - interval '2 hours', 'self_checkin')`;
			const [e] =
				await admin`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
				values (gen_random_uuid(), ${session!.id}, ${p.id}, 4, ${'Practice of ' + p.id}) returning id`;
			await admin`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
				values (${e!.id}, ${outcome!.id}, 2, 4)`;
		}
		// I walked in once before I had an account, under the same email
		await admin`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
			values (${session!.id}, 'Me Myself', ${me.email.toUpperCase()}, ${other.id})`;

		const mine = await myData(me.id);
		expect(mine.profile).toMatchObject({ email: me.email, full_name: 'Me Myself' });
		expect(mine.bookings.map((b) => b.id)).toEqual([bookings[me.id]]);
		expect(mine.bookings[0]!.attendance_marks).toEqual([
			expect.objectContaining({ status: 'present' })
		]);
		expect(mine.evaluations).toEqual([
			expect.objectContaining({
				practice_change: `Practice of ${me.id}`,
				ratings: [{ outcome: 'Outcome one', before: 2, after: 4 }]
			})
		]);
		expect(mine.walk_ins).toHaveLength(1);
		// nothing of the other person's anywhere in the document
		const text = JSON.stringify(mine);
		for (const secret of [other.id, other.email, 'Someone Else', bookings[other.id]!])
			expect(text).not.toContain(secret);

		// the function takes no arguments: the caller is auth.uid(), so no id can be forged
		await expect(
			as(api, user(me.id), (tx) => tx`select public.my_data(${other.id}::uuid)`)
		).rejects.toThrow(/function public.my_data\(uuid\) does not exist/);
		await expect(as(api, anon, (tx) => tx`select public.my_data()`)).rejects.toThrow(
			/permission denied/
		);
	});
});
