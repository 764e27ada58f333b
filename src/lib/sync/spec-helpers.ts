// Shared by the sync engine's specs: two users, a scripted server and a rename mutation.
import { type Profile, type TrainingDatabase } from '$lib/data';
import { defineMutation } from './mutation';
import { recordMutation } from './outbox';
import { applyPulledChanges } from './pull';
import type { MutationEnvelope, MutationResult, PullPage, SyncTransport } from './transport';

export const alice = { id: 'a0000000-0000-4000-8000-000000000001', email: 'alice@example.org' };
export const bob = { id: 'b0000000-0000-4000-8000-000000000002', email: 'bob@example.org' };

export function profile(user: { id: string; email: string }, fullName: string): Profile {
	return { id: user.id, email: user.email, full_name: fullName, agency_id: null, job_role: null };
}

/** A scripted server: each push answers from the queue of replies, recording what it got. */
export class ScriptedTransport implements SyncTransport {
	pushed: MutationEnvelope[][] = [];
	pulls: string[] = [];
	constructor(
		private replies: ((m: MutationEnvelope[]) => MutationResult[] | Error)[] = [],
		private pages: PullPage[] = []
	) {}
	async push(_device: string, mutations: MutationEnvelope[]) {
		this.pushed.push(mutations);
		const reply = (this.replies.shift() ?? applyAll)(mutations);
		if (reply instanceof Error) throw reply;
		return { results: reply, txid: '100' };
	}
	async pull(cursor: string) {
		this.pulls.push(cursor);
		return this.pages.shift() ?? { changes: [], cursor, more: false };
	}
}
export const applyAll = (ms: MutationEnvelope[]): MutationResult[] =>
	ms.map((m) => ({ id: m.id, status: 'applied' }));

export const rename = defineMutation<{ full_name: string }>({
	name: 'test.rename',
	entity: 'profile',
	entityId: (_, user) => user.id,
	applyLocally: (database, args, user) => database.profiles.put(profile(user, args.full_name)),
	describe: (args) => `Rename: ${args.full_name}`
});

export function saveName(db: TrainingDatabase, user: typeof alice, name: string) {
	const args = { full_name: name };
	return recordMutation(db, {
		userId: user.id,
		name: rename.name,
		args,
		entity: 'profile',
		entityId: user.id,
		applyLocally: (madeAt) => rename.applyLocally(db, args, user, madeAt)
	});
}

/** The server's copy of Alice's profile arriving in a pull. */
export const serverName = (db: TrainingDatabase, name: string) =>
	applyPulledChanges(db, [{ entity: 'profile', id: alice.id, row: { ...profile(alice, name) } }]);

export const shownName = async (db: TrainingDatabase) =>
	(await db.profiles.get(alice.id))?.full_name;
