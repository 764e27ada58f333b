import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

test('an address that is no page gets GOV.UK’s page not found, with a title and a way on', async ({
	page
}) => {
	await page.goto('/no-such-page');
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(page).toHaveTitle('Page not found – HSCP Training');
	await expect(page.getByText('If you typed the web address, check it is correct.')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'browse the training courses' }).click();
	await expect(page).toHaveURL(/\/$/);
});

test('moving to another page puts keyboard focus on its heading, also when the heading waits for data', async ({
	page
}) => {
	await signIn(page, 'practitioner@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	// by keyboard, from the header: a page whose heading is there at once
	await page.getByRole('link', { name: 'Webinars', exact: true }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: 'Webinar Wednesdays' })).toBeFocused();
	// the next Tab continues from the heading, not from the top of the page
	await page.keyboard.press('Tab');
	const skipLink = page.getByRole('link', { name: 'Skip to main content' });
	await expect(skipLink).not.toBeFocused();

	await page.getByRole('link', { name: 'My training', exact: true }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: 'My training' })).toBeFocused();
});

test('the footer links to an accessibility statement in GDS’s form, with how to report a problem', async ({
	page
}) => {
	await page.goto('/');
	// the prerendered page has hydrated: the link is followed by the app, not by a new page load
	await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
	await page
		.getByRole('contentinfo')
		.getByRole('link', { name: 'Accessibility statement' })
		.click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Accessibility statement for HSCP Training' })
	).toBeFocused();
	await expect(page).toHaveTitle('Accessibility statement – HSCP Training');
	for (const section of [
		'How accessible this website is',
		'Feedback and contact information',
		'Reporting accessibility problems with this website',
		'Enforcement procedure',
		'Technical information about this website’s accessibility',
		'Non-accessible content',
		'Preparation of this accessibility statement'
	])
		await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
	await expect(page.getByText('This website is partially compliant')).toBeVisible();
	const report = page.getByRole('link', { name: 'training@hscp-training.localhost' }).nth(1);
	await expect(report).toHaveAttribute(
		'href',
		/^mailto:training@hscp-training\.localhost\?subject=/
	);
	await expectAccessible(page);
});
