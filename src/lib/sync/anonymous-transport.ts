import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$env/static/public';
import type * as v from 'valibot';
import { httpRpc, httpTransport } from './http-transport';
import { checkedReply } from './transport';

/**
 * Pulls the public brochure for a visitor who is not signed in with plain requests to the
 * same RPC endpoint, so a first visit does not download supabase-js (54 KB gzip).
 */
export const anonymousTransport = httpTransport(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY);

const anonymousRpc = httpRpc(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY);

/** An RPC anyone may call (checking a certificate), without signing in; the reply is checked. */
export async function publicCall<S extends v.GenericSchema>(
	fn: string,
	args: Record<string, unknown>,
	reply: S
): Promise<v.InferOutput<S>> {
	return checkedReply(reply, await anonymousRpc(fn, args), fn);
}
