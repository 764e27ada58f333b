import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { DB_PORT } from '../../playwright.config';
import { expectAccessible, readSignInCode, signIn, uniqueEmail } from './helpers';

test('a new practitioner signs in with an emailed code and sets up a profile', async ({ page }) => {
	const email = uniqueEmail('new.practitioner');
	await page.goto('/sign-in');
	await expectAccessible(page);

	await signIn(page, email);
	await expect(page).toHaveURL(/\/profile$/);
	await expect(page.getByRole('heading', { name: 'Tell us about yourself' })).toBeVisible();
	await expectAccessible(page);

	// Nothing filled in: every problem is listed in a focused error summary
	await page.getByRole('button', { name: 'Save profile' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([
		'Enter your full name',
		'Select your agency',
		'Enter your job role'
	]);
	await expectAccessible(page);

	await page.getByLabel('Full name').fill('Jo Bloggs');
	await page.getByLabel('Agency').selectOption({ label: 'Solent NHS Trust' });
	await page.getByLabel('Job role').fill('School nurse');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByText('Your profile is saved')).toBeVisible();

	// The change reaches the server through sync_push
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${DB_PORT}/postgres`, { max: 1 });
	try {
		await expect
			.poll(async () => {
				const [row] = await sql`
					select p.full_name, p.job_role, a.name as agency
					from public.profiles p join public.agencies a on a.id = p.agency_id
					where p.email = ${email}`;
				return row;
			})
			.toEqual({ full_name: 'Jo Bloggs', job_role: 'School nurse', agency: 'Solent NHS Trust' });
	} finally {
		await sql.end();
	}
	await expect(page.getByTestId('connection-status')).toContainText('last synced');
	await expect(page.getByTestId('connection-status')).not.toContainText('not yet sent');
});

test('an email address too long to be real is refused before any code is sent, and said why', async ({
	page
}) => {
	await page.goto('/sign-in');
	await page.getByLabel('What is your work email address?').fill(`${'a'.repeat(300)}@example.org`);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	const summary = page.getByRole('alert');
	await expect(summary).toContainText('Email address must be 254 characters or fewer');
	await expect(page.getByRole('heading', { name: 'Check your email' })).toHaveCount(0);
	await page.getByLabel('What is your work email address?').fill(`${'a'.repeat(65)}@example.org`);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(summary).toContainText('The part before the @ must be 64 characters or fewer');
	await expectAccessible(page);
});

test('a wrong code is refused with an error the user can act on', async ({ page }) => {
	const email = uniqueEmail('wrong.code');
	await page.goto('/sign-in');
	await page.getByLabel('What is your work email address?').fill(email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	const real = await readSignInCode(email);
	const wrong = real === '000000' ? '111111' : '000000';
	await page.getByLabel('Enter the 6-digit code').fill(wrong);
	await page.getByRole('button', { name: 'Sign in' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toContainText('The code is wrong or has expired');
	await expect(summary).toBeFocused();
	await expectAccessible(page);
});

test('a seeded practitioner with a complete profile goes straight to the brochure', async ({
	page
}) => {
	await signIn(page, 'practitioner@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.getByRole('link', { name: 'Your profile' }).click();
	await expect(page.getByLabel('Full name')).toHaveValue('Priya Shah');
	await expectAccessible(page);
});
