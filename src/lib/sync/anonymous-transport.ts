import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$env/static/public';
import { httpTransport } from './http-transport';

/**
 * Pulls the public brochure for a visitor who is not signed in with plain requests to the
 * same RPC endpoint, so a first visit does not download supabase-js (54 KB gzip).
 */
export const anonymousTransport = httpTransport(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY);
