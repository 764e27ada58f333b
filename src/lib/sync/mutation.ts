import type { EntityName, SignedInUser, TrainingDatabase } from '$lib/data';

/**
 * What a feature declares to change data: the mutation's name (the server runs it in
 * apply_mutation), the one row it touches and its optimistic local effect. The sync engine
 * does the rest: outbox, ordering, retries, acknowledgement, and replaying the effect on
 * top of the server's row until the server has confirmed it (rebase.ts).
 */
export interface MutationDefinition<Args extends Record<string, unknown>> {
	name: `${string}.${string}`;
	entity: EntityName;
	entityId: (args: Args, user: SignedInUser) => string;
	/**
	 * Changes only the row (entity, entityId), and the same way each time it runs: it is
	 * replayed whenever the server's copy of that row changes. `madeAt` is when the user
	 * made the change.
	 */
	applyLocally: (
		database: TrainingDatabase,
		args: Args,
		user: SignedInUser,
		madeAt: string
	) => Promise<unknown>;
	/** how the change is described to the user in the list of unsynced changes */
	describe: (args: Args) => string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of every args shape
type AnyMutation = MutationDefinition<any>;

const registry = new Map<string, AnyMutation>();

/** Declares a mutation and registers it, so a change waiting in the outbox can be replayed. */
export function defineMutation<Args extends Record<string, unknown>>(
	definition: MutationDefinition<Args>
) {
	// the latest definition of a name wins (a module reloaded in development defines it again)
	registry.set(definition.name, definition);
	return definition;
}

/** The registered definition of a mutation, or undefined if no loaded feature defines it. */
export function mutationNamed(name: string): AnyMutation | undefined {
	return registry.get(name);
}

/** How a change is described to the user, from its name and args (the name if unknown). */
export function describeChange(name: string, args: Record<string, unknown> | null) {
	const definition = registry.get(name);
	if (!definition || !args) return name;
	try {
		return definition.describe(args);
	} catch {
		return name;
	}
}

/** The fields two versions of a change differ in, by name. */
export function differingFields(
	mine: Record<string, unknown>,
	theirs: Record<string, unknown> | null
) {
	const other = theirs ?? {};
	const names = new Set([...Object.keys(mine), ...Object.keys(other)]);
	return [...names].filter((n) => JSON.stringify(mine[n]) !== JSON.stringify(other[n])).sort();
}
