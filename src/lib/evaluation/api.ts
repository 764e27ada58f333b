import * as v from 'valibot';
import { syncEngine } from '$lib/sync';

/** The evaluation's calls to the SQL API that need a connection (answers themselves are queued). */

const Counts = v.record(v.string(), v.number());
const SessionResultsSchema = v.object({
	attended: v.number(),
	responses: v.number(),
	from_paper: v.number(),
	/** the smallest group a figure may describe */
	min_n: v.number(),
	/** false below min_n answers: only the counts above */
	shown: v.boolean(),
	overall_mean: v.nullable(v.number()),
	outcomes: v.array(
		v.object({
			outcome_id: v.string(),
			text: v.string(),
			n: v.number(),
			sum_before: v.number(),
			sum_after: v.number(),
			changes: Counts
		})
	),
	person_changes: Counts,
	practice_changes: v.array(v.string()),
	comments: v.array(v.string())
});
export type SessionResults = v.InferOutput<typeof SessionResultsSchema>;

/** A session's results for its trainers, worked out on the server from everyone's answers. */
export function sessionResults(sessionId: string) {
	return syncEngine.call('session_results', { p_session_id: sessionId }, SessionResultsSchema);
}
