import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

function wednesdayWeeksAhead(weeks: number) {
	const d = new Date();
	d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
	return d.toISOString().slice(0, 10);
}

test('an admin creates a Webinar Wednesday and it appears in the brochure', async ({ page }) => {
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.getByRole('link', { name: 'Your profile' }).click();
	await page.getByRole('link', { name: 'Create a Webinar Wednesday' }).click();
	await expect(page.getByRole('heading', { name: 'New Webinar Wednesday' })).toBeVisible();

	// nothing filled in: every problem is listed and focused
	await page.getByRole('button', { name: 'Create and publish' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link', { name: 'Enter the theme of the day' })).toBeVisible();
	await expectAccessible(page);

	const theme = `Digital safety ${crypto.randomUUID().slice(0, 6)}`;
	await page.getByLabel('Date').fill(wednesdayWeeksAhead(14));
	await page.getByLabel('Theme of the day').fill(theme);
	for (const n of [1, 2, 3]) {
		const group = page.getByRole('group', { name: `Webinar ${n}` });
		await group.getByLabel('Title').fill(`${theme}: part ${n}`);
		await group.getByLabel('Summary').fill(`Part ${n} of the day on digital safety.`);
		await group.getByLabel('Joining link').fill(`https://teams.example/join/online-harms-${n}`);
		await group
			.getByLabel('Learning outcomes')
			.fill(`Recognise online harm ${n}\nRespond to online harm ${n}`);
	}
	await page.getByRole('button', { name: 'Create and publish' }).click();
	await expect(page.getByText(`Webinar Wednesday on ${theme} created and published.`)).toBeVisible({
		timeout: 15_000
	});

	await page.getByRole('link', { name: 'See Webinar Wednesdays' }).click();
	await expect(page.getByRole('heading', { name: theme })).toBeVisible({ timeout: 15_000 });
	await page.getByRole('link', { name: 'Courses' }).click();
	await page.getByLabel('Search courses').fill(theme);
	await expect(page.getByRole('list', { name: 'Courses' }).getByRole('link')).toHaveCount(3);
});
