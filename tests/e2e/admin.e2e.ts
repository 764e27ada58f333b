import { expect, test } from '@playwright/test';
import { API_PORT } from '../../playwright.config';
import { database, expectAccessible, newPractitioner, signIn } from './helpers';

function wednesdayWeeksAhead(weeks: number) {
	const d = new Date();
	d.setUTCDate(d.getUTCDate() + ((3 - d.getUTCDay() + 7) % 7) + 7 * weeks);
	return d.toISOString().slice(0, 10);
}

test('an admin creates a Webinar Wednesday and it appears in the brochure', async ({ page }) => {
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.getByRole('link', { name: 'Your profile' }).click();
	await page.getByRole('link', { name: 'Sessions, bookings and Webinar Wednesdays' }).click();
	await expect(page.getByTestId('admin-sessions')).toBeVisible();
	await expectAccessible(page);
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

test('an admin sees who is booked on a session and cancels it; everyone booked is told', async ({
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const sql = database();
	const practitionerContext = await browser.newContext();
	const adminContext = await browser.newContext();
	try {
		const [session] = await sql`
			select s.id, c.slug, c.title from public.sessions s join public.courses c on c.id = s.course_id
			where c.slug = 'harmful-sexual-behaviour' and s.status = 'scheduled'
			order by s.starts_at desc limit 1`;
		const practitionerPage = await practitionerContext.newPage();
		const booker = await newPractitioner(practitionerPage, 'to.be.told', sql);
		await practitionerPage.goto(`/courses/${session!.slug}`);
		await practitionerPage
			.getByRole('button', { name: /^Book a place/ })
			.last()
			.click();
		await expect(practitionerPage.getByTestId('booking-status').last()).toHaveText('Booked', {
			timeout: 15_000
		});

		const page = await adminContext.newPage();
		await signIn(page, 'admin@demo.hscp.example');
		await expect(page).toHaveURL(/\/$/);
		await page.goto(`/admin/sessions/${session!.id}`);
		const booked = page.getByRole('table', { name: /^Booked/ });
		await expect(booked).toContainText('to.be.told first name', { timeout: 15_000 });
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Cancel the session' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
			'Enter the reason people will be told'
		);
		await page.getByLabel('Reason').fill('The trainer is unwell; we will run it again soon.');
		await page.getByRole('button', { name: 'Cancel the session' }).click();
		await page.getByRole('button', { name: 'Yes, cancel the session' }).click();
		await expect(
			page.getByText(/Session cancelled\. \d+ (person has|people have) been emailed\./)
		).toBeVisible();

		await expect
			.poll(
				async () => {
					const response = await fetch(
						`http://127.0.0.1:${API_PORT}/mailbox/messages?to=${encodeURIComponent(booker.email)}`
					);
					return ((await response.json()) as { subject: string }[]).map((m) => m.subject);
				},
				{ timeout: 15_000 }
			)
			.toContain(`Cancelled: ${session!.title}`);
		await practitionerPage.goto('/my-training');
		await expect(
			practitionerPage.getByText('The partnership has cancelled this session.')
		).toBeVisible({
			timeout: 15_000
		});
	} finally {
		await practitionerContext.close();
		await adminContext.close();
		await sql.end();
	}
});

test('an admin adds a course with outcomes and a session, and it is bookable in the brochure', async ({
	page
}) => {
	const title = `Test course ${crypto.randomUUID().slice(0, 6)}`;
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Add a course' }).click();
	await expect(page.getByRole('heading', { name: 'New course' })).toBeVisible();

	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Enter a title'
	);
	await expectAccessible(page);

	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Summary').fill('A course added by an admin in a test.');
	await page.getByLabel('Description').fill('<script>alert("x")</script> Plain words.');
	await page.getByLabel('Who it is for').fill('Designated safeguarding leads');
	await page.getByLabel('Themes').fill('Multi-agency working, Learning from reviews');
	await page.getByLabel('Learning outcomes').fill('Name the signs\nKnow who to call');
	await page.getByRole('button', { name: 'Save and publish' }).click();
	await expect(page.getByText(`${title} is published.`)).toBeVisible({ timeout: 15_000 });
	await expect(page.getByRole('heading', { name: title })).toBeVisible();

	const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
	await page.getByLabel('Date').fill(date);
	await page.getByLabel('Venue', { exact: true }).fill('The Point, Eastleigh');
	await page.getByLabel('Places').fill('12');
	await page.getByRole('button', { name: 'Add session' }).click();
	await expect(page.getByTestId('course-sessions').getByRole('link')).toHaveCount(1, {
		timeout: 15_000
	});

	await page.getByTestId('course-sessions').getByRole('link').click();
	await page.getByLabel('Assign a trainer').selectOption({ label: 'Tom Reed' });
	await page.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(page.getByTestId('assigned-trainers')).toContainText('Tom Reed', {
		timeout: 15_000
	});
	await page.getByLabel('Places').fill('0');
	await page.getByRole('button', { name: 'Save places' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Capacity must be at least 1'
	);
	await page.getByLabel('Places').fill('15');
	await page.getByRole('button', { name: 'Save places' }).click();
	await expect(page.getByText('Places and waiting list saved.')).toBeVisible();
	await expectAccessible(page);

	await page.goto('/');
	await page.getByLabel('Search courses').fill(title);
	await page.getByRole('link', { name: title }).click();
	// the description is shown as text, never run as markup
	await expect(page.getByText('<script>alert("x")</script> Plain words.')).toBeVisible();
	await expect(page.getByTestId('availability')).toHaveText('15 places left');
	await expect(page.getByTestId('learning-outcomes').getByRole('listitem')).toHaveText([
		'Name the signs',
		'Know who to call'
	]);
});
