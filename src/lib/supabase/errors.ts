import * as v from 'valibot';

/**
 * How a failed call should be handled (docs/architecture.md, sync guarantee 4): `retry` network
 * errors and 5xx with backoff; `auth` refresh the session and continue; `refused` the server
 * will not take it.
 */
export type FailureKind = 'retry' | 'auth' | 'refused';

/**
 * The one error of the SQL API: how to handle it, the HTTP status, the SQLSTATE or PostgREST
 * code, and the server's details (for an admin form, the field it names). Callers decide on
 * `kind` and `code`, never on the message, which is written for people.
 */
export class SyncError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly status = 0,
		readonly code = '',
		readonly details: string | null = null
	) {
		super(message);
		this.name = 'SyncError';
	}

	/** the form field an admin function named as wrong (its error's details) */
	get field() {
		return this.details;
	}
}

/** Classifies an HTTP status and PostgREST error code. */
export function failureKind(status: number, code = ''): FailureKind {
	if (status === 0 || status >= 500 || status === 408 || status === 429) return 'retry';
	if (status === 401 && code !== '42501') return 'auth';
	if (code.startsWith('PGRST30')) return 'auth';
	return 'refused';
}

/** Checks a reply against its schema; a reply of another shape is a server fault, retried. */
export function checkedReply<S extends v.GenericSchema>(
	schema: S,
	reply: unknown,
	what: string
): v.InferOutput<S> {
	const checked = v.safeParse(schema, reply);
	if (checked.success) return checked.output;
	const issue = checked.issues[0];
	const where = issue ? v.getDotPath(issue) : null;
	throw new SyncError(
		'retry',
		`The server's answer to ${what} was not understood${where ? ` (at ${where})` : ''}: ${issue?.message ?? 'unknown shape'}`,
		0,
		'reply_shape'
	);
}
