import { expect, test } from '@playwright/test';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { expectAccessible } from './helpers';

// These tests reach into the device's IndexedDB with Dexie added as a script tag, which the
// app's Content Security Policy rightly refuses; csp.e2e.ts checks the policy itself.
test.use({ bypassCSP: true });

test('the web app manifest makes the app installable', async ({ page, request }) => {
	// the page as served fetches nothing beside its first paint: its icon is data, and the
	// manifest and the home-screen icon are linked once the app starts
	const served = await (await request.get('/')).text();
	expect(served).toMatch(
		/<link\s+rel="icon"\s+type="image\/svg\+xml"\s+href="data:image\/svg\+xml,/
	);
	expect(served).not.toContain('rel="manifest"');
	await page.goto('/');
	await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
		'href',
		/icon-192\.png$/
	);
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	const manifest = await (await request.get(href!)).json();
	expect(manifest).toMatchObject({
		name: 'HSCP Training',
		start_url: '/',
		display: 'standalone',
		lang: 'en-GB'
	});
	const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
	for (const icon of manifest.icons as { src: string; sizes: string }[]) {
		const response = await request.get(icon.src);
		expect(response.headers()['content-type']).toBe('image/png');
		// PNG header: width and height as big-endian integers at bytes 16 and 20
		const png = await response.body();
		expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
	}
});

test('a new version is offered with a prompt and applied on reload, keeping the outbox', async ({
	page
}) => {
	const swPath = 'build-e2e/sw.js';
	const original = await readFile(swPath, 'utf8');
	try {
		await page.goto('/');
		await expect(page.getByTestId('course-count')).toBeVisible();
		// the service worker registers only once the first sync has answered and the page is idle
		// (first-view budget), and precaches the whole app before it takes control
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await expect
			.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
			.toBe(true);
		await expect(page.getByRole('region', { name: 'Update available' })).toHaveCount(0);
		// a change waiting on this device (for an account not signed in here, so it stays)
		await page.addScriptTag({ path: 'node_modules/dexie/dist/dexie.js' });
		const waiting = await page.evaluate(async () => {
			const { Dexie } = window as unknown as { Dexie: typeof import('dexie').Dexie };
			const db = new Dexie('hscp-training');
			await db.open();
			const id = crypto.randomUUID();
			await db.table('outbox').add({
				id,
				seq: 1,
				userId: crypto.randomUUID(),
				state: 'pending',
				entity: 'profile',
				entityId: id
			});
			db.close();
			return id;
		});

		// a new deployment: the service worker script changes, and the app, left open, hears of
		// it when the user moves to another page
		await appendFile(swPath, '\n// next release\n');
		await page.getByRole('link', { name: 'Webinars', exact: true }).click();
		await expect(page).toHaveURL(/\/webinar-wednesdays$/);

		const prompt = page.getByRole('region', { name: 'Update available' });
		await expect(prompt).toBeVisible({ timeout: 10_000 });
		await expectAccessible(page);
		// the offer stays on screen from page to page until taken
		await page.getByRole('link', { name: 'Courses', exact: true }).click();
		await expect(prompt).toBeVisible();
		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload to update' }).click()
		]);
		await expect(page.getByTestId('course-count')).toBeVisible();
		await expect(page.getByRole('region', { name: 'Update available' })).toHaveCount(0);
		const kept = await page.evaluate(
			(id) =>
				new Promise((resolve) => {
					const open = indexedDB.open('hscp-training');
					open.onsuccess = () => {
						const get = open.result.transaction('outbox').objectStore('outbox').get(id);
						get.onsuccess = () => resolve(get.result?.id);
					};
				}),
			waiting
		);
		expect(kept).toBe(waiting);
	} finally {
		await writeFile(swPath, original);
	}
});
