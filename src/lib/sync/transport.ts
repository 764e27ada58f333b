import type { EntityName } from '$lib/data';

export interface PulledChange {
	entity: EntityName | string;
	id: string;
	/** null: the row was deleted or the caller may no longer read it */
	row: Record<string, unknown> | null;
}

export interface PullPage {
	changes: PulledChange[];
	cursor: string;
	more: boolean;
}

export interface MutationEnvelope {
	id: string;
	seq: number;
	name: string;
	args: Record<string, unknown>;
}

export interface ServerError {
	code: string;
	message: string;
	details: string | null;
	hint: string | null;
}

export type MutationResult =
	| { id: string; status: 'applied'; data?: unknown }
	| { id: string; status: 'rejected'; reason: string }
	/** a malformed mutation without a usable id is answered by its place in the batch */
	| { id: string | null; index?: number; status: 'invalid'; error: ServerError };

/**
 * How a failed call should be handled (docs/architecture.md, sync guarantee 4): `retry` network errors and 5xx with
 * backoff; `auth` refresh the session and continue; `refused` the server will not take it.
 */
export type FailureKind = 'retry' | 'auth' | 'refused';

export class SyncError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly status = 0,
		readonly code = ''
	) {
		super(message);
		this.name = 'SyncError';
	}
}

/** Classifies an HTTP status and PostgREST error code. */
export function failureKind(status: number, code = ''): FailureKind {
	if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
	if (status === 401 && code !== '42501') return 'auth';
	if (code.startsWith('PGRST30')) return 'auth';
	return 'refused';
}

/** What the engine needs from the server; the Supabase client is one implementation. */
export interface SyncTransport {
	pull(cursor: string, limit: number): Promise<PullPage>;
	push(deviceId: string, mutations: MutationEnvelope[]): Promise<MutationResult[]>;
}
