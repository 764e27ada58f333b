import * as v from 'valibot';
import { answerSchema } from '$lib/supabase';
import { adminCall, syncEngine } from '$lib/sync';

/** The register's calls to the SQL API that need a connection (marks themselves are queued). */

/** An admin reopens a closed register so marks can be changed again. */
export async function reopenRegister(sessionId: string) {
	await adminCall('admin_reopen_register', { p_session_id: sessionId }, v.unknown());
}

/**
 * Emails a message to everyone with a confirmed place on the session, through the outbox.
 * `id` is the message's own: sending it again never emails anyone twice.
 */
export function messageBooked(message: {
	id: string;
	session_id: string;
	subject: string;
	message: string;
}) {
	return syncEngine.call(
		'message_session',
		{ p_args: message },
		answerSchema(v.object({ sent: v.number() }))
	);
}
