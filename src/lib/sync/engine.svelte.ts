import { db, getMeta, setMeta, type SignedInUser, type TrainingDatabase } from '$lib/data';
import { endSession, storedSessionUser } from './auth';
import { pullChanges, recordSyncTime, resetPullCursor } from './pull';
import { pushOutbox } from './push';
import { anonymousTransport } from './anonymous-transport';
import { supabaseTransport } from './supabase-transport';
import { SyncError, type SyncTransport } from './transport';

const USER_KEY = 'signed-in-user';
const LAST_SYNC_KEY = 'last-synced-at';
const TIMER_MS = 60_000;

/**
 * Keeps the device copy and the server in step: pushes the outbox, then pulls, at start,
 * after each local write, on `online`, when the page becomes visible and on a timer while
 * visible. One tab at a time does the work (Web Locks).
 */
export class SyncEngine {
	online = $state(true);
	syncing = $state(false);
	lastSyncedAt = $state.raw<string | null>(null);
	lastError = $state.raw<string | null>(null);
	/** undefined until read from the device */
	user = $state.raw<SignedInUser | null | undefined>(undefined);

	#running: Promise<void> | null = null;
	#again = false;
	#timer: ReturnType<typeof setInterval> | undefined;

	/** signedIn carries the user's session; anonymous serves visitors without loading it */
	constructor(
		private readonly database: TrainingDatabase,
		private readonly transports: { signedIn: SyncTransport; anonymous: SyncTransport }
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
		this.#timer = setInterval(() => {
			if (document.visibilityState === 'visible') wake();
		}, TIMER_MS);
		void navigator.storage?.persist?.();
		return this.requestSync();
	}

	stop() {
		clearInterval(this.#timer);
	}

	/** Starts a sync, or one more after the current one if it is already running. */
	requestSync(): Promise<void> {
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
		const previous = this.user;
		if (previous?.id !== user.id) {
			await this.database.transaction(
				'rw',
				[this.database.profiles, this.database.staffRoles, this.database.meta],
				async () => {
					await this.database.profiles.clear();
					await this.database.staffRoles.clear();
					await resetPullCursor(this.database);
					await setMeta(this.database, USER_KEY, user);
				}
			);
		}
		this.user = user;
		await this.requestSync();
	}

	/** Ends the session. The caller has already warned about unsynced changes. */
	async signOut() {
		await endSession();
		await this.database.transaction(
			'rw',
			[this.database.profiles, this.database.staffRoles, this.database.meta],
			async () => {
				await this.database.profiles.clear();
				await this.database.staffRoles.clear();
				await resetPullCursor(this.database);
				await this.database.meta.delete(USER_KEY);
			}
		);
		this.user = null;
		void this.requestSync();
	}

	async #syncOnce() {
		if (!navigator.onLine) {
			this.online = false;
			return;
		}
		this.syncing = true;
		try {
			await withPushLock(async () => {
				const user = this.user ? await storedSessionUser() : null;
				const transport = user ? this.transports.signedIn : this.transports.anonymous;
				// Never push one user's outbox under another user's session.
				if (this.user && user?.id === this.user.id) {
					await pushOutbox(this.database, transport, user.id);
				}
				await pullChanges(this.database, transport);
			});
			this.lastSyncedAt = await recordSyncTime(this.database, LAST_SYNC_KEY);
			this.lastError = null;
		} catch (error) {
			this.lastError =
				error instanceof SyncError && error.kind === 'auth'
					? 'Your sign-in has expired. Sign in again to send your changes.'
					: 'Could not reach the server. Your changes are saved on this device.';
		} finally {
			this.syncing = false;
		}
	}
}

async function withPushLock(work: () => Promise<void>) {
	if (!navigator.locks) return work();
	await navigator.locks.request('hscp-training-sync', work);
}

export const syncEngine = new SyncEngine(db, {
	signedIn: supabaseTransport,
	anonymous: anonymousTransport
});
