import { expect, test } from '@playwright/test';
import { database, expectAccessible, newPractitioner, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

const QUESTIONS = [
	'Do you have any access needs for the venue?',
	'Do you need any reasonable adjustments for the training?'
];

/** A face-to-face course asking two questions at booking, a session in ten days and its trainer. */
async function courseAsking(title: string) {
	const slug = `test-questions-${crypto.randomUUID().slice(0, 8)}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, booking_questions)
		values (${slug}, ${title}, 'A booking questions test', 'Everyone', 'introductory', 'face_to_face', 180,
			array['Testing'], 'published', now(), ${QUESTIONS})
		returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() + interval '10 days', now() + interval '10 days 3 hours', 'St Mary’s church hall',
			'Winchester', 20, 'offer', now() + interval '8 days')
		returning id`;
	const email = uniqueEmail('questions-trainer');
	const [trainer] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	await sql`update public.profiles set full_name = 'Quinn Trainer' where id = ${trainer!.id}`;
	await sql`insert into public.staff_roles (user_id, role) values (${trainer!.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${session!.id}, ${trainer!.id})`;
	return { slug, sessionId: session!.id as string, trainerEmail: email };
}

test('questions at booking: answered when booking, checked, seen by the person and the trainer', async ({
	page,
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const title = `Test access needs ${crypto.randomUUID().slice(0, 6)}`;
	const { slug, sessionId, trainerEmail } = await courseAsking(title);
	const me = await newPractitioner(page, 'questions', sql);

	await page.goto(`/courses/${slug}`);
	await page.getByRole('button', { name: /^Book a place/ }).click();
	// the questions open in place of the button, and focus moves to them
	await expect(page.getByRole('heading', { name: /Before you book/ })).toBeFocused();
	await expectAccessible(page);
	// changing one's mind puts focus back on the button
	await page.getByRole('button', { name: /^Cancel/ }).click();
	await expect(page.getByRole('button', { name: /^Book a place/ })).toBeFocused();

	await page.getByRole('button', { name: /^Book a place/ }).click();
	await page.getByLabel(QUESTIONS[0]!).fill('x'.repeat(1001));
	await page.getByRole('button', { name: /^Book a place/ }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText(
		'Answer 1 must be 1000 characters or fewer (it has 1001)'
	);
	await expectAccessible(page);
	await page.getByLabel(QUESTIONS[0]!).fill('I use a wheelchair: I need step-free access.');
	await page.getByRole('button', { name: /^Book a place/ }).click();
	await expect(page.getByTestId('booking-message')).toContainText(/booked|requested/i, {
		timeout: 15_000
	});
	await expect(page.getByText('Booked', { exact: true })).toBeVisible({ timeout: 15_000 });

	// stored with the booking, the empty answer left out
	await expect
		.poll(
			async () =>
				(
					await sql`select a.answers from public.booking_answers a join public.bookings b on b.id = a.booking_id
						where b.user_id = ${me.id}`
				)[0]?.answers,
			{ timeout: 15_000 }
		)
		.toEqual([{ question: QUESTIONS[0], answer: 'I use a wheelchair: I need step-free access.' }]);

	// the person can check what they said
	await page.getByText('Your answers at booking').click();
	await expect(page.getByText('I use a wheelchair: I need step-free access.')).toBeVisible();
	await expectAccessible(page);

	// the session's trainer sees it on the register
	const trainerContext = await browser.newContext();
	try {
		const trainerPage = await trainerContext.newPage();
		await signIn(trainerPage, trainerEmail);
		await expect(trainerPage.getByRole('link', { name: 'My sessions' })).toBeVisible();
		await trainerPage.goto(`/my-sessions/${sessionId}`);
		const line = trainerPage.getByRole('listitem').filter({ hasText: 'questions first name' });
		await expect(line).toContainText(QUESTIONS[0]!, { timeout: 15_000 });
		await expect(line).toContainText('I use a wheelchair: I need step-free access.');
		await expectAccessible(trainerPage);
	} finally {
		await trainerContext.close();
	}
});
