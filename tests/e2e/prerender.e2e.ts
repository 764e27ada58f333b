import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible } from './helpers';

// The public pages are prerendered from the brochure published at build time (docs/architecture.md, Layers).

/**
 * Opens a page with the app's scripts held back, so the prerendered HTML can be looked at
 * and marked first; the function returned lets the app load and waits until it has hydrated.
 */
async function openBeforeTheApp(page: Page, path: string) {
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/entry/**', async (route) => {
		await held;
		await route.continue();
	});
	await page.goto(path, { waitUntil: 'domcontentloaded' });
	return async () => {
		release();
		await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
	};
}

async function markPrerendered(element: Locator) {
	await expect(element).toBeVisible();
	await element.evaluate((node) => Object.assign(node, { prerendered: true }));
}

/** The same element, not a re-rendered copy: a hydration mismatch would replace it. */
async function expectStillPrerendered(element: Locator) {
	expect(await element.evaluate((node) => 'prerendered' in node && node.isConnected)).toBe(true);
}

test('the brochure and a course page can be read with no script at all, and a course link has a preview', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
	const page = await context.newPage();
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Safeguarding children training' })).toBeVisible();
	await expect(page.getByTestId('course-count')).toHaveText(/^\d+ courses$/);
	const course = page
		.getByRole('list', { name: 'Courses' })
		.getByRole('link', { name: 'Neglect: identification and response' });
	await expect(course).toBeVisible();
	await course.click();
	await expect(page).toHaveURL(/\/courses\/neglect-identification-and-response$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Neglect: identification and response'
	);
	await expect(page.getByTestId('learning-outcomes').getByRole('listitem')).toHaveCount(4);
	// what Teams, email and newsletters show for a pasted link
	await expect(page.locator('meta[property="og:title"]')).toHaveAttribute(
		'content',
		'Neglect: identification and response'
	);
	await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /\w{10}/);
	await context.close();
});

test('Webinar Wednesdays can be read with no script at all: the coming days, and a link preview', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
	const page = await context.newPage();
	await page.goto('/webinar-wednesdays');
	await expect(page.getByRole('heading', { name: 'Webinar Wednesdays', level: 1 })).toBeVisible();
	const days = page.locator('section.webinar-day');
	expect(await days.count()).toBeGreaterThanOrEqual(11);
	// a day in the future whatever the time today: its date and theme, and its three webinars
	const next = days.nth(1);
	await expect(next.getByRole('heading', { level: 2 })).toContainText(/Wednesday \d+ \w+ \d{4}/);
	await expect(next.getByRole('listitem')).toHaveCount(3);
	await expect(page.locator('meta[property="og:title"]')).toHaveAttribute(
		'content',
		'Webinar Wednesdays'
	);
	// each webinar links to its course page, itself prerendered
	const webinar = next.getByRole('listitem').first().getByRole('link');
	const title = await webinar.textContent();
	await webinar.click();
	await expect(page).toHaveURL(/\/courses\/[\w-]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title!);
	await context.close();
});

test('hydrating keeps the prerendered brochure in place and makes it interactive', async ({
	page
}) => {
	const hydrate = await openBeforeTheApp(page, '/');
	const first = page.getByRole('list', { name: 'Courses' }).getByRole('listitem').first();
	await markPrerendered(first);
	// the filter panel holds only a note until the app has loaded; opened now, it fills then
	await page.getByText('Filter by theme, format, level and date').click();
	await expect(page.getByText('Filtering needs JavaScript')).toBeVisible();
	await hydrate();
	await expectStillPrerendered(first);
	await expect(page.getByLabel('Theme')).toBeVisible();
	await expect(page.getByText('Filtering needs JavaScript')).toHaveCount(0);
	// and the filters work
	await page.getByLabel('Search courses').fill('neglect');
	await expect(page.getByTestId('course-count')).toHaveText(/^\d+ of \d+ courses$/);
	await expectAccessible(page);
});

test('hydrating keeps the prerendered Webinar Wednesdays in place, and a visitor is asked to sign in to book', async ({
	page
}) => {
	const hydrate = await openBeforeTheApp(page, '/webinar-wednesdays');
	const first = page.locator('section.webinar-day').first();
	await markPrerendered(first);
	await hydrate();
	await expectStillPrerendered(first);
	await expect(first.getByRole('link', { name: 'Sign in to book' })).toBeVisible();
	await expectAccessible(page);
});

test('a course page the build did not write opens as the app shell and says what it knows', async ({
	page
}) => {
	// the build wrote no page or file for it: the host answers with the app shell
	const response = await page.request.get('/published/courses/not-built-yet.json');
	expect(response.headers()['content-type']).toContain('text/html');
	await page.goto('/courses/not-built-yet');
	await expect(page.getByRole('heading', { name: 'Course not found' })).toBeVisible();
	await expect(page.getByText('not in the brochure on this device')).toBeVisible();
});

test('a prerendered page carries only the styles it uses, and the whole stylesheet follows for the next page', async ({
	page
}) => {
	// the HTML has the rules its own markup uses, and no copy of the brochure file
	const html = await (await page.request.get('/')).text();
	expect(html).toContain('<style data-critical>');
	expect(html).not.toContain('data-sveltekit-fetched');
	expect(html).not.toContain('govuk-input--error');

	await page.goto('/');
	await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
	// a state the brochure never showed, on a page reached without a reload
	await page.getByRole('link', { name: 'Sign in' }).click();
	await page.getByRole('button', { name: 'Send me a code' }).click();
	const email = page.getByLabel('What is your work email address?');
	await expect(email).toHaveClass(/govuk-input--error/);
	// GOV.UK's error colour, not the plain input's border
	await expect(email).toHaveCSS('border-top-color', 'rgb(212, 53, 28)');
	await expectAccessible(page);
});
