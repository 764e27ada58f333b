import { getSupabase } from '$lib/supabase';

/** After Realtime fails to connect, how long to go on polling before trying it again. */
const RETRY_MS = 5 * 60_000;

/**
 * Supabase Realtime's signal that the change log moved for something the user may read:
 * change_log is in the `supabase_realtime` publication, and Realtime checks each change
 * against the subscriber's Row Level Security (the same audiences sync_pull hands out). The
 * signal carries nothing the app uses; it only asks for a pull. Where Realtime is absent
 * (the local stand-in) the channel fails, the engine keeps polling, and it is tried again
 * after a while rather than reconnecting in a loop.
 */
export function watchChanges(onSignal: () => void, onConnected: (connected: boolean) => void) {
	let stopped = false;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let leave: (() => Promise<unknown>) | undefined;

	async function join() {
		const supabase = await getSupabase();
		if (stopped) return;
		const channel = supabase
			.channel(`changes:${crypto.randomUUID()}`)
			.on('postgres_changes', { event: '*', schema: 'public', table: 'change_log' }, onSignal);
		leave = () => supabase.removeChannel(channel);
		channel.subscribe((status) => {
			onConnected(status === 'SUBSCRIBED');
			if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
				void leave?.();
				leave = undefined;
				if (!stopped) retry = setTimeout(() => void join(), RETRY_MS);
			}
		});
	}

	void join().catch(() => onConnected(false));
	return () => {
		stopped = true;
		clearTimeout(retry);
		onConnected(false);
		void leave?.();
	};
}
