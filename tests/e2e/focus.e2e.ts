import { expect, test } from '@playwright/test';
import { database, expectAccessible, newPractitioner, webinarWithPlaces } from './helpers';

// After an action that replaces the button pressed, focus goes somewhere meaningful and the
// result is announced: a screen-reader user's place never falls back to the page body.

const sql = database();
test.afterAll(() => sql.end());

test('booking, then releasing a place, by keyboard: focus follows each step and lands on the result', async ({
	page
}) => {
	const { slug, title } = await webinarWithPlaces(sql, 10, 'offer');
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
	const { title, sessionId } = await webinarWithPlaces(sql, 1, 'offer');
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
