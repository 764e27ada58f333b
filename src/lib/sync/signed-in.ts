// What syncing needs once someone is signed in: supabase-js for the session and the
// pushes. Loaded on demand so a visitor reading the brochure never downloads it.
import { refreshSession, sessionForSync } from './auth';
import { pushOutbox, settleSentChanges } from './push';
import { watchChanges } from './realtime';
import { callRpc } from '$lib/supabase';
import { supabaseTransport } from './supabase-transport';
import type { SignedInSync } from './engine.svelte';

export const signedInSync: SignedInSync = {
	transport: supabaseTransport,
	current: sessionForSync,
	refresh: refreshSession,
	push: pushOutbox,
	settle: settleSentChanges,
	call: callRpc,
	watch: watchChanges
};
