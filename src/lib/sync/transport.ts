import * as v from 'valibot';
import { SyncError, checkedReply, failureKind, type FailureKind } from '$lib/supabase/errors';

export { SyncError, checkedReply, failureKind, type FailureKind };

/** One entry of a pull. row null: the row was deleted or the caller may no longer read it. */
const PulledChangeSchema = v.object({
	entity: v.string(),
	id: v.string(),
	row: v.nullable(v.record(v.string(), v.unknown()))
});

/** horizon: the oldest transaction still running when the page was read (absent from older servers) */
export const PullPageSchema = v.object({
	changes: v.array(PulledChangeSchema),
	cursor: v.string(),
	more: v.boolean(),
	horizon: v.optional(v.pipe(v.string(), v.regex(/^\d{1,20}$/)))
});

export type PulledChange = v.InferOutput<typeof PulledChangeSchema>;
export type PullPage = v.InferOutput<typeof PullPageSchema>;

export interface MutationEnvelope {
	id: string;
	seq: number;
	name: string;
	args: Record<string, unknown>;
}

const ServerErrorSchema = v.object({
	code: v.string(),
	message: v.string(),
	details: v.nullish(v.string(), null),
	hint: v.nullish(v.string(), null)
});
export type ServerError = v.InferOutput<typeof ServerErrorSchema>;

/**
 * The server's answer for one mutation: applied; rejected by a business rule the user must
 * hear; invalid (it raised; a malformed mutation without a usable id is answered by its
 * place in the batch); conflict (the id was already used for other content, which comes
 * back as `stored`); expired (older than the ledger keeps: not applied again).
 */
export const MutationResultSchema = v.variant('status', [
	v.object({ id: v.string(), status: v.literal('applied'), data: v.optional(v.unknown()) }),
	v.object({ id: v.string(), status: v.literal('rejected'), reason: v.string() }),
	v.object({
		id: v.nullable(v.string()),
		index: v.optional(v.number()),
		status: v.literal('invalid'),
		error: ServerErrorSchema
	}),
	v.object({
		id: v.string(),
		status: v.literal('conflict'),
		reason: v.string(),
		stored: v.object({
			name: v.string(),
			args: v.nullable(v.record(v.string(), v.unknown())),
			received_at: v.string()
		})
	}),
	v.object({ id: v.string(), status: v.literal('expired'), reason: v.string() })
]);
export type MutationResult = v.InferOutput<typeof MutationResultSchema>;

/** txid: the push's transaction, which a pull must pass before its changes count as pulled */
export const PushReplySchema = v.object({
	results: v.array(MutationResultSchema),
	txid: v.optional(v.pipe(v.string(), v.regex(/^\d{1,20}$/)))
});
export type PushReply = v.InferOutput<typeof PushReplySchema>;

/** What the engine needs from the server; the Supabase client is one implementation. */
export interface SyncTransport {
	pull(cursor: string, limit: number): Promise<PullPage>;
	push(deviceId: string, mutations: MutationEnvelope[]): Promise<PushReply>;
}
