import type { Workbox } from 'workbox-window';

/** The service worker: registered with workbox-window; a waiting update is offered, not forced. */
class AppUpdate {
	available = $state(false);
	#workbox: Workbox | undefined;

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
