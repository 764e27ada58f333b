import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

test('the brochure lists the published courses from the server', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Safeguarding children training' })).toBeVisible();
	// 15 brochure courses and 36 Webinar Wednesday webinars are published; 3 drafts are not
	await expect(page.getByTestId('course-count')).toHaveText('51 courses');
	const courses = page.getByRole('list', { name: 'Courses' });
	await expect(
		courses.getByRole('link', { name: 'Neglect: identification and response' })
	).toBeVisible();
	await expect(courses.getByRole('link', { name: /Online harms/ })).toHaveCount(0);
	await expectAccessible(page);
});

test('a course page shows its learning outcomes and upcoming dates in UK time', async ({
	page
}) => {
	await page.goto('/');
	await page.getByRole('link', { name: 'Neglect: identification and response' }).click();
	await expect(page).toHaveURL(/\/courses\/neglect-identification-and-response$/);
	await expect(page).toHaveTitle('Neglect: identification and response – HSCP Training');
	const outcomes = page.getByTestId('learning-outcomes').getByRole('listitem');
	await expect(outcomes).toHaveCount(4);
	await expect(outcomes.first()).toHaveText(
		'Recognise the signs and cumulative impact of neglect on children of different ages'
	);
	const sessions = page.getByTestId('upcoming-sessions').getByRole('listitem');
	await expect(sessions).toHaveCount(2);
	await expect(sessions.first()).toContainText(/9:30am to 4:30pm (GMT|BST)/);
	await expectAccessible(page);
});

test('an unknown course says so instead of showing a blank page', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByTestId('course-count')).toBeVisible();
	await page.goto('/courses/no-such-course');
	await expect(page.getByRole('heading', { name: 'Course not found' })).toBeVisible();
	await expectAccessible(page);
});
