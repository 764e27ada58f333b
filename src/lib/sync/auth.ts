import type { SignedInUser } from '$lib/data';
import { getSupabase } from '$lib/supabase';

/** A sign-in step failed; `message` is written for the person signing in. */
export class SignInError extends Error {
	constructor(
		message: string,
		readonly field: 'email' | 'code' | null
	) {
		super(message);
		this.name = 'SignInError';
	}
}

interface AuthFailure {
	code?: string;
	status?: number;
	message: string;
	name?: string;
}

function explain(error: AuthFailure, step: 'send' | 'verify'): SignInError {
	if (error.name === 'AuthRetryableFetchError' || error.status === 0 || !navigator.onLine) {
		return new SignInError(
			'You appear to be offline. Connect to the internet to sign in; the brochure still works offline.',
			null
		);
	}
	if (error.code === 'otp_expired') {
		return new SignInError(
			'The code is wrong or has expired. Check the latest email, or ask for a new code.',
			'code'
		);
	}
	if (error.code === 'validation_failed' && step === 'send') {
		return new SignInError(
			'Enter an email address in the correct format, like name@example.org',
			'email'
		);
	}
	if (error.code === 'over_email_send_rate_limit') {
		return new SignInError(
			'Too many codes were asked for. Wait a minute, then try again.',
			'email'
		);
	}
	return new SignInError(`Sign-in failed: ${error.message}`, null);
}

export async function sendSignInCode(email: string) {
	const supabase = await getSupabase();
	const { error } = await supabase.auth.signInWithOtp({
		email,
		options: { shouldCreateUser: true }
	});
	if (error) throw explain(error, 'send');
}

export async function verifySignInCode(email: string, code: string): Promise<SignedInUser> {
	const supabase = await getSupabase();
	const { data, error } = await supabase.auth.verifyOtp({ email, token: code, type: 'email' });
	if (error) throw explain(error, 'verify');
	const user = data.user;
	if (!user?.email) throw new SignInError('Sign-in failed: the server returned no user.', null);
	return { id: user.id, email: user.email };
}

export type SessionState =
	| { status: 'signed-in'; user: SignedInUser }
	| { status: 'signed-out' }
	/** the access token has expired and the server could not be reached to refresh it */
	| { status: 'unreachable' };

interface SessionAnswer {
	data: { session: { user: { id: string; email?: string } } | null };
	error: { name: string } | null;
}

function sessionState({ data, error }: SessionAnswer): SessionState {
	if (error) {
		return error.name === 'AuthRetryableFetchError'
			? { status: 'unreachable' }
			: { status: 'signed-out' };
	}
	const user = data.session?.user;
	return user?.email
		? { status: 'signed-in', user: { id: user.id, email: user.email } }
		: { status: 'signed-out' };
}

/**
 * The session to sync under. An expired access token (a device offline for days) is
 * refreshed here, before anything is pushed; a refresh token the server no longer accepts
 * ends the session and the user must sign in again.
 */
export async function sessionForSync(): Promise<SessionState> {
	const supabase = await getSupabase();
	return sessionState(await supabase.auth.getSession());
}

/** Asks for a new access token after the server refused the current one. */
export async function refreshSession(): Promise<SessionState> {
	const supabase = await getSupabase();
	return sessionState(await supabase.auth.refreshSession());
}

/** Ends the session on this device; with scope 'local' this works offline too. */
export async function endSession() {
	const supabase = await getSupabase();
	await supabase.auth.signOut({ scope: 'local' });
}
