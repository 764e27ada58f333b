import { expect, test, type Page } from '@playwright/test';
import { API_PORT } from '../../playwright.config';
import { database, expectAccessible, newPractitioner, webinarWithPlaces } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

async function openCourse(page: Page, slug: string) {
	await page.goto(`/courses/${slug}`);
	await expect(page.getByTestId('upcoming-sessions')).toBeVisible({ timeout: 15_000 });
}

test('a practitioner finds a course by search and filter, books it, sees it in My training and adds it to the calendar', async ({
	page
}) => {
	const { slug, title } = await webinarWithPlaces(sql, 20);
	await newPractitioner(page, 'booker', sql);
	// found through the brochure's search and filters
	await page.getByRole('link', { name: 'Courses' }).click();
	await page.getByLabel('Search courses').fill(title);
	await page.getByText('Filter by theme, format, level and date').click();
	await page.getByLabel('Webinar').check();
	await page.getByLabel('Only dates with places left').check();
	await page.getByRole('list', { name: 'Courses' }).getByRole('link', { name: title }).click();
	await expect(page).toHaveURL(new RegExp(`/courses/${slug}$`));
	await expect(page.getByTestId('availability')).toHaveText('20 places left', { timeout: 15_000 });
	await expectAccessible(page);

	await page.getByRole('button', { name: /^Book a place/ }).click();
	await expect(page.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });
	await expect(page.getByTestId('availability')).toHaveText('19 places left');
	await expect(page.getByRole('link', { name: /^Join online/ })).toHaveAttribute(
		'href',
		`https://teams.example/join/${slug}`
	);

	await page.getByRole('link', { name: 'My training' }).click();
	const upcoming = page.getByTestId('upcoming-bookings');
	await expect(upcoming.getByRole('link', { name: title, exact: true })).toBeVisible();
	await expect(upcoming.getByTestId('booking-status')).toHaveText('Booked');
	await expectAccessible(page);

	const download = page.waitForEvent('download');
	await upcoming.getByRole('button', { name: /^Add to calendar/ }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe(`${slug}.ics`);
	const ics = (await readAll(await file.createReadStream())).replace(/\r\n /g, '');
	expect(ics).toContain(`SUMMARY:${title}`);
	expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
	expect(ics).toContain(`Join online: https://teams.example/join/${slug}`);
});

test('booking offline shows "requested" and is decided when back online', async ({
	page,
	context
}) => {
	const { slug } = await webinarWithPlaces(sql, 5);
	await newPractitioner(page, 'offline.booker', sql);
	await openCourse(page, slug);
	await context.setOffline(true);
	await page.getByRole('button', { name: /^Book a place/ }).click();
	await expect(page.getByTestId('booking-status')).toHaveText(
		'Requested – will confirm when online'
	);
	await expect(page.getByTestId('booking-message')).toContainText(
		'It will be confirmed when you are back online'
	);
	await context.setOffline(false);
	await expect(page.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });
});

test('a request made offline for a session that filled meanwhile says, once online, that it is on the waiting list', async ({
	page,
	context
}) => {
	const { slug } = await webinarWithPlaces(sql, 1);
	await newPractitioner(page, 'offline.waiter', sql);
	await openCourse(page, slug);
	await context.setOffline(true);
	await page.getByRole('button', { name: /^Book a place/ }).click();
	const message = page.getByTestId('booking-message');
	await expect(message).toContainText('It will be confirmed when you are back online');
	// someone else takes the last place while this phone has no signal
	const other =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${`taker.${crypto.randomUUID().slice(0, 8)}@e2e.hscp.example`}) returning id`;
	await sql`insert into public.bookings (session_id, user_id, status)
		select s.id, ${other[0]!.id}, 'confirmed' from public.sessions s join public.courses c on c.id = s.course_id
		where c.slug = ${slug}`;
	await context.setOffline(false);
	await expect(message).toHaveText(
		/is full: you are number 1 on the waiting list\. We will email you if a place comes up\.$/,
		{ timeout: 15_000 }
	);
	await expect(page.getByTestId('booking-status')).toContainText('waiting list');
});

test('when a booked person releases their place, the first on the waiting list gets it and is emailed', async ({
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const { slug, title } = await webinarWithPlaces(sql, 1);
	const first = await browser.newContext({ ...devicesPhone() });
	const second = await browser.newContext({ ...devicesPhone() });
	try {
		const a = await first.newPage();
		const b = await second.newPage();
		await newPractitioner(a, 'first.in', sql);
		const waiting = await newPractitioner(b, 'second.in', sql);

		await openCourse(a, slug);
		await a.getByRole('button', { name: /^Book a place/ }).click();
		await expect(a.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });

		await openCourse(b, slug);
		await expect(b.getByTestId('availability')).toHaveText('Full – join the waiting list');
		await b.getByRole('button', { name: /^Join the waiting list/ }).click();
		await expect(b.getByTestId('booking-status')).toHaveText('On the waiting list', {
			timeout: 15_000
		});

		await a.getByRole('button', { name: /^Release my place/ }).click();
		await a.getByRole('button', { name: 'Yes, release my place' }).click();
		await expect(a.getByTestId('booking-message')).toContainText('has been released');

		await expect
			.poll(
				async () => {
					const response = await fetch(
						`http://127.0.0.1:${API_PORT}/mailbox/messages?to=${encodeURIComponent(waiting.email)}`
					);
					return ((await response.json()) as { subject: string }[]).map((m) => m.subject);
				},
				{ timeout: 15_000 }
			)
			.toContain(`You have a place: ${title}`);
		await b.reload();
		await expect(b.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });
	} finally {
		await first.close();
		await second.close();
	}
});

