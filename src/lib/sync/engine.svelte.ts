import { db, getMeta, setMeta, type SignedInUser, type TrainingDatabase } from '$lib/data';
import type { RpcCall } from '$lib/supabase';
import { anonymousTransport } from './anonymous-transport';
import type { SessionState } from './auth';
import { backoffDelay } from './backoff';
import type { MutationDefinition } from './mutation';
import { pullChanges, recordSyncTime, resetPullCursor } from './pull';
import type { pushOutbox, settleSentChanges } from './push';
import { USER_KEY, forgetPersonalData, rebaseAll } from './rebase';
import { SyncError, type SyncTransport } from './transport';

const LAST_SYNC_KEY = 'last-synced-at';
/** a full sync (push, pull and the features' reads) while the page is visible */
const TIMER_MS = 60_000;
/** a pull while the page is visible and no Realtime signal is connected */
const LIVE_MS = 10_000;
/** while Realtime is connected, a pull this often anyway, in case a signal was missed */
const LIVE_WITH_SIGNAL_MS = 60_000;

/** The parts of syncing that carry a user's session. */
export interface SignedInSync {
	transport: SyncTransport;
	current: () => Promise<SessionState>;
	refresh: () => Promise<SessionState>;
	push: typeof pushOutbox;
	settle: typeof settleSentChanges;
	/** calls an RPC with the user's session; throws SyncError */
	call: RpcCall;
	/**
	 * Listens for a signal that something the user may read has changed (Supabase Realtime),
	 * telling whether it is connected; returns how to stop listening.
	 */
	watch: (onSignal: () => void, onConnected: (connected: boolean) => void) => () => void;
}

export type { RpcCall };

/**
 * Extra reads after each signed-in pull, for data a feature downloads on its own terms
 * (a trainer's registers). A step that fails makes the sync retry like any other failure.
 */
export type PullStep = (database: TrainingDatabase, call: RpcCall, userId: string) => Promise<void>;

export interface SyncEngineOptions {
	/** pulls for a visitor who is not signed in */
	anonymous: SyncTransport;
	/** loaded on first use, so visitors never download supabase-js */
	signedIn: () => Promise<SignedInSync>;
	endSession: () => Promise<void>;
}

/**
 * Keeps the device copy and the server in step: pushes the outbox, then pulls, at start,
 * after each local write, on `online`, when the page becomes visible, on a timer while
 * visible and when a backed-off retry falls due. One tab at a time does the work (Web
 * Locks), so two open tabs never send the same mutation twice.
 */
export class SyncEngine {
	online = $state(true);
	syncing = $state(false);
	lastSyncedAt = $state.raw<string | null>(null);
	lastError = $state.raw<string | null>(null);
	/** the session ended (refresh token refused): changes wait until this user signs in */
	needsSignIn = $state(false);
	/**
	 * Whether the browser keeps this device's data until the app removes it ('persisted'), or
	 * may clear it (refused: under storage pressure, and on iPhone and iPad after 7 days
	 * unused unless the app is installed). Unknown until asked, or where it cannot be asked.
	 */
	storage = $state<'persisted' | 'refused' | 'unknown'>('unknown');
	/** undefined until read from the device */
	user = $state.raw<SignedInUser | null | undefined>(undefined);

	#running: Promise<void> | null = null;
	#again = false;
	#timer: ReturnType<typeof setInterval> | undefined;
	#retryTimer: ReturnType<typeof setTimeout> | undefined;
	/** syncs that failed in a row, for backing off when the server itself is failing */
	#failures = 0;
	#pullSteps: PullStep[] = [];
	#liveTimer: ReturnType<typeof setInterval> | undefined;
	/** the next sync must be a full one (not only a live pull) */
	#fullWanted = true;
	#lastFullAt = 0;
	#lastPullAt = 0;
	/** stops the Realtime listener, and whose it is */
	#watching: { userId: string; stop: () => void } | null = null;
	#signalConnected = false;

	constructor(
		private readonly database: TrainingDatabase,
		private readonly options: SyncEngineOptions
	) {}

