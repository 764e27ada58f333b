import { expect, test } from '@playwright/test';
import { database, publishedCourseCount } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

test('the brochure and a course page still render after going offline and reloading', async ({
	page,
	context
}) => {
	await page.goto('/');
	await expect(page.getByTestId('course-count')).toHaveText(
		`${await publishedCourseCount(sql)} courses`
	);
	// every page of the first pull is on the device (the brochure shows after the first page)
	await expect(page.getByTestId('connection-status')).toContainText('last synced');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// the first visit is controlled once the new worker claims the page
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('connection-status')).toContainText('Offline');
	await expect(page.getByTestId('course-count')).toHaveText(
		`${await publishedCourseCount(sql)} courses`
	);

	await page
		.getByRole('link', { name: 'Safeguarding infants and the Unborn Baby Protocol' })
		.click();
	// the course page's own address, so the reload opens it (not the brochure, whose cards
	// carry the same title)
	await expect(page).toHaveURL(/\/courses\/[^/]+$/);
	await page.reload();
	await expect(
		page.getByRole('heading', {
			level: 1,
			name: 'Safeguarding infants and the Unborn Baby Protocol'
		})
	).toBeVisible();
	await expect(page.getByTestId('learning-outcomes').getByRole('listitem')).toHaveCount(4);
	await context.setOffline(false);
});
