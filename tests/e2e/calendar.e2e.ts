import { expect, test, type Download, type Page } from '@playwright/test';
import { API_PORT } from '../../playwright.config';
import { database, expectAccessible, newPractitioner, signIn } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

/** A published face-to-face course with one session three weeks from now, 09:30 UK time. */
async function faceToFaceCourse() {
	const slug = `e2e-moved-${crypto.randomUUID().slice(0, 8)}`;
	const title = `Moved session test ${slug.slice(-8)}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${slug}, ${title}, 'A course made for an end-to-end test.', 'All practitioners', 'introductory',
			'face_to_face', 180, array['Neglect'], 'published', now())
		returning id`;
	await sql`insert into public.learning_outcomes (course_id, position, text)
		values (${course!.id}, 1, 'Recognise what the test is about')`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, (current_date + 21 + time '09:30') at time zone 'Europe/London',
			(current_date + 21 + time '12:30') at time zone 'Europe/London',
			'Winchester Discovery Centre', 'Jewry Street, Winchester', 10, 'offer', now() + interval '19 days')
		returning id`;
	return { slug, title, sessionId: session!.id as string };
}

async function contents(download: Promise<Download>) {
	const stream = await (await download).createReadStream();
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8').replace(/\r\n /g, '');
}

async function emailTo(email: string, subject: string) {
	let found: { body: string } | undefined;
	await expect
		.poll(
			async () => {
				const response = await fetch(
					`http://127.0.0.1:${API_PORT}/mailbox/messages?to=${encodeURIComponent(email)}`
				);
				found = ((await response.json()) as { subject: string; body: string }[]).find(
					(m) => m.subject === subject
				);
				return found !== undefined;
			},
			{ timeout: 15_000 }
		)
		.toBe(true);
	return found!.body;
}

/** The app page an email links to, on this test's server (the email has the app's address). */
function linkIn(body: string, label: string) {
	const match = new RegExp(`${label}: https?://[^/\\s]+(/\\S+)`).exec(body);
	expect(match, `a link after "${label}"`).not.toBeNull();
	return match![1]!;
}

async function pressOn(page: Page, name: string) {
	const button = page.getByRole('button', { name });
	await button.focus();
	await page.keyboard.press('Enter');
}

