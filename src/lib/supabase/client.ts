import { PUBLIC_SUPABASE_ANON_KEY, PUBLIC_SUPABASE_URL } from '$env/static/public';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';

let client: Promise<SupabaseClient<Database>> | undefined;

/**
 * The one Supabase client, loaded on first use so the first brochure view does not pay for
 * supabase-js. `db.retry: false`: offline calls must fail fast, the sync engine retries.
 */
export function getSupabase(): Promise<SupabaseClient<Database>> {
	client ??= import('@supabase/supabase-js').then(({ createClient }) =>
		createClient<Database>(PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY, {
			db: { retry: false },
			auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false }
		})
	);
	return client;
}