	/** Resolves when the first sync has finished (or could not reach the server). */
	async start() {
		this.online = navigator.onLine;
		this.user = (await getMeta<SignedInUser>(this.database, USER_KEY)) ?? null;
		this.lastSyncedAt = (await getMeta<string>(this.database, LAST_SYNC_KEY)) ?? null;
		const wake = () => void this.requestSync();
		window.addEventListener('online', () => {
			this.online = true;
			wake();
		});
		window.addEventListener('offline', () => (this.online = false));
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') wake();
		});
		window.addEventListener('focus', wake);
		this.#timer = setInterval(() => {
			if (document.visibilityState === 'visible') wake();
		}, TIMER_MS);
		// live while open: a light pull on a short interval, or Realtime's signal
		this.#liveTimer = setInterval(() => {
			if (document.visibilityState !== 'visible') return;
			const since = Date.now() - this.#lastPullAt;
			if (this.#signalConnected && since < LIVE_WITH_SIGNAL_MS - LIVE_MS) return;
			void this.requestSync({ live: true });
		}, LIVE_MS);
		void this.#askToKeepData();
		return this.requestSync();
	}

	async #askToKeepData() {
		const storage = navigator.storage;
		if (!storage?.persist) return;
		try {
			this.storage =
				(await storage.persisted?.()) || (await storage.persist()) ? 'persisted' : 'refused';
		} catch {
			this.storage = 'unknown';
		}
	}

	stop() {
		clearInterval(this.#timer);
		clearInterval(this.#liveTimer);
		clearTimeout(this.#retryTimer);
		this.#stopWatching();
	}

	/** Adds a read that runs after every signed-in pull. */
	addPullStep(step: PullStep) {
		if (!this.#pullSteps.includes(step)) this.#pullSteps.push(step);
	}

	/** Calls an RPC now with the signed-in user's session (for reads a feature needs at once). */
	call: RpcCall = async (fn, args, reply) => {
		const signedIn = await this.options.signedIn();
		return signedIn.call(fn, args, reply);
	};

	/** Makes a change: applied on the device at once, queued, and sent when possible. */
	async mutate<Args extends Record<string, unknown>>(
		definition: MutationDefinition<Args>,
		args: Args
	) {
		const user = this.user;
		if (!user) throw new Error('Sign in to make this change');
		const { recordMutation } = await import('./outbox');
		await recordMutation(this.database, {
			userId: user.id,
			name: definition.name,
			args,
			description: definition.describe(args),
			entity: definition.entity,
			entityId: definition.entityId(args, user),
			applyLocally: (madeAt) => definition.applyLocally(this.database, args, user, madeAt)
		});
		void this.requestSync();
	}

	/** Puts a change that needed attention back in the queue and tries to send it now. */
	async retryChange(id: string) {
		const { retryEntry } = await import('./outbox');
		await retryEntry(this.database, id);
		await this.requestSync();
	}

	/** Deletes a change the user has chosen not to send. */
	async removeChange(id: string) {
		const { removeEntry } = await import('./outbox');
		await removeEntry(this.database, id);
	}

	/** The user's unsynced changes as a JSON document to keep or hand over. */
	async exportChanges(userId: string) {
		const { exportOutbox } = await import('./outbox');
		return exportOutbox(this.database, userId);
	}

	/**
	 * Starts a sync, or one more after the current one if it is already running. `live`: only
	 * the push and the pull are needed (a timer or a signal), not the features' reads.
	 */
	requestSync({ live = false }: { live?: boolean } = {}): Promise<void> {
		if (!live) this.#fullWanted = true;
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			do {
				this.#again = false;
				await this.#syncOnce();
			} while (this.#again);
		})().finally(() => (this.#running = null));
		return this.#running;
	}

	/** After a successful sign-in: the device now belongs to this user. */
	async signedIn(user: SignedInUser) {
		// a sync still running for the previous identity must not write after the switch
		await this.#running?.catch(() => {});
		if (this.user?.id !== user.id) {
			this.#stopWatching();
			await this.#forgetPersonalData(() => setMeta(this.database, USER_KEY, user));
			// their changes still waiting on this device show again at once
			await rebaseAll(this.database);
		}
		this.user = user;
		this.needsSignIn = false;
		await this.requestSync();
	}

	/**
	 * Ends the session. The caller has already warned about unsynced changes; they stay on
	 * the device and are sent when this user signs in again, never under another account.
	 */
	async signOut() {
		this.#stopWatching();
		await this.#running?.catch(() => {});
		await this.options.endSession();
		await this.#forgetPersonalData(() => this.database.meta.delete(USER_KEY));
		this.user = null;
		this.needsSignIn = false;
		void this.requestSync();
	}

	async #forgetPersonalData(then: () => Promise<unknown>) {
		await forgetPersonalData(this.database, async () => {
			await resetPullCursor(this.database);
			await then();
		});
	}

	async #syncOnce() {
		if (!navigator.onLine) {
			this.online = false;
			return;
		}
		this.syncing = true;
		const full = this.#fullWanted || Date.now() - this.#lastFullAt >= TIMER_MS;
		this.#fullWanted = false;
		try {
			await withPushLock(() => this.#pushThenPull(full));
			this.#lastPullAt = Date.now();
			if (full) this.#lastFullAt = this.#lastPullAt;
			this.lastSyncedAt = await recordSyncTime(this.database, LAST_SYNC_KEY);
			this.lastError = null;
			this.#failures = 0;
		} catch (error) {
			this.#failures++;
			if (full) this.#fullWanted = true;
			this.lastError =
				error instanceof SyncError && error.kind === 'auth'
					? 'Your sign-in has expired. Sign in again to send your changes.'
					: 'Could not reach the server. Your changes are saved on this device.';
		} finally {
			this.syncing = false;
			await this.#scheduleRetry();
		}
	}

	async #pushThenPull(full: boolean) {
		const { anonymous } = this.options;
		if (!this.user) return void (await pullChanges(this.database, anonymous));

		const signedIn = await this.options.signedIn();
		let state = await signedIn.current();
		if (state.status === 'unreachable') {
			throw new SyncError('retry', 'Could not refresh the session');
		}
		// Never push one user's outbox under another user's session.
		if (state.status === 'signed-out' || state.user.id !== this.user.id) {
			this.needsSignIn = true;
			this.#stopWatching();
			return void (await pullChanges(this.database, anonymous));
		}
		let sent = 0;
		try {
			sent = await signedIn.push(this.database, signedIn.transport, this.user.id);
		} catch (error) {
			if (!(error instanceof SyncError && error.kind === 'auth')) throw error;
			// the server refused the access token: refresh it once, then carry on
			state = await signedIn.refresh();
			if (state.status !== 'signed-in' || state.user.id !== this.user.id) {
				if (state.status === 'signed-out') this.needsSignIn = true;
				throw error;
			}
			sent = await signedIn.push(this.database, signedIn.transport, this.user.id);
		}
		const { horizon } = await pullChanges(this.database, signedIn.transport, this.user.id);
		// the features' reads follow a full sync, and any push the server took (a register mark
		// is confirmed by the register's download)
		if (full || sent > 0) {
			for (const step of this.#pullSteps) await step(this.database, signedIn.call, this.user.id);
			await signedIn.settle(this.database, horizon);
		}
		this.#watch(signedIn, this.user.id);
	}

	/** Listens for Realtime's signal for this user, once; a signal asks for a live pull. */
	#watch(signedIn: SignedInSync, userId: string) {
		if (this.#watching?.userId === userId) return;
		this.#stopWatching();
		const stop = signedIn.watch(
			() => void this.requestSync({ live: true }),
			(connected) => (this.#signalConnected = connected)
		);
		this.#watching = { userId, stop };
	}

	#stopWatching() {
		this.#watching?.stop();
		this.#watching = null;
		this.#signalConnected = false;
	}

	/** Wakes up when the earliest backed-off entry falls due (going online wakes it too). */
	async #scheduleRetry() {
		clearTimeout(this.#retryTimer);
		if (!this.user || this.needsSignIn || !navigator.onLine) return;
		const { nextAttemptAt } = await import('./outbox');
		const due = await nextAttemptAt(this.database, this.user.id);
		if (due === null) return;
		const delay = Math.max(
			due - Date.now(),
			this.#failures ? backoffDelay(this.#failures) : 0,
			250
		);
		this.#retryTimer = setTimeout(() => void this.requestSync(), delay);
	}
}

async function withPushLock(work: () => Promise<void>) {
	if (!navigator.locks) return work();
	await navigator.locks.request('hscp-training-sync', work);
}

export const syncEngine = new SyncEngine(db, {
	anonymous: anonymousTransport,
	signedIn: () => import('./signed-in').then((m) => m.signedInSync),
	endSession: () => import('./auth').then((m) => m.endSession())
});
