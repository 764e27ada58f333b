import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

const DAY = 86_400_000;

/** A course and one session of it, `daysAgo` days back, with the person marked on its register. */
async function attended(
	userId: string,
	c: { title: string; minutes: number; renewYears?: number },
	daysAgo: number,
	attendance: 'present' | 'late' | 'left_early',
	evaluated = false
) {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, renew_years)
		values (${'test-record-' + crypto.randomUUID().slice(0, 8)}, ${c.title}, 'A training record test', 'Everyone',
			'introductory', 'face_to_face', ${c.minutes}, array['Neglect'], 'published', now(), ${c.renewYears ?? null})
		returning id`;
	await sql`insert into public.learning_outcomes (course_id, position, text)
		values (${course!.id}, 1, 'Recognise the signs of neglect')`;
	const startsAt = new Date(Date.now() - daysAgo * DAY);
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, booking_closes_at)
		values (${course!.id}, ${startsAt}, ${new Date(startsAt.getTime() + c.minutes * 60_000)}, 'Hall', 'Winchester', 20,
			${new Date(startsAt.getTime() - DAY)})
		returning id`;
	const [booking] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${session!.id}, ${userId}, 'confirmed') returning id, certificate_ref`;
	await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${session!.id}, ${booking!.id}, ${attendance}, ${userId}, ${startsAt}, 'register')`;
	if (evaluated)
		await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
			values (gen_random_uuid(), ${session!.id}, ${userId}, 5, 'I will use the toolkit')`;
	return { reference: booking!.certificate_ref as string };
}

async function downloaded(page: Page, button: RegExp | string) {
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: button }).click();
	const download = await downloading;
	return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

/** A practitioner with four sessions on record: two to renew (one due soon, one overdue), one
 * with a certificate, one left early. */
async function practitionerWithRecord() {
	const tag = crypto.randomUUID().slice(0, 6);
	const email = uniqueEmail('record');
	const [me] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	const userId = me!.id as string;
	await sql`update public.profiles set full_name = 'Rita Record', job_role = 'Teacher',
		agency_id = (select id from public.agencies where name = 'Solent NHS Trust') where id = ${userId}`;
	const titles = {
		dueSoon: `Test safer recruitment ${tag}`,
		overdue: `Test designated safeguarding lead ${tag}`,
		certified: `Test neglect toolkit ${tag}`,
		leftEarly: `Test county lines ${tag}`
	};
	// renewed every 3 years, completed 3 years less 20 days ago: due in about 20 days
	await attended(
		userId,
		{ title: titles.dueSoon, minutes: 180, renewYears: 3 },
		3 * 365 - 20,
		'present'
	);
	await attended(userId, { title: titles.overdue, minutes: 120, renewYears: 1 }, 400, 'late');
	const certified = await attended(
		userId,
		{ title: titles.certified, minutes: 60 },
		30,
		'present',
		true
	);
	await attended(userId, { title: titles.leftEarly, minutes: 240 }, 10, 'left_early', true);

	return { email, userId, titles, certified };
}

async function openRecord(page: Page, email: string) {
	await signIn(page, email);
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/my-training');
	await page.getByRole('link', { name: 'Your training record' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Your training record' })).toBeVisible();
}

test('a practitioner’s training record shows learning time, renewals due and certificates', async ({
	page
}) => {
	const { email, titles, certified } = await practitionerWithRecord();
	await openRecord(page, email);

	const totals = page.getByTestId('record-totals');
	await expect(totals).toContainText('Rita Record');
	await expect(totals).toContainText('Solent NHS Trust');
	await expect(totals.getByRole('definition').nth(2)).toHaveText('4');
	// 3 hours + 2 hours + 1 hour; leaving early counts no learning time
	await expect(totals.getByRole('definition').nth(3)).toContainText('6 hours');
	await expect(totals.getByRole('definition').nth(4)).toHaveText('1');

	const renewals = page.getByTestId('renewals').getByRole('listitem');
	await expect(renewals).toHaveCount(2);
	await expect(renewals.filter({ hasText: titles.overdue })).toContainText('Overdue');
	await expect(renewals.filter({ hasText: titles.dueSoon })).toContainText('Due soon');
	await expect(
		renewals.filter({ hasText: titles.dueSoon }).getByRole('link', { name: /Book a place/ })
	).toBeVisible();

	const sessions = page.getByTestId('attended-sessions').getByRole('listitem');
	await expect(sessions).toHaveCount(4);
	await expect(sessions.first()).toContainText(titles.leftEarly);
	await expect(sessions.first()).toContainText('Left early · learning time none');
	await expect(sessions.filter({ hasText: titles.certified })).toContainText(certified.reference);
	await expectAccessible(page);

	// the certificate, made from the record
	// (GOV.UK's visually hidden text is read with a space either side)
	const certificate = await downloaded(
		page,
		new RegExp(`Download certificate\\W+${titles.certified}`)
	);
	const certificateText = await extractText(
		await getDocumentProxy(new Uint8Array(certificate.bytes)),
		{
			mergePages: true
		}
	);
	expect(certificateText.text).toContain(certified.reference);
	expect(certificateText.text).toContain('Rita Record');
});

test('the record downloads as CSV and PDF, waits for a connection, and a reminder leads back to it', async ({
	page,
	context
}) => {
	const { email, userId, titles, certified } = await practitionerWithRecord();
	await openRecord(page, email);
	await expect(page.getByTestId('attended-sessions').getByRole('listitem')).toHaveCount(4);
	// the record as CSV: one row per session, newest first
	const csv = await downloaded(page, 'Download as CSV');
	expect(csv.name).toMatch(/^training-record-rita-record-\d{4}-\d{2}-\d{2}\.csv$/);
	const lines = csv.bytes
		.toString('utf8')
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
	expect(lines).toHaveLength(5);
	expect(lines[0]).toBe(
		'Date,Course,Format,Attendance,Learning time (minutes),Evaluation sent,Certificate reference,Renew by'
	);
	expect(lines[1]).toContain(`${titles.leftEarly},Face to face,Left early,0,Yes,,`);
	expect(lines[2]).toContain(
		`${titles.certified},Face to face,Attended,60,Yes,${certified.reference},`
	);
	expect(lines.find((l) => l.includes(titles.dueSoon))).toMatch(/,180,No,,\d{4}-\d{2}-\d{2}$/);

	// and as PDF
	const pdf = await downloaded(page, 'Download as PDF');
	expect(pdf.name).toMatch(/\.pdf$/);
	const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.bytes)), {
		mergePages: true
	});
	const words = (text as string).replace(/\s+/g, ' ');
	expect(words).toContain('Rita Record');
	expect(words).toContain('4 sessions attended · learning time 6 hours · 1 certificate');
	for (const title of Object.values(titles)) expect(words).toContain(title);

	// offline, the page says why there is no record, and loads it once back online
	await page.getByRole('link', { name: 'My training', exact: true }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'My training' })).toBeVisible();
	await context.setOffline(true);
	await page.getByRole('link', { name: 'Your training record' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
	await expectAccessible(page);
	await context.setOffline(false);
	await expect(page.getByTestId('attended-sessions').getByRole('listitem')).toHaveCount(4);

	// six weeks before training falls due, one email says so, with the way to book and the record
	await sql`select public.send_refresher_reminders()`;
	await sql`select public.send_refresher_reminders()`;
	const reminders = await sql`select subject, body from public.notifications
		where user_id = ${userId} and kind = 'refresher_due' order by subject`;
	expect(reminders.map((r) => r.subject)).toEqual(
		[`Time to renew: ${titles.overdue}`, `Time to renew: ${titles.dueSoon}`].sort()
	);
	const link = /Your training record: (http\S+)/.exec(reminders[0]!.body as string)![1]!;
	await page.goto(new URL(link).pathname);
	await expect(page.getByTestId('renewals').getByRole('listitem')).toHaveCount(2);
});

test('an admin sets how often a course is renewed, and a number out of range is refused', async ({
	page
}) => {
	const title = `Test renewal ${crypto.randomUUID().slice(0, 6)}`;
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Add a course' }).click();
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Summary').fill('A course to be renewed, added in a test.');
	await page.getByLabel('Who it is for').fill('Designated safeguarding leads');
	await page.getByLabel('Themes').fill('Safer recruitment');
	await page.getByLabel('Learning outcomes').fill('Know the checks');
	await page.getByLabel('Renew every (years, optional)').fill('11');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Enter a number of years between 1 and 10, or leave it empty'
	);
	await expectAccessible(page);
	await page.getByLabel('Renew every (years, optional)').fill('3');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText(`${title} is saved.`)).toBeVisible({ timeout: 15_000 });
	const [saved] = await sql`select renew_years from public.courses where title = ${title}`;
	expect(saved!.renew_years).toBe(3);
});
