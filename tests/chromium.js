// @ts-check
// Debian's Chromium, started as the project's machines need it: the background-networking
// flags stop it flooding the closed network with refused connections. Shared by the e2e
// suite and the benchmarks; no test ever downloads a browser.
export const chromiumLaunchOptions = {
	executablePath: '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--disable-quic'
	]
};
