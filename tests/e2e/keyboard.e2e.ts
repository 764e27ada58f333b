import { expect, test } from '@playwright/test';
import { expectAccessible, readSignInCode, uniqueEmail } from './helpers';

test('signing in and saving a profile work with the keyboard alone', async ({ page }) => {
	const email = uniqueEmail('keyboard');
	await page.goto('/');
	await expect(page.getByTestId('course-count')).toBeVisible();

	// the first Tab reaches the skip link, which moves focus to the main content
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('#main-content')).toBeFocused();

	await page.getByRole('link', { name: 'Sign in' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('What is your work email address?')).toBeVisible();
	await page.getByLabel('What is your work email address?').focus();
	await page.keyboard.type(email);
	await page.keyboard.press('Enter');

	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Enter the 6-digit code')).toBeFocused();
	await page.keyboard.type(await readSignInCode(email));
	await page.keyboard.press('Enter');

	await expect(page.getByRole('heading', { name: 'Tell us about yourself' })).toBeVisible();
	await page.getByLabel('Full name').focus();
	await page.keyboard.type('Kim Keyboard');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Agency')).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Job role')).toBeFocused();
	await page.keyboard.type('Youth worker');
	await page.keyboard.press('Enter');
	await expect(page.getByText('Your profile is saved')).toBeVisible();
	await expectAccessible(page);
});

test('the local mailbox page is accessible', async ({ page }) => {
	await page.goto('http://127.0.0.1:55321/mailbox');
	await expect(page.getByRole('heading', { name: 'Local mailbox' })).toBeVisible();
	await expectAccessible(page);
});
