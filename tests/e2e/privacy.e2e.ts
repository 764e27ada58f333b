import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { database, expectAccessible, newPractitioner } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

test('anyone reaches the privacy notice from every page’s footer', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice' }).click();
	await expect(page).toHaveURL(/\/privacy$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Your rights' })).toBeVisible();
	await expectAccessible(page);
});

test('a practitioner downloads everything held about them as JSON, and only their own', async ({
	page,
	context
}) => {
	const me = await newPractitioner(page, 'my.data', sql);
	const [other] = await sql`select email, full_name from public.profiles
		where email = 'practitioner@demo.hscp.example'`;
	await page.goto('/profile');
	await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
	await expectAccessible(page);

	// offline it says why it cannot, and keeps the page as it was
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Download your data (JSON)' }).click();
	await expect(page.getByRole('alert')).toContainText('You are offline');
	await context.setOffline(false);

	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download your data (JSON)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^hscp-training-my-data-\d{4}-\d{2}-\d{2}\.json$/);
	const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
	expect(data.profile).toMatchObject({
		email: me.email,
		full_name: 'my.data first name',
		job_role: 'Health visitor',
		agency: 'Solent NHS Trust'
	});
	expect(data.changes_sent_from_devices.length).toBeGreaterThan(0);
	const text = JSON.stringify(data);
	expect(text).not.toContain(other!.email);
	expect(text).not.toContain(other!.full_name);
	await expect(page.getByRole('status').filter({ hasText: 'Saved as' })).toBeVisible();
	await expectAccessible(page);
});

test('a practitioner deletes their account: details gone from the server and the device', async ({
	page,
	context
}) => {
	const me = await newPractitioner(page, 'delete.me', sql);
	await page.goto('/profile');
	await page.getByRole('link', { name: 'Delete your account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Delete your account' })).toBeVisible();
	await expectAccessible(page);

	// offline: refused with the reason, in a focused error summary
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Delete my account' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('You are offline');
	await expectAccessible(page);
	await context.setOffline(false);

	await page.getByRole('button', { name: 'Delete my account' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Your account has been deleted' })
	).toBeVisible();
	await expectAccessible(page);
	const [profile] =
		await sql`select email, full_name, job_role from public.profiles where id = ${me.id}`;
	expect(profile).toMatchObject({ full_name: null, job_role: null });
	expect(profile!.email).toMatch(/@deleted\.invalid$/);
	// signed out on this device, with nothing of theirs left in its database
	await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
	const left = await page.evaluate(async () => {
		const open = indexedDB.open('hscp-training');
		const database = await new Promise<IDBDatabase>(
			(resolve) => (open.onsuccess = () => resolve(open.result))
		);
		const count = (store: string) =>
			new Promise<number>((resolve) => {
				const request = database.transaction(store).objectStore(store).count();
				request.onsuccess = () => resolve(request.result);
			});
		return { profiles: await count('profiles'), bookings: await count('bookings') };
	});
	expect(left).toEqual({ profiles: 0, bookings: 0 });
});
