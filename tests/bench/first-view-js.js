// @ts-check
// Measures the JavaScript a first visit to the brochure downloads, gzip-compressed as a
// static host would serve it: what the page needs to render, and what loads after it.
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
		let rendered = false;
		page.on('response', async (response) => {
			const url = response.url();
			if (!url.endsWith('.js') || url.endsWith('/sw.js') || url.includes('workbox-')) return;
			const phase = rendered ? 'after render' : 'render';
			const body = await response.body().catch(() => Buffer.alloc(0));
			scripts.push({
				url: url.replace(/^https?:\/\/[^/]+/, ''),
				gzip: gzipSync(body, { level: 9 }).length,
				phase
			});
		});
		await page.goto(`http://127.0.0.1:${port}/`);
		// the first view: the brochure's courses on screen
		await page.getByRole('list', { name: 'Courses' }).waitFor();
		rendered = true;
		await page.waitForLoadState('networkidle');
		// the service worker registers a second after the first view, when the page is idle
		await sleep(3000);
		const total = (/** @type {string} */ phase) =>
			scripts.filter((s) => s.phase === phase).reduce((sum, s) => sum + s.gzip, 0);
		return { scripts, render: total('render'), afterRender: total('after render') };
	} finally {
		await browser.close();
		server.kill();
	}
}
