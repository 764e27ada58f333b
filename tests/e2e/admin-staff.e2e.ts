import { expect, test } from '@playwright/test';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

test('an admin makes someone a trainer and an agency lead, and removes a role, by keyboard; every change is recorded', async ({
	page
}) => {
	test.setTimeout(60_000);
	const email = uniqueEmail('new-trainer');
	const [account] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	await sql`update public.profiles set full_name = 'Rowan Roles' where id = ${account!.id}`;

	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Staff roles: trainers, agency leads and admins' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Staff roles', exact: true })).toBeVisible();
	await expect(page.getByTestId('staff-table')).toContainText('admin@demo.hscp.example');

	// errors first: nothing chosen, then an email nobody uses
	await page.getByRole('button', { name: 'Give the role' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Enter the email address of their account'
	);
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Choose the role to give them'
	);
	await expectAccessible(page);
	await page.getByLabel('Email address of their account').fill('nobody@nowhere.example');
	await page.getByLabel('Trainer').check();
	await page.getByRole('button', { name: 'Give the role' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'No account uses nobody@nowhere.example'
	);

	await page.getByLabel('Email address of their account').fill(email);
	await page.getByLabel('Trainer').check();
	await page.getByRole('button', { name: 'Give the role' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'is now a trainer' })).toHaveText(
		`${email} is now a trainer.`
	);
	await page.getByLabel('Email address of their account').fill(email);
	await page.getByLabel('Agency lead').check();
	await page.getByRole('button', { name: 'Give the role' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Choose the agency they lead'
	);
	await page.getByLabel('Agency they lead').selectOption({ label: 'Solent NHS Trust' });
	await page.getByRole('button', { name: 'Give the role' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'agency lead' })).toHaveText(
		`${email} is now an agency lead.`
	);
	const row = page.getByTestId('staff-table').getByRole('row').filter({ hasText: 'Rowan Roles' });
	await expect(row).toContainText('Trainer');
	await expect(row).toContainText('Agency lead, Solent NHS Trust');

	await row.getByRole('button', { name: /^Remove\s*: Trainer, Rowan Roles$/ }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'no longer' })).toHaveText(
		'Rowan Roles is no longer a trainer.'
	);
	await expect(row).not.toContainText('Trainer');
	const changes = page.getByTestId('staff-changes');
	await expect(changes.getByRole('row').filter({ hasText: 'Rowan Roles' })).toHaveCount(3);
	await expect(changes.getByRole('row').nth(1)).toContainText('Rowan Roles: trainer removed');
	await expectAccessible(page);
	const stored =
		await sql`select role::text from public.staff_roles where user_id = ${account!.id}`;
	expect(stored.map((r) => r.role)).toEqual(['agency_lead']);
});