test('live offer: a place offered from the waiting list shows on the open course page within seconds, without a reload', async ({
	browser
}) => {
	const { slug } = await webinarWithPlaces(sql, 1, 'offer');
	const first = await browser.newContext({ ...devicesPhone() });
	const second = await browser.newContext({ ...devicesPhone() });
	try {
		const a = await first.newPage();
		const b = await second.newPage();
		await newPractitioner(a, 'live.first', sql);
		await newPractitioner(b, 'live.waiting', sql);
		await openCourse(a, slug);
		await a.getByRole('button', { name: /^Book a place/ }).click();
		await expect(a.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });

		await openCourse(b, slug);
		await b.getByRole('button', { name: /^Join the waiting list/ }).click();
		await expect(b.getByText('number 1 in the queue')).toBeVisible({ timeout: 15_000 });

		// the place is released on another phone; this page stays open, untouched
		await a.getByRole('button', { name: /^Release my place/ }).click();
		await a.getByRole('button', { name: 'Yes, release my place' }).click();
		await expect(a.getByTestId('booking-message')).toContainText('has been released');

		// polled every 10 seconds here (no Realtime in the local stand-in)
		await expect(b.getByTestId('booking-status')).toHaveText('Place offered – accept or decline', {
			timeout: 20_000
		});
		await expect(b.getByText(/accept by/)).toBeVisible();
		await expect(b.getByRole('button', { name: /^Accept the place/ })).toBeVisible();
		await expect(b.getByText('in the queue')).toHaveCount(0);
	} finally {
		await first.close();
		await second.close();
	}
});

function devicesPhone() {
	return {
		viewport: { width: 412, height: 839 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 2.625
	};
}

async function readAll(stream: NodeJS.ReadableStream) {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

test('Webinar Wednesdays: the coming themes, and booking all three webinars of a day', async ({
	page
}) => {
	await newPractitioner(page, 'wednesday', sql);
	await page.getByRole('link', { name: 'Webinars' }).click();
	await expect(page.getByRole('heading', { name: 'Webinar Wednesdays', level: 1 })).toBeVisible();
	const [{ n }] = (await sql`
		select count(distinct (s.starts_at at time zone 'Europe/London')::date)::int as n
		from public.sessions s join public.courses c on c.id = s.course_id
		where c.series = 'webinar-wednesdays' and c.status = 'published' and s.ends_at > now()`) as unknown as [
		{ n: number }
	];
	const days = page.locator('section.webinar-day');
	await expect(days).toHaveCount(n);
	expect(n).toBeGreaterThanOrEqual(11);
	// a day in the future whatever the time today: each shows its theme and three webinars
	const next = days.nth(1);
	await expect(next.getByRole('heading', { level: 2 })).toContainText(/Wednesday \d+ \w+ \d{4}/);
	await expect(next.getByRole('listitem')).toHaveCount(3);
	await expectAccessible(page);

	await next.getByRole('button', { name: /^Book all 3/ }).click();
	await expect(page.getByTestId('booking-message')).toContainText('all 3 webinars');
	await expect(next.getByTestId('booking-status')).toHaveText(['Booked', 'Booked', 'Booked'], {
		timeout: 15_000
	});
});