test('a session moved by an admin reaches the booked person as an email and an updated calendar entry, and a released place takes it out', async ({
	browser
}) => {
	// two people's journeys, a download at each step
	test.setTimeout(60_000);
	const { slug, title, sessionId } = await faceToFaceCourse();
	const practitionerContext = await browser.newContext();
	const adminContext = await browser.newContext();
	try {
		const page = await practitionerContext.newPage();
		const me = await newPractitioner(page, 'moved', sql);
		await page.goto(`/courses/${slug}`);
		await page.getByRole('button', { name: /^Book a place/ }).click();
		await expect(page.getByTestId('booking-status')).toHaveText('Booked', { timeout: 15_000 });
		const first = await contents(
			Promise.all([
				page.waitForEvent('download'),
				page.getByRole('button', { name: /^Add to calendar/ }).click()
			]).then(([d]) => d)
		);
		expect(first).toContain('METHOD:REQUEST');
		expect(first).toContain('SEQUENCE:0');
		expect(first).toContain('TRIGGER:-PT1H');
		const uid = /UID:(\S+)/.exec(first)![1];

		// the admin moves it a week later and to another venue, by keyboard
		const admin = await adminContext.newPage();
		await signIn(admin, 'admin@demo.hscp.example');
		await expect(admin).toHaveURL(/\/$/);
		await admin.goto(`/admin/sessions/${sessionId}`);
		await expect(
			admin.getByRole('heading', { name: 'Change the date, time or place' })
		).toBeVisible({ timeout: 15_000 });
		await pressOn(admin, 'Change the session');
		await expect(admin.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
			'Nothing has changed'
		);
		const date = admin.getByLabel('Date', { exact: true });
		const [y, m, d] = (await date.inputValue()).split('-').map(Number);
		const later = new Date(Date.UTC(y!, m! - 1, d! + 7)).toISOString().slice(0, 10);
		await date.fill(later);
		await admin.getByLabel('Venue', { exact: true }).fill('Fareham Civic Offices');
		await admin.getByLabel('Venue address').fill('Civic Way, Fareham');
		await pressOn(admin, 'Change the session');
		await expect(admin.getByRole('alert')).toContainText(
			'This emails the new details to 1 person booked, offered a place or waiting.'
		);
		await expectAccessible(admin);
		await pressOn(admin, 'Yes, change it and tell them');
		await expect(admin.getByRole('status').filter({ hasText: 'Session changed.' })).toContainText(
			'1 person has been emailed the new details'
		);

		const body = await emailTo(me.email, `Changed: ${title}`);
		expect(body).toContain('The partnership has changed the date or time and the venue');
		expect(body).toContain('Venue: Fareham Civic Offices, Civic Way, Fareham');

		// the email's link opens the page that makes the updated entry
		await page.goto(linkIn(body, 'Update your calendar'));
		await expect(page.getByRole('heading', { name: 'Update your calendar' })).toBeVisible({
			timeout: 15_000
		});
		await expect(page.getByText('Fareham Civic Offices, Civic Way, Fareham')).toBeVisible();
		await expectAccessible(page);
		const updated = await contents(
			Promise.all([
				page.waitForEvent('download'),
				pressOn(page, 'Download the updated entry')
			]).then(([d]) => d)
		);
		expect(updated).toContain(`UID:${uid}`);
		expect(updated).toContain('SEQUENCE:1');
		expect(updated).toContain('METHOD:REQUEST');
		expect(updated).toContain(`DTSTART:${later.replaceAll('-', '')}T`);
		expect(updated).toContain('LOCATION:Fareham Civic Offices\\, Civic Way\\, Fareham');

		// releasing the place: My training links to the cancellation
		await page.goto(`/courses/${slug}`);
		await page.getByRole('button', { name: /^Release my place/ }).click();
		await page.getByRole('button', { name: 'Yes, release my place' }).click();
		// kept on the device before leaving the page, as the message says
		await expect(page.getByText(`Your place on ${title} has been released.`)).toBeVisible();
		await page.goto('/my-training');
		await page.getByRole('link', { name: /^Take it out of your calendar/ }).click();
		await expect(page.getByRole('heading', { name: 'Take it out of your calendar' })).toBeVisible({
			timeout: 15_000
		});
		await expectAccessible(page);
		const cancelled = await contents(
			Promise.all([page.waitForEvent('download'), pressOn(page, 'Download the cancellation')]).then(
				([d]) => d
			)
		);
		expect(cancelled).toContain(`UID:${uid}`);
		expect(cancelled).toContain('METHOD:CANCEL');
		expect(cancelled).toContain('SEQUENCE:2');
		expect(cancelled).not.toContain('BEGIN:VALARM');
	} finally {
		await practitionerContext.close();
		await adminContext.close();
	}
});

test('a booking that is not yours has no calendar entry', async ({ page }) => {
	const { slug } = await faceToFaceCourse();
	const [someone] =
		await sql`select id from public.profiles where email = 'practitioner@demo.hscp.example'`;
	const [session] =
		await sql`select s.id from public.sessions s join public.courses c on c.id = s.course_id
		where c.slug = ${slug}`;
	const [booking] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${session!.id}, ${someone!.id}, 'confirmed') returning id`;
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto(`/calendar/${booking!.id}`);
	await expect(page.getByText('There is no booking of yours with this link')).toBeVisible({
		timeout: 15_000
	});
	await expect(page.getByRole('button', { name: /^Download/ })).toHaveCount(0);
	await expectAccessible(page);
});
