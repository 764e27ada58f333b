import { expect, test } from '@playwright/test';
import { database, expectAccessible, publishedCourseCount } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

test('the brochure lists the published courses from the server', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Safeguarding children training' })).toBeVisible();
	// every published course (the seed's 51, and any a test added), never a draft
	await expect(page.getByTestId('course-count')).toHaveText(
		`${await publishedCourseCount(sql)} courses`
	);
	const courses = page.getByRole('list', { name: 'Courses' });
	await expect(
		courses.getByRole('link', { name: 'Neglect: identification and response' })
	).toBeVisible();
	await expect(
		courses.getByRole('link', { name: 'Online harms and financially motivated sextortion' })
	).toHaveCount(0);
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

test('practitioners find a course by searching its learning outcomes and filtering', async ({
	page
}) => {
	await page.goto('/');
	const total = await publishedCourseCount(sql);
	await expect(page.getByTestId('course-count')).toHaveText(`${total} courses`);

	await page.getByLabel('Search courses').fill('DASH risk');
	await expect(page.getByTestId('course-count')).toHaveText(`1 of ${total} courses`);
	const courses = page.getByRole('list', { name: 'Courses' });
	await expect(courses.getByRole('link')).toHaveText(['Domestic abuse and its impact on children']);

	await page.getByLabel('Search courses').fill('');
	await page.getByText('Filter by theme, format, level and date').click();
	await page.getByLabel('Theme').selectOption('Neglect');
	await page.getByLabel('eLearning').check();
	await expect(courses.getByRole('link')).toHaveText([]);
	await expect(page.getByText('No courses match')).toBeVisible();
	await page.getByLabel('eLearning').uncheck();
	await page.getByLabel('Face to face').check();
	await expect(courses.getByRole('link')).toHaveText(['Neglect: identification and response']);
	await page.getByLabel('Only dates with places left').check();
	await expect(courses.getByRole('link')).toHaveText(['Neglect: identification and response']);
	await expectAccessible(page);

	const clear = page.getByRole('button', { name: 'Clear filters' });
	await clear.click();
	await expect(page.getByTestId('course-count')).toHaveText(`${total} courses`);
	// the panel stays open: the button that was pressed keeps the focus
	await expect(clear).toBeFocused();
});
