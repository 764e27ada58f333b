import type { Evaluation, Followup, OutcomeRating } from '$lib/data';
import { defineMutation } from '$lib/sync';

interface SubmitArgs extends Record<string, unknown> {
	id: string;
	session_id: string;
	overall: number;
	practice_change: string;
	comments: string | null;
	ratings: OutcomeRating[];
	title: string;
}

/** An attendee's own evaluation: one immutable submission, sent when there is signal. */
export const submitEvaluation = defineMutation<SubmitArgs>({
	name: 'evaluation.submit',
	entity: 'evaluation',
	entityId: (args) => args.id,
	applyLocally: async (database, args, user, madeAt) => {
		const evaluation: Evaluation = {
			id: args.id,
			session_id: args.session_id,
			user_id: user.id,
			overall: args.overall,
			practice_change: args.practice_change,
			comments: args.comments,
			submitted_at: madeAt,
			from_paper: false,
			ratings: args.ratings
		};
		await database.evaluations.put(evaluation);
	},
	describe: (args) => `Evaluation: ${args.title}`
});

/**
 * An evaluation from a paper form, typed in by a trainer. The draft it came from is removed
 * when it is queued and put back if the server refuses it.
 */
export const submitPaperEvaluation = defineMutation<SubmitArgs & { draft_key: string }>({
	name: 'evaluation.submit_paper',
	entity: 'evaluation_draft',
	entityId: (args) => args.draft_key,
	applyLocally: (database, args) => database.evaluationDrafts.delete(args.draft_key),
	describe: (args) => `Paper evaluation: ${args.title}`
});

/** The answer to a follow-up. */
export const submitFollowup = defineMutation<{
	followup_id: string;
	applied: NonNullable<Followup['applied']>;
	example: string | null;
	barriers: string | null;
	ratings: { outcome_id: string; now: number }[];
	title: string;
}>({
	name: 'followup.submit',
	entity: 'followup',
	entityId: (args) => args.followup_id,
	applyLocally: (database, args, _user, madeAt) =>
		database.followups.update(args.followup_id, {
			submitted_at: madeAt,
			applied: args.applied,
			example: args.example,
			barriers: args.barriers,
			ratings: args.ratings
		}),
	describe: (args) => `Follow-up: ${args.title}`
});
