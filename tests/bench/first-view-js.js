// @ts-check
// Measures the JavaScript a first visit to the brochure downloads, gzip-compressed as a
// static host would serve it. The brochure is prerendered, so it is readable before any
// script runs; counted against the budget is every script requested until the page has
// hydrated (the layout's `performance.mark('hydrated')`), and reported beside it what loads after.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium.js';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** @param {string} buildDir @param {number} port */
export async function measureFirstViewJs(buildDir, port) {
	const server = spawn('node', ['tests/static-server.js', buildDir, String(port)], {
		stdio: 'ignore'
	});
	await sleep(500);
	const browser = await chromium.launch(chromiumLaunchOptions);
	try {
		const page = await browser.newPage();
		/** @type {{ url: string, gzip: number, phase: 'render' | 'after render' }[]} */
		const scripts = [];
		/** @type {Map<string, number>} gzip size by address */
		const sizes = new Map();
		page.on('response', async (response) => {
			const url = response.url();
			if (!url.endsWith('.js') || url.endsWith('/sw.js') || url.includes('workbox-')) return;
			const body = await response.body().catch(() => Buffer.alloc(0));
			sizes.set(url, gzipSync(body, { level: 9 }).length);
		});
		await page.goto(`http://127.0.0.1:${port}/`);
		// the first view: the brochure's courses on screen and the page hydrated
		await page.getByRole('list', { name: 'Courses' }).waitFor();
		await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
		await page.waitForLoadState('networkidle');
		// the service worker registers a second after the first view, when the page is idle
		await sleep(3000);
		// which scripts were requested before the page had hydrated, by the page's own clock
		const timings = await page.evaluate(() => ({
			hydrated: performance.getEntriesByName('hydrated')[0]?.startTime ?? Infinity,
			requests: performance
				.getEntriesByType('resource')
				.map((e) => ({ url: e.name, start: e.startTime }))
		}));
		const startOf = new Map(timings.requests.map((r) => [r.url, r.start]));
		for (const [url, gzip] of sizes) {
			const start = startOf.get(url) ?? Infinity;
			scripts.push({
				url: url.replace(/^https?:\/\/[^/]+/, ''),
				gzip,
				phase: start < timings.hydrated ? 'render' : 'after render'
			});
		}
		const total = (/** @type {string} */ phase) =>
			scripts.filter((s) => s.phase === phase).reduce((sum, s) => sum + s.gzip, 0);
		return { scripts, render: total('render'), afterRender: total('after render') };
	} finally {
		await browser.close();
		server.kill();
	}
}
