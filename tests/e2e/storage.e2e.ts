import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

// Safari on an iPhone, which deletes a site's data after 7 days unused unless the app is on
// the Home Screen; the browser here is told to refuse persistent storage, as Safari does.
test.use({
	userAgent:
		'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
});

test('where the browser may wipe unused data, the status bar says so once and the profile says how to keep it', async ({
	page
}) => {
	await page.addInitScript(() => {
		Object.defineProperty(navigator.storage, 'persisted', { value: async () => false });
		Object.defineProperty(navigator.storage, 'persist', { value: async () => false });
	});
	await page.goto('/');
	const warning = page.getByTestId('storage-warning');
	await expect(warning).toContainText('if it is not opened for 7 days');
	await expectAccessible(page);

	await signIn(page, 'practitioner@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/profile');
	const note = page.getByTestId('storage-note');
	await expect(note).toContainText('if it is not opened for 7 days');
	await expect(page.getByText('Add to Home Screen')).toBeVisible();
	await expectAccessible(page);

	// hidden once, it stays hidden on this device
	await page.getByRole('button', { name: 'Hide this message' }).click();
	await expect(warning).toHaveCount(0);
	await page.reload();
	await expect(note).toBeVisible();
	await expect(warning).toHaveCount(0);
});
