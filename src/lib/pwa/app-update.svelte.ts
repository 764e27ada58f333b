import type { Workbox } from 'workbox-window';

/** The service worker: registered with workbox-window; a waiting update is offered, not forced. */
class AppUpdate {
	available = $state(false);
	#workbox: Workbox | undefined;
	#checkedAt = 0;

	/**
	 * Registers once the first view is on screen and the browser is idle, so the worker and
	 * its precache never compete with the brochure for bandwidth (first-view budget).
	 */
	registerWhenIdle() {
		const idle = (task: () => void) =>
			'requestIdleCallback' in window ? requestIdleCallback(task) : setTimeout(task, 200);
		// a second's grace lets the first view finish rendering what the first sync brought
		const start = () => setTimeout(() => idle(() => void this.register()), 1000);
		if (document.readyState === 'complete') start();
		else window.addEventListener('load', start, { once: true });
	}

	async register() {
		if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
		const { Workbox } = await import('workbox-window');
		const workbox = new Workbox('/sw.js', { scope: '/' });
		// also for a version found later in this page's life, which Workbox calls external
		workbox.addEventListener('waiting', () => (this.available = true));
		this.#workbox = workbox;
		await workbox.register();
	}

	/**
	 * Asks the server whether there is a new version (on navigation, and every half hour while
	 * the page is open), at most once a minute: an installed app left open for days still
	 * hears of an update. A version found is offered as ever.
	 */
	check(now = Date.now()) {
		if (!this.#workbox || now - this.#checkedAt < 60_000 || !navigator.onLine) return;
		this.#checkedAt = now;
		void this.#workbox.update().catch(() => {});
	}

	/** Activates the waiting version; the page reloads once it controls it. */
	apply() {
		if (!this.#workbox) return;
		navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
			once: true
		});
		this.#workbox.messageSkipWaiting();
	}
}

export const appUpdate = new AppUpdate();
