// Fault tests of the sync engine against the real local API and embedded PostgreSQL.
// A scripted wrapper is used only for what a real server cannot do on cue: lose a
// response after committing, or answer 500/503.
import postgres from 'postgres';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TrainingDatabase } from '$lib/data';
import { recordMutation } from '$lib/sync/outbox';
import { pullChanges } from '$lib/sync/pull';
import { pushOutbox } from '$lib/sync/push';
import { httpTransport } from '$lib/sync/http-transport';
import { SyncError, type MutationEnvelope, type SyncTransport } from '$lib/sync/transport';
import { ANON_KEY, apiUrl, newEmail, signIn } from './helpers';

const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${inject('dbPort')}/postgres`, {
	max: 2
});
afterAll(() => sql.end());

let device: TrainingDatabase;
beforeEach(() => {
	device = new TrainingDatabase(`faults-${crypto.randomUUID()}`);
});

async function signedInDevice(label: string) {
	const session = await signIn(newEmail(label));
	const transport = httpTransport(apiUrl(), ANON_KEY, () => session.access_token);
	const [agency] = await sql`select id from public.agencies order by name limit 1`;
	return { userId: session.user.id, transport, agencyId: agency!.id as string };
}

function queueProfile(userId: string, agencyId: string, fullName: string) {
	return recordMutation(device, {
		userId,
		name: 'profile.update',
		args: { full_name: fullName, agency_id: agencyId, job_role: 'Social worker' },
		entity: 'profile',
		entityId: userId,
		applyLocally: () =>
			device.profiles.put({
				id: userId,
				email: 'x',
				full_name: fullName,
				agency_id: agencyId,
				job_role: 'Social worker'
			})
	});
}

/** Runs pushes as the engine would: each time the earliest retry falls due. */
async function pushUntilEmpty(userId: string, transport: SyncTransport, start = 0) {
	let now = start;
	const waits: number[] = [];
	for (let round = 0; round < 20; round++) {
		try {
			await pushOutbox(device, transport, userId, { now: () => now, random: () => 0.5 });
		} catch (error) {
			if (!(error instanceof SyncError) || error.kind !== 'retry') throw error;
		}
		const waiting = (await device.outbox.toArray()).filter((e) => e.state === 'pending');
		if (waiting.length === 0) return waits;
		const next = Math.min(...waiting.map((e) => e.nextAttemptAt));
		waits.push(next - now);
		now = next;
	}
	throw new Error('the outbox never emptied');
}

describe('the server commits but the response is lost', () => {
	it('the client retries and the change takes effect exactly once', async () => {
		const { userId, transport, agencyId } = await signedInDevice('lost.response');
		const entry = await queueProfile(userId, agencyId, 'Once Only');
		let calls = 0;
		const losing: SyncTransport = {
			pull: transport.pull,
			async push(deviceId: string, mutations: MutationEnvelope[]) {
				calls++;
				const results = await transport.push(deviceId, mutations);
				if (calls === 1) throw new SyncError('retry', 'connection reset after the server answered');
				return results;
			}
		};
		await expect(pushOutbox(device, losing, userId, { now: () => 0 })).rejects.toThrow(
			'connection reset'
		);
		const [first] = await sql`select updated_at from public.profiles where id = ${userId}`;
		expect(await device.outbox.count()).toBe(1);

		await pushUntilEmpty(userId, losing, 0);
		expect(calls).toBe(2);
		const ledger = await sql`select id from public.sync_mutations where user_id = ${userId}`;
		expect(ledger.map((r) => r.id)).toEqual([entry.id]);
		// applying it a second time would have moved updated_at
		const [after] =
			await sql`select full_name, updated_at from public.profiles where id = ${userId}`;
		expect(after).toEqual({ full_name: 'Once Only', updated_at: first!.updated_at });
		expect(await device.outbox.count()).toBe(0);
	});
});

describe('500, 503 and network failures for a while', () => {
	it('are retried with growing waits, then everything is applied in order', async () => {
		const { userId, transport, agencyId } = await signedInDevice('flaky');
		const entries = [
			await queueProfile(userId, agencyId, 'First'),
			await queueProfile(userId, agencyId, 'Second'),
			await queueProfile(userId, agencyId, 'Third')
		];
		// a real network failure: nothing listens on this port
		const unreachable = httpTransport('http://127.0.0.1:9', ANON_KEY, () => 'token');
		const failures = [
			() => Promise.reject(new SyncError('retry', 'Service Unavailable', 503)),
			() => Promise.reject(new SyncError('retry', 'Internal Server Error', 500)),
			(d: string, m: MutationEnvelope[]) => unreachable.push(d, m)
		];
		const flaky: SyncTransport = {
			pull: transport.pull,
			push: (d, m) => (failures.shift() ?? transport.push)(d, m)
		};
		const waits = await pushUntilEmpty(userId, flaky);
		expect(waits).toHaveLength(3);
		expect(waits[1]).toBeGreaterThan(waits[0]!);
		expect(waits[2]).toBeGreaterThan(waits[1]!);
		const ledger = await sql`
			select id from public.sync_mutations where user_id = ${userId} order by received_at`;
		expect(ledger.map((r) => r.id)).toEqual(entries.map((e) => e.id));
		const [profile] = await sql`select full_name from public.profiles where id = ${userId}`;
		expect(profile?.full_name).toBe('Third');
		expect(await device.outbox.count()).toBe(0);
	});
});

describe('the server rejects a mutation as invalid', () => {
	it('it waits in needs-attention with the reason while the rest of the queue goes through', async () => {
		const { userId, transport, agencyId } = await signedInDevice('invalid');
		await queueProfile(userId, agencyId, 'Before');
		// an older app version without the length check queued this one
		const bad = await queueProfile(userId, agencyId, 'x'.repeat(250));
		await queueProfile(userId, agencyId, 'After');
		await pushOutbox(device, transport, userId);

		expect(await device.outbox.toArray()).toMatchObject([
			{ id: bad.id, state: 'attention', lastError: 'Full name must be 200 characters or fewer' }
		]);
		const [profile] = await sql`select full_name from public.profiles where id = ${userId}`;
		expect(profile?.full_name).toBe('After');
		// a retry asks the server again and gets the same recorded answer, not a new effect
		await device.outbox.update(bad.id, { state: 'pending', nextAttemptAt: 0 });
		await pushOutbox(device, transport, userId);
		expect((await device.outbox.get(bad.id))?.state).toBe('attention');
	});
});

describe('a user loses access to a row', () => {
	it('the row leaves the device on the next pull', async () => {
		const { userId, transport } = await signedInDevice('removed.trainer');
		await sql`insert into public.staff_roles (user_id, role) values (${userId}, 'trainer')`;
		const [session] = await sql`
			select s.id from public.sessions s join public.courses c on c.id = s.course_id
			where s.venue_name is not null and s.starts_at > now() and c.status = 'published' and s.status = 'scheduled'
			order by s.starts_at limit 1`;
		const booker = await signIn(newEmail('booker'));
		await sql`insert into public.session_trainers (session_id, trainer_id) values (${session!.id}, ${userId})`;
		const [booking] = await sql`
			insert into public.bookings (session_id, user_id, status) values (${session!.id}, ${booker.user.id}, 'confirmed')
			returning id`;

		await pullChanges(device, transport);
		expect(await device.bookings.get(booking!.id)).toMatchObject({ status: 'confirmed' });
		expect(await device.sessionAssignments.where('session_id').equals(session!.id).count()).toBe(1);

		await sql`delete from public.session_trainers where session_id = ${session!.id} and trainer_id = ${userId}`;
		await pullChanges(device, transport);
		expect(await device.bookings.get(booking!.id)).toBeUndefined();
		expect(await device.sessionAssignments.where('session_id').equals(session!.id).count()).toBe(0);
	});
});
