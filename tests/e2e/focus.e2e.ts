import { expect, test } from '@playwright/test';
import { database, expectAccessible, newPractitioner } from './helpers';

// After an action that replaces the button pressed, focus goes somewhere meaningful and the
// result is announced: a screen-reader user's place never falls back to the page body.

const sql = database();
test.afterAll(() => sql.end());

/** A published webinar with one session a week from now; its id and title. */
async function webinar(capacity: number) {
	const slug = `e2e-focus-${crypto.randomUUID().slice(0, 8)}`;
	const title = `Focus test webinar ${slug.slice(-8)}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, ${title}, 'A webinar made for an end-to-end test.', 'All practitioners', 'introductory',
			'webinar', 60, array['Neglect'], 'published', now())
		returning id`;
	await sql`insert into public.learning_outcomes (course_id, position, text)
		values (${course!.id}, 1, 'Recognise what the test is about')`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, date_trunc('hour', now()) + interval '7 days 9 hours',
			date_trunc('hour', now()) + interval '7 days 10 hours',
			${`https://teams.example/join/${slug}`}, ${capacity}, 'offer', now() + interval '6 days')
		returning id`;
	return { slug, title, sessionId: session!.id as string };
}

test('booking, then releasing a place, by keyboard: focus follows each step and lands on the result', async ({
	page
}) => {
	const { slug, title } = await webinar(10);
	await newPractitioner(page, 'focus.release', sql);
	await page.goto(`/courses/${slug}`);
	// every bookable date says until when it can be booked
	await expect(page.getByTestId('booking-closes')).toHaveText(
		/^Book by \w+day \d+ \w+ \d{4}, \d+:\d\d[ap]m$/
	);
	await page.getByRole('button', { name: /^Book a place/ }).focus();
	await page.keyboard.press('Enter');
	const result = page.getByTestId('booking-message');
	await expect(result).toContainText(/Booking requested for|You are booked on/);
	await expect(result).toBeFocused();
	await expect(page.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });
	// the message follows what happened: no stale "requested" once the place is confirmed
	await expect(result).toHaveText(/^You are booked on \w+day \d+ \w+ \d{4}\.$/);

	const release = page.getByRole('button', { name: /^Release my place/ });
	await release.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('button', { name: 'Yes, release my place' })).toBeFocused();
	await page.getByRole('button', { name: 'Keep it' }).focus();
	await page.keyboard.press('Enter');
	await expect(release).toBeFocused();

	await page.keyboard.press('Enter');
	await page.keyboard.press('Enter');
	await expect(result).toHaveText(`Your place on ${title} has been released.`);
	await expect(result).toBeFocused();
	await expectAccessible(page);
});

test('an offered place is declined only after a confirmation, and the offer can be kept', async ({
	page
}) => {
	const { title, sessionId } = await webinar(1);
	const me = await newPractitioner(page, 'focus.decline', sql);
	await sql`insert into public.bookings (session_id, user_id, status, waitlisted_at, offer_expires_at)
		values (${sessionId}, ${me.id}, 'offered', now() - interval '1 day', now() + interval '2 days')`;
	await page.goto('/my-training');
	const decline = page.getByRole('button', { name: /^Decline/ });
	await expect(decline).toBeVisible({ timeout: 15_000 });

	await decline.focus();
	await page.keyboard.press('Enter');
	const confirm = page.getByRole('button', { name: 'Yes, decline the place' });
	await expect(confirm).toBeFocused();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Keep the offer' }).click();
	await expect(decline).toBeFocused();
	// nothing was declined
	const [kept] = await sql`select status from public.bookings where user_id = ${me.id}`;
	expect(kept!.status).toBe('offered');

	await page.keyboard.press('Enter');
	await page.keyboard.press('Enter');
	const result = page.getByRole('status').filter({ hasText: 'You have declined the place' });
	await expect(result).toHaveText(`You have declined the place on ${title}.`);
	await expect(result).toBeFocused();
	await expect
		.poll(
			async () =>
				(await sql`select status from public.bookings where user_id = ${me.id}`)[0]!.status,
			{
				timeout: 15_000
			}
		)
		.toBe('declined');
});
