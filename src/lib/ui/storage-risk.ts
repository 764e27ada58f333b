/**
 * Whether this browser wipes a site's stored data after some days without a visit: Safari,
 * and every browser on iPhone and iPad (all are Safari underneath), delete it after 7 days
 * unused, unless the app has been added to the Home Screen. Elsewhere, data the browser
 * would not promise to keep goes only when the device runs short of space.
 */
export function wipesUnusedData(nav: Navigator = navigator, installed = isInstalled()) {
	if (installed) return false;
	const ua = nav.userAgent;
	const iOS = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && nav.maxTouchPoints > 1);
	const safari = /Safari\//.test(ua) && !/Chrome\/|Chromium\/|Edg\//.test(ua);
	return iOS || safari;
}

/** opened from the Home Screen or as an installed app */
export function isInstalled() {
	return (
		matchMedia('(display-mode: standalone)').matches ||
		(navigator as Navigator & { standalone?: boolean }).standalone === true
	);
}

const SEEN = 'hscp-storage-warning-hidden';

/** The status bar says it once: until the person hides it on this device. */
export const storageWarning = {
	hidden: () => localStorage.getItem(SEEN) === '1',
	hide: () => localStorage.setItem(SEEN, '1')
};
