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
