import type { Workbox } from 'workbox-window';

/** The service worker: registered with workbox-window; a waiting update is offered, not forced. */
class AppUpdate {
	available = $state(false);
	#workbox: Workbox | undefined;

	async register() {
		if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
		const { Workbox } = await import('workbox-window');
		const workbox = new Workbox('/sw.js', { scope: '/' });
		workbox.addEventListener('waiting', () => (this.available = true));
		workbox.addEventListener('controlling', (event) => {
			if (event.isUpdate) window.location.reload();
		});
		this.#workbox = workbox;
		await workbox.register();
	}

	/** Activates the waiting version; the page reloads once it controls it. */
	apply() {
		this.#workbox?.messageSkipWaiting();
	}
}

export const appUpdate = new AppUpdate();
