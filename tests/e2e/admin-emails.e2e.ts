import { expect, test } from '@playwright/test';
import { database, expectAccessible, signIn } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

test('an admin sees which emails failed and why, and sends one again, by keyboard', async ({
	page
}) => {
	const subject = `Booking confirmed: Emails screen ${crypto.randomUUID().slice(0, 6)}`;
	const reason = 'Notify answered 400: ValidationError: email_address Not a valid email address';
	await sql`insert into public.notifications (user_id, to_email, kind, subject, body, status, error, attempts)
		select p.id, p.email, 'booking_confirmed', ${subject}, 'Your place is confirmed.', 'failed', ${reason}, 1
		from public.profiles p where p.email = 'practitioner@demo.hscp.example'`;

	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Emails: sent, waiting and failed' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Emails', exact: true })).toBeVisible();
	await expect(page.getByTestId('email-counts')).toContainText('Failed');

	await page.getByLabel('Show').focus();
	await page.getByLabel('Show').selectOption('failed');
	await page.getByRole('button', { name: 'Show emails' }).focus();
	await page.keyboard.press('Enter');
	const row = page.getByTestId('emails').getByRole('row').filter({ hasText: subject });
	await expect(row).toContainText('To practitioner@demo.hscp.example');
	await expect(row).toContainText(reason);
	await expectAccessible(page);

	// the button names the email for a screen reader user, not only "Send again"
	const sendAgain = row.getByRole('button', { name: /^Send again/ });
	await expect(sendAgain).toHaveAccessibleName(
		new RegExp(`^Send again\\s*: ${subject} to practitioner@demo\\.hscp\\.example$`)
	);
	await sendAgain.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'will be sent again' })).toContainText(
		`“${subject}” will be sent again to practitioner@demo.hscp.example.`
	);
	// the local mailbox stands in for the sender: it goes out within a few seconds
	await expect
		.poll(
			async () =>
				(await sql`select status from public.notifications where subject = ${subject}`)[0]?.status,
			{ timeout: 10_000 }
		)
		.toBe('sent');
	await page.getByLabel('Show').selectOption('sent');
	await page.getByRole('button', { name: 'Show emails' }).click();
	await expect(
		page.getByTestId('emails').getByRole('row').filter({ hasText: subject })
	).toContainText('Sent');
	await expectAccessible(page);
});
