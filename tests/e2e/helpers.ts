import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { API_PORT, DB_PORT } from '../../playwright.config';

/** A fresh address per test so tests never share an account. */
export function uniqueEmail(label: string) {
	return `${label}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.hscp.example`;
}

/** The latest sign-in code the local mailbox holds for this address. */
export async function readSignInCode(email: string): Promise<string> {
	let code: string | undefined;
	await expect
		.poll(
			async () => {
				const response = await fetch(
					`http://127.0.0.1:${API_PORT}/mailbox/messages?to=${encodeURIComponent(email)}`
				);
				const messages = (await response.json()) as { subject: string }[];
				code = messages[0]?.subject.match(/\b(\d{6})\b/)?.[1];
				return code;
			},
			{ message: `a sign-in email to ${email}`, timeout: 10_000 }
		)
		.toBeDefined();
	return code!;
}

/** Axe with the WCAG 2.2 AA rule set; any violation fails the test with its details. */
export async function expectAccessible(page: Page) {
	// the page has rendered (the app shell has no heading until the page's component is in)
	await page.locator('h1').first().waitFor();
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
		.analyze();
	expect(
		results.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target) }))
	).toEqual([]);
}

export async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.getByLabel('What is your work email address?').fill(email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
	await page.getByLabel('Enter the 6-digit code').fill(await readSignInCode(email));
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The e2e suite's own database, to arrange and check what reached the server. */
export function database() {
	return postgres(`postgres://postgres:postgres@127.0.0.1:${DB_PORT}/postgres`, { max: 2 });
}

/** Signs in a new practitioner and completes their profile; returns who they are. */
export async function newPractitioner(page: Page, label: string, sql: postgres.Sql) {
	const email = uniqueEmail(label);
	await signIn(page, email);
	await expect(page.getByRole('heading', { name: 'Tell us about yourself' })).toBeVisible();
	await saveProfile(page, `${label} first name`);
	await expect(page.getByTestId('connection-status')).not.toContainText('not yet sent');
	const [row] = await sql`select id from public.profiles where email = ${email}`;
	return { email, id: row!.id as string };
}

/** Fills in and saves the profile form on the current page. */
export async function saveProfile(page: Page, fullName: string) {
	await page.getByLabel('Full name').fill(fullName);
	const agency = page.getByLabel('Agency');
	if ((await agency.inputValue()) === '') await agency.selectOption({ label: 'Solent NHS Trust' });
	await page.getByLabel('Job role').fill('Health visitor');
	await page.getByRole('button', { name: 'Save profile' }).click();
	await expect(page.getByText('Your profile is saved')).toBeVisible();
}

/** Every published course: the seed's, and any a test has added. */
export async function publishedCourseCount(sql: postgres.Sql) {
	const [row] = await sql`select count(*)::int as n from public.courses where status = 'published'`;
	return row!.n as number;
}

/** A published webinar with one session of the given capacity, a week from now. */
export async function webinarWithPlaces(
	sql: postgres.Sql,
	capacity: number,
	mode: 'auto' | 'offer' = 'auto'
) {
	const slug = `e2e-webinar-${crypto.randomUUID().slice(0, 8)}`;
	const title = `Safeguarding test webinar ${slug.slice(-8)}`;
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
			${`https://teams.example/join/${slug}`}, ${capacity}, ${mode}, now() + interval '6 days')
		returning id`;
	return { slug, title, sessionId: session!.id as string };
}
