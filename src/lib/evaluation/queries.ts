import type { TrainingDatabase } from '$lib/data';
import { sessionOutcomes } from './draft';

/** What the evaluation, certificate and follow-up pages need about one session. */
export async function evaluationContext(
	database: TrainingDatabase,
	sessionId: string,
	userId: string | undefined
) {
	const session = await database.sessions.get(sessionId);
	const course = session ? await database.courses.get(session.course_id) : undefined;
	if (!session || !course) return null;
	const [outcomes, bookings, evaluations, followups, profile] = await Promise.all([
		sessionOutcomes(database, session),
		database.bookings.where('session_id').equals(sessionId).toArray(),
		database.evaluations.where('session_id').equals(sessionId).toArray(),
		database.followups.where('session_id').equals(sessionId).toArray(),
		userId ? database.profiles.get(userId) : undefined
	]);
	const mine = <T extends { user_id: string | null }>(rows: T[]) =>
		rows.find((r) => r.user_id === userId);
	const booking = bookings
		.filter((b) => b.user_id === userId)
		.sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
	return {
		session,
		course,
		outcomes,
		booking,
		evaluation: mine(evaluations),
		followup: mine(followups),
		profile
	};
}

export type EvaluationContext = NonNullable<Awaited<ReturnType<typeof evaluationContext>>>;
