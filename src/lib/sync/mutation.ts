import type { EntityName, SignedInUser, TrainingDatabase } from '$lib/data';

/**
 * What a feature declares to change data: the mutation's name (the server runs it in
 * apply_mutation), the entity it touches and its optimistic local effect. The sync engine
 * does the rest: outbox, ordering, retries, acknowledgement, undo on refusal.
 */
export interface MutationDefinition<Args extends Record<string, unknown>> {
	name: `${string}.${string}`;
	entity: EntityName;
	entityId: (args: Args, user: SignedInUser) => string;
	applyLocally: (database: TrainingDatabase, args: Args, user: SignedInUser) => Promise<unknown>;
	/** how the change is described to the user in the list of unsynced changes */
	describe: (args: Args) => string;
}

export function defineMutation<Args extends Record<string, unknown>>(
	definition: MutationDefinition<Args>
) {
	return definition;
}
