import { afterAll, describe, expect, it } from 'vitest';
import { as, authenticator, createUser, superuser, user, type Actor } from './helpers';

const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));

type Change = { entity: string; id: string; row: Record<string, unknown> | null };
async function pull(actor: Actor, cursor = '') {
	return as(api, actor, async (tx) => {
		const [row] = await tx`select public.sync_pull(${cursor}, 5000) as page`;
		return row!.page as { changes: Change[]; cursor: string };
	});
}

async function trainerWithBookedSession() {
	const trainer = await createUser(admin, 'trainer');
	const practitioner = await createUser(admin, 'booker');
	await admin`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	const [session] =
		await admin`select id from public.sessions where venue_name is not null limit 1`;
	const [assignment] = await admin`
		insert into public.session_trainers (session_id, trainer_id) values (${session!.id}, ${trainer.id})
		returning id`;
	const [booking] = await admin`
		insert into public.bookings (session_id, user_id, status) values (${session!.id}, ${practitioner.id}, 'confirmed')
		returning id`;
	return {
		trainer,
		practitioner,
		sessionId: session!.id as string,
		assignmentId: assignment!.id as string,
		bookingId: booking!.id as string
	};
}

describe('a user loses access to a row', () => {
	it('a trainer removed from a session gets tombstones for its bookings and the assignment', async () => {
		const { trainer, sessionId, assignmentId, bookingId } = await trainerWithBookedSession();
		const before = await pull(user(trainer.id));
		expect(before.changes.find((c) => c.id === bookingId)?.row).toMatchObject({ id: bookingId });
		expect(before.changes.find((c) => c.id === assignmentId)?.row).toMatchObject({
			session_id: sessionId
		});

		await admin`delete from public.session_trainers where id = ${assignmentId}`;

		const after = await pull(user(trainer.id), before.cursor);
		expect(after.changes.filter((c) => c.id === bookingId).map((c) => c.row)).toEqual([null]);
		expect(after.changes.filter((c) => c.id === assignmentId).map((c) => c.row)).toEqual([null]);
	});

	it('a trainer added to a session later receives the bookings made before', async () => {
		const { trainer, practitioner, sessionId, assignmentId, bookingId } =
			await trainerWithBookedSession();
		await admin`delete from public.session_trainers where id = ${assignmentId}`;
		const { cursor } = await pull(user(trainer.id));
		await admin`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer.id})`;
		const after = await pull(user(trainer.id), cursor);
		expect(after.changes.find((c) => c.id === bookingId)?.row).toMatchObject({
			user_id: practitioner.id
		});
	});

	it('a trainer of another session and another practitioner never hear of the booking', async () => {
		const { bookingId } = await trainerWithBookedSession();
		const otherTrainer = await createUser(admin, 'other.trainer');
		await admin`insert into public.staff_roles (user_id, role) values (${otherTrainer.id}, 'trainer')`;
		const otherPractitioner = await createUser(admin, 'other.practitioner');
		for (const actor of [user(otherTrainer.id), user(otherPractitioner.id)]) {
			const { changes } = await pull(actor);
			expect(changes.some((c) => c.id === bookingId)).toBe(false);
		}
	});

	it('the practitioner keeps seeing their own booking throughout', async () => {
		const { practitioner, assignmentId, bookingId } = await trainerWithBookedSession();
		await admin`delete from public.session_trainers where id = ${assignmentId}`;
		const { changes } = await pull(user(practitioner.id));
		expect(changes.find((c) => c.id === bookingId)?.row).toMatchObject({ status: 'confirmed' });
	});
});
