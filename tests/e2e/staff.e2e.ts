import { expect, test } from '@playwright/test';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

async function person(agencyId: string, name: string) {
	const email = uniqueEmail('staff');
	const [p] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	await sql`update public.profiles set full_name = ${name}, job_role = 'Health visitor', agency_id = ${agencyId}
		where id = ${p!.id}`;
	return { id: p!.id as string, email };
}

/** An agency with its lead and two colleagues; one of them is overdue a yearly refresher. */
async function agencyWithStaff(tag: string) {
	const [agency] = await sql`insert into public.agencies (name, sector)
		values (${'Test health trust ' + tag}, 'health') returning id`;
	const agencyId = agency!.id as string;
	const lead = await person(agencyId, `Lena Lead ${tag}`);
	await sql`insert into public.staff_roles (user_id, role, agency_id) values (${lead.id}, 'agency_lead', ${agencyId})`;
	const overdue = await person(agencyId, `Omar Overdue ${tag}`);
	const newcomer = await person(agencyId, `Nia Newcomer ${tag}`);

	const [renewed] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, renew_years)
		values (${'test-staff-' + crypto.randomUUID().slice(0, 8)}, ${'Test yearly safeguarding update ' + tag},
			'A staff booking test', 'Everyone', 'introductory', 'face_to_face', 120, array['Testing'], 'published', now(), 1)
		returning id`;
	const [past] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, booking_closes_at)
		values (${renewed!.id}, now() - interval '380 days', now() - interval '380 days' + interval '2 hours', 'Hall', 20,
			now() - interval '381 days') returning id`;
	const [b] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${past!.id}, ${overdue.id}, 'confirmed') returning id`;
	await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${past!.id}, ${b!.id}, 'present', ${lead.id}, now() - interval '380 days', 'register')`;
	const [next] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, booking_closes_at)
		values (${renewed!.id}, now() + interval '12 days', now() + interval '12 days 2 hours', 'The Point', 'Eastleigh', 20,
			now() + interval '10 days') returning id`;
	return { lead, overdue, newcomer, nextSession: next!.id as string };
}

test('an agency lead books and releases a place for a colleague and sees who is due a refresher', async ({
	page
}) => {
	const tag = crypto.randomUUID().slice(0, 6);
	const { lead, newcomer, nextSession } = await agencyWithStaff(tag);
	await signIn(page, lead.email);
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/my-training');
	await page.getByRole('link', { name: 'Your staff’s training' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Your staff’s training' })
	).toBeVisible();
	await expect(page.getByTestId('refreshers-due')).toContainText('1 person is due a refresher');
	const staff = page.getByTestId('agency-staff').getByRole('listitem');
	await expect(staff).toHaveCount(3);
	await expect(staff.filter({ hasText: `Omar Overdue ${tag}` })).toContainText('Overdue');
	await expectAccessible(page);

	// the form says what is missing
	await page.getByRole('button', { name: 'Book the place' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Choose the colleague to book'
	);
	await expectAccessible(page);

	await page.getByLabel('Colleague').selectOption({ label: `Nia Newcomer ${tag}` });
	await page.getByLabel('Session').selectOption(nextSession);
	await page.getByRole('button', { name: 'Book the place' }).click();
	await expect(page.getByTestId('staff-message')).toContainText(
		`Nia Newcomer ${tag} has a place on Test yearly safeguarding update ${tag}`
	);
	await expect(page.getByTestId('staff-message')).toBeFocused();
	const [mail] = await sql`select subject, body from public.notifications
		where user_id = ${newcomer.id} and kind = 'booking_confirmed'`;
	expect(mail!.body).toMatch(
		new RegExp(`^Lena Lead ${tag}, your agency's safeguarding lead, booked this for you\\.`)
	);

	// and releases it, after saying yes
	const entry = staff.filter({ hasText: `Nia Newcomer ${tag}` });
	await expect(entry).toContainText('Booked (booked by a lead)');
	await entry.getByRole('button', { name: /^Release/ }).click();
	await expect(entry.getByRole('button', { name: /^Yes, release/ })).toBeFocused();
	await entry.getByRole('button', { name: /^Yes, release/ }).click();
	await expect(page.getByTestId('staff-message')).toContainText(
		`Nia Newcomer ${tag}’s place on Test yearly safeguarding update ${tag} is released.`
	);
	await expect(page.getByTestId('staff-message')).toBeFocused();
	const [released] = await sql`select status from public.bookings
		where user_id = ${newcomer.id} and session_id = ${nextSession}`;
	expect(released!.status).toBe('cancelled');

	// a colleague's record
	await staff
		.filter({ hasText: `Omar Overdue ${tag}` })
		.getByRole('link', { name: /Omar Overdue/ })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'Training record' })).toBeVisible();
	await expect(page.getByTestId('record-totals')).toContainText(`Omar Overdue ${tag}`);
	await expect(page.getByTestId('renewals')).toContainText('Overdue');
	await expect(page.getByTestId('attended-sessions').getByRole('listitem')).toHaveCount(1);
	await expectAccessible(page);
});

test('the staff page is for agency leads only', async ({ page }) => {
	const [agency] = await sql`select id from public.agencies order by name limit 1`;
	const someone = await person(agency!.id as string, 'Pat Practitioner');
	await signIn(page, someone.email);
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/staff');
	await expect(page.getByText('This page is for agency safeguarding leads.')).toBeVisible();
	await expectAccessible(page);
});
