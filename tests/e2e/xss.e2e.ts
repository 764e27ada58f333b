import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { database, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

// Markup that runs script if it is ever inserted as HTML, and a spreadsheet formula.
const tag = crypto.randomUUID().slice(0, 8);
const IMG = `<img src=x onerror="window.__xss=(window.__xss||[]).concat('img')">`;
const SCRIPT = `<script>window.__xss=(window.__xss||[]).concat('script')</script>`;
const title = `Safeguarding ${IMG} ${tag}`;
const summary = `Summary ${SCRIPT}`;
const outcome = `Outcome <b onmouseover="window.__xss=1">bold</b> ${SCRIPT}`;
const practice = `=HYPERLINK("http://evil.example","x") ${IMG}`;
const name = `+Ada ${IMG}`;

/** Nothing injected ran, and the markup shows as the text it is. */
async function inert(page: Page, ...texts: string[]) {
	for (const text of texts)
		await expect(page.getByText(text).filter({ visible: true }).first()).toBeVisible();
	expect(
		await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)
	).toBeUndefined();
	expect(await page.locator('main img[src="x"], main b[onmouseover]').count()).toBe(0);
}

test('markup and formulas in every free-text field stay text: brochure, register, dashboard, evidence pack and CSV', async ({
	page
}) => {
	// a course, a session last month with an attendee's evaluation, and one running now
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-xss-' + tag}, ${title}, ${summary}, ${'Everyone ' + IMG}, 'introductory', 'face_to_face', 60,
			array[${'Theme ' + tag}], 'published', now())
		returning id`;
	await sql`insert into public.learning_outcomes (course_id, position, text) values (${course!.id}, 1, ${outcome})`;
	const session = async (startsIn: string) => {
		const [s] = await sql`
			insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			values (${course!.id}, now() + ${startsIn}::interval, now() + ${startsIn}::interval + interval '1 hour',
				${'Hall ' + IMG}, 30, 'offer', now() + ${startsIn}::interval - interval '1 day')
			returning id`;
		return s!.id as string;
	};
	const past = await session('-30 days');
	const now = await session('-5 minutes');
	const [attendee] = await sql`insert into auth.users (id, email)
		values (gen_random_uuid(), ${uniqueEmail('xss.attendee')}) returning id`;
	await sql`update public.profiles set full_name = ${name}, job_role = ${'@SUM(1+1) ' + SCRIPT},
		agency_id = (select id from public.agencies where name = 'Solent NHS Trust') where id = ${attendee!.id}`;
	for (const s of [past, now]) {
		const [b] = await sql`insert into public.bookings (session_id, user_id, status)
			values (${s}, ${attendee!.id}, 'confirmed') returning id`;
		if (s === past)
			await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
				values (gen_random_uuid(), ${s}, ${b!.id}, 'present', ${attendee!.id}, now() - interval '30 days', 'self_checkin')`;
	}
	const [evaluation] =
		await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change, comments)
		values (gen_random_uuid(), ${past}, ${attendee!.id}, 4, ${practice}, ${SCRIPT}) returning id`;
	await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
		select ${evaluation!.id}, id, 2, 4 from public.learning_outcomes where course_id = ${course!.id}`;
	// four more answers, so the anonymised export (nothing about fewer than 5 people) has the course
	for (let i = 1; i <= 4; i++) {
		const [other] = await sql`insert into auth.users (id, email)
			values (gen_random_uuid(), ${uniqueEmail('xss.other')}) returning id`;
		const [b] = await sql`insert into public.bookings (session_id, user_id, status)
			values (${past}, ${other!.id}, 'confirmed') returning id`;
		await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
			values (gen_random_uuid(), ${past}, ${b!.id}, 'present', ${other!.id}, now() - interval '30 days', 'self_checkin')`;
		const [e] =
			await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
			values (gen_random_uuid(), ${past}, ${other!.id}, 4, ${'Plain answer ' + i}) returning id`;
		await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
			select ${e!.id}, id, 3, 4 from public.learning_outcomes where course_id = ${course!.id}`;
	}
	const [trainer] =
		await sql`select id from public.profiles where email = 'trainer@demo.hscp.example'`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${now}, ${trainer!.id})`;
	await sql`insert into public.walk_in_attendees (session_id, full_name, email, added_by)
		values (${now}, ${'-Walker ' + SCRIPT}, null, ${trainer!.id})`;

	// the brochure and the course page, for anyone
	await page.goto('/');
	await page.getByLabel('Search courses').fill(tag);
	await inert(page, title);
	await page.getByRole('link', { name: title }).click();
	await inert(page, title, 'Summary <script>', 'Outcome <b onmouseover=', 'Hall <img src=x');

	// the trainer's register
	await signIn(page, 'trainer@demo.hscp.example');
	await expect(page.getByRole('link', { name: 'My sessions' })).toBeVisible();
	await page.goto('/my-sessions');
	await page.getByRole('listitem').filter({ hasText: tag }).getByRole('link').first().click();
	await inert(page, name, '-Walker <script>');

	// the impact dashboard, its evidence pack and its CSV, for an admin
	await page.getByRole('link', { name: 'Your profile' }).click();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page.getByRole('link', { name: 'Impact', exact: true })).toBeVisible();
	const from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
	const to = new Date().toISOString().slice(0, 10);
	await page.goto(`/impact?period=custom&from=${from}&to=${to}&course_id=${course!.id}`);
	await expect(page.getByTestId('headlines')).toBeVisible({ timeout: 15_000 });
	await inert(page, title, '=HYPERLINK(');
	/** every cell of one export */
	const exported = async (button: string) => {
		const downloading = page.waitForEvent('download');
		await page.getByRole('button', { name: button }).click();
		const text = readFileSync((await (await downloading).path())!)
			.toString('utf8')
			.slice(1);
		const csv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
		return csv.data.flatMap((row) => Object.values(row));
	};
	const cells = [
		...(await exported('Export evaluations, anonymised (CSV)')),
		...(await exported('Export registers (CSV)'))
	];
	expect(cells).toContain(`'${practice}`);
	expect(cells).toContain(`'${name}`);
	expect(cells).toContain(`'-Walker ${SCRIPT}`);
	// no cell starts a formula (a negative number is a number)
	expect(cells.filter((c) => /^[=+\-@]/.test(c) && !/^-\d/.test(c))).toEqual([]);
	await page.getByRole('link', { name: /Evidence pack for this selection/ }).click();
	await expect(page.getByTestId('pack-headlines')).toBeVisible();
	await inert(page, '=HYPERLINK(');
});
