import {
	db,
	liveRows,
	liveView,
	type EvaluationDraft,
	type Session,
	type TrainingDatabase
} from '$lib/data';
import { outboxOf, signedInView, syncEngine } from '$lib/sync';
import { outcomesAt } from './draft';

/** The outcomes an evaluation of the session asks about: those current when it ran. */
export async function sessionOutcomes(database: TrainingDatabase, session: Session) {
	return outcomesAt(
		await database.learningOutcomes.where('course_id').equals(session.course_id).toArray(),
		session
	);
}

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

/** The session's context for whoever is signed in (without their rows while nobody is). */
export const evaluationContextView = (sessionId: () => string) =>
	liveRows(
		() => [sessionId(), syncEngine.user?.id] as const,
		([id, userId]) => evaluationContext(db, id, userId)
	);

/** A form left half filled in on this device; null when there is none. */
export async function storedDraft(database: TrainingDatabase, key: string) {
	return { draft: (await database.evaluationDrafts.get(key)) ?? null };
}
export const storedDraftView = liveView(storedDraft);

export function saveDraft(draft: EvaluationDraft) {
	return db.evaluationDrafts.put(draft);
}

export function removeDraft(key: string) {
	return db.evaluationDrafts.delete(key);
}

/** A session's learning outcomes, for the paper forms a trainer types in. */
export async function outcomesOfSession(database: TrainingDatabase, sessionId: string) {
	const session = await database.sessions.get(sessionId);
	return session ? sessionOutcomes(database, session) : [];
}
export const sessionOutcomesView = liveView(outcomesOfSession);

/** The paper forms of a session being typed in on this device. */
export function paperDrafts(database: TrainingDatabase, sessionId: string) {
	return database.evaluationDrafts
		.where('session_id')
		.equals(sessionId)
		.filter((d) => d.key.startsWith('paper:'))
		.toArray();
}
export const paperDraftsView = liveView(paperDrafts);

/** How many paper forms of a session the signed-in trainer has waiting to send. */
export async function paperFormsWaiting(
	database: TrainingDatabase,
	userId: string,
	sessionId: string
) {
	return (await outboxOf(database, userId)).filter(
		(e) => e.name === 'evaluation.submit_paper' && e.args.session_id === sessionId
	).length;
}
export const paperFormsWaitingView = signedInView(paperFormsWaiting);
