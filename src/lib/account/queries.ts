import { db, liveView, type SignedInUser, type TrainingDatabase } from '$lib/data';
import { outboxOf, signedInView, syncEngine } from '$lib/sync';

/** The signed-in person's profile; null until they have one on this device. */
export async function myProfile(database: TrainingDatabase, userId: string) {
	return (await database.profiles.get(userId)) ?? null;
}

/** The signed-in person's staff roles; null when they hold none. */
export async function myRoles(database: TrainingDatabase, userId: string) {
	return (await database.staffRoles.get(userId)) ?? null;
}

/** Every agency, by name. */
export async function agenciesByName(database: TrainingDatabase) {
	return (await database.agencies.toArray()).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/** How many changes other people who used this device have waiting on it. */
export function othersWaiting(database: TrainingDatabase, userId: string) {
	return database.outbox.filter((e) => e.userId !== userId).count();
}

// the live views pages and components hold
export const myProfileView = signedInView(myProfile);
export const myRolesView = signedInView(myRoles);
/** the signed-in person's changes waiting on this device, oldest first */
export const myOutboxView = signedInView(outboxOf);
export const outboxView = liveView(outboxOf);
export const othersWaitingView = liveView(othersWaiting);
export const agenciesView = liveView(agenciesByName);

/**
 * After a successful sign-in: the device now belongs to this person (another's data is
 * forgotten, their first sync starts). Their profile, if the device has it yet.
 */
export async function beginSession(user: SignedInUser) {
	await syncEngine.signedIn(user);
	return myProfile(db, user.id);
}
