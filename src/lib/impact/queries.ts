import { signedInView } from '$lib/sync';
import type { TrainingDatabase } from '$lib/data';

/** What the report's filters offer: agencies by name, courses, and the person's own roles. */
export async function filterOptions(database: TrainingDatabase, userId: string) {
	return {
		agencies: await database.agencies.orderBy('name').toArray(),
		courses: await database.courses.toArray(),
		roles: (await database.staffRoles.get(userId))?.roles
	};
}

/** the filters' options, read again once the session is known (null while signed out) */
export const filterOptionsView = signedInView(filterOptions);
