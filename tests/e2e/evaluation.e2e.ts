import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

const OUTCOMES = [
	'Recognise the signs of neglect',
	'Use the graded care profile with a family',
	'Know when and how to refer'
];

/** A practitioner marked present at a one-hour session that ended an hour ago. */
async function attended(title: string, name = 'Erin Evaluator') {
	const email = uniqueEmail('evaluator');
	const [me] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	await sql`update public.profiles set full_name = ${name}, job_role = 'Health visitor',
		agency_id = (select id from public.agencies where name = 'Solent NHS Trust') where id = ${me!.id}`;
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at, followup_weeks)
		values (${'test-' + crypto.randomUUID().slice(0, 8)}, ${title}, 'An evaluation test', 'Everyone', 'introductory',
			'face_to_face', 60, array['Neglect'], 'published', now(), 12)
		returning id`;
	for (const [i, text] of OUTCOMES.entries()) {
		await sql`insert into public.learning_outcomes (course_id, position, text) values (${course!.id}, ${i + 1}, ${text})`;
	}
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z', 'Hall', 'Winchester', 20, 'offer', '2026-11-17T10:00:00Z')
		returning id`;
	const [booking] = await sql`insert into public.bookings (session_id, user_id, status)
		values (${session!.id}, ${me!.id}, 'confirmed') returning id, certificate_ref`;
	await sql`insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
		values (gen_random_uuid(), ${session!.id}, ${booking!.id}, 'present', ${me!.id}, '2026-11-18T10:05:00Z', 'register')`;
	return {
		email,
		userId: me!.id as string,
		sessionId: session!.id as string,
		reference: booking!.certificate_ref as string
	};
}

/** The downloaded certificate's text, and any two pieces of it drawn over each other. */
async function certificateText(page: Page) {
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: /Download certificate/ }).click();
	const download = await downloading;
	const pdf = await getDocumentProxy(new Uint8Array(readFileSync((await download.path())!)));
	const { text } = await extractText(pdf, { mergePages: true });
	const content = await (await pdf.getPage(1)).getTextContent();
	// each drawn line's box, from its baseline: Helvetica rises 0.72 of the size, falls 0.21
	const boxes = content.items.flatMap((item) => {
		if (!('str' in item) || !item.str.trim()) return [];
		const [, , , size, x, y] = item.transform as number[];
		return [
			{
				text: item.str,
				left: x!,
				right: x! + item.width,
				bottom: y! - 0.21 * size!,
				top: y! + 0.72 * size!
			}
		];
	});
	const overlapping = boxes.flatMap((a, i) =>
		boxes
			.slice(i + 1)
			.filter((b) => a.left < b.right && b.left < a.right && a.bottom < b.top && b.bottom < a.top)
			.map((b) => `"${a.text}" / "${b.text}"`)
	);
	expect(overlapping, 'text drawn over other text').toEqual([]);
	return { words: text.replace(/\s+/g, ' '), lines: boxes.map((b) => b.text) };
}

async function answerOutcome(page: Page, before: string, now: string) {
	await page
		.getByRole('group', { name: /Before the training/ })
		.getByLabel(before)
		.check();
	await page.getByRole('group', { name: /^Now/ }).getByLabel(now).check();
	await page.getByRole('button', { name: 'Continue' }).click();
}

test('an attendee evaluates offline across a reload, it syncs, the certificate is right, and the follow-up comes 12 weeks on', async ({
	page,
	context
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const title = `Neglect in practice ${Date.now()}`;
	const { email, userId, sessionId, reference } = await attended(title);
	await signIn(page, email);
	await expect(page.getByRole('link', { name: 'My training' })).toBeVisible();
	await page.goto('/my-training');
	const entry = page.getByRole('listitem').filter({ hasText: title });
	await expect(entry.getByText('Attended')).toBeVisible();
	await expect(entry.getByRole('button', { name: /Download certificate/ })).toHaveCount(0);
	await entry.getByRole('link', { name: /Give your evaluation/ }).click();
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);

	await context.setOffline(true);
	await expect(page.getByRole('heading', { name: OUTCOMES[0] })).toBeVisible();
	await expect(page.getByText('Question 1 of 5')).toBeVisible();
	await expectAccessible(page);
	// missing answers are announced and linked
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Choose how confident you felt before the training'
	);
	await expectAccessible(page);
	await answerOutcome(page, 'Slightly confident', 'Very confident');
	await expect(page.getByRole('heading', { name: OUTCOMES[1] })).toBeVisible();
	await answerOutcome(page, 'Not at all confident', 'Moderately confident');

	// the draft survives a reload with no signal
	await page.reload();
	await expect(page.getByTestId('connection-status')).toContainText('Offline');
	await expect(page.getByRole('heading', { name: OUTCOMES[2] })).toBeVisible();
	await page.getByRole('button', { name: 'Back' }).click();
	await expect(
		page.getByRole('group', { name: /^Now/ }).getByLabel('Moderately confident')
	).toBeChecked();
	await page.getByRole('button', { name: 'Continue' }).click();
	await answerOutcome(page, 'Moderately confident', 'Extremely confident');
	await page.getByLabel('Very useful').check();
	await page.getByRole('button', { name: 'Continue' }).click();
	await page
		.getByLabel('How will this training inform your practice?')
		.fill('I will use the graded care profile at <b>every</b> visit');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByRole('heading', { name: 'Check the answers' })).toBeVisible();
	await expect(
		page.getByText('I will use the graded care profile at <b>every</b> visit')
	).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Send my evaluation' }).click();
	await expect(page.getByRole('heading', { name: 'Evaluation sent' })).toBeVisible();
	await expect(
		page.getByText('saved on this device and will be sent when it is back online')
	).toBeVisible();
	expect(await sql`select 1 from public.evaluations where user_id = ${userId}`).toHaveLength(0);

	await context.setOffline(false);
	await expect
		.poll(
			async () =>
				sql`select e.overall, e.practice_change, array_agg(r.before || '>' || r.after order by lo.position) as ratings
					from public.evaluations e join public.evaluation_ratings r on r.evaluation_id = e.id
					join public.learning_outcomes lo on lo.id = r.outcome_id
					where e.user_id = ${userId} and e.session_id = ${sessionId} group by e.id`,
			{ timeout: 15_000 }
		)
		.toEqual([
			{
				overall: 4,
				practice_change: 'I will use the graded care profile at <b>every</b> visit',
				ratings: ['2>4', '1>3', '3>5']
			}
		]);

	// the certificate, made on the device, says the right things, with nothing overlapping
	const words = (await certificateText(page)).words;
	for (const expected of [
		'Hampshire Safeguarding Children Partnership',
		'Certificate of attendance',
		'This certifies that',
		'Erin Evaluator',
		title,
		'on Wednesday 18 November 2026: 1 hour of learning',
		...OUTCOMES,
		'Certificate reference',
		reference,
		'Anyone can check this certificate at',
		'/verify'
	]) {
		expect(words).toContain(expected);
	}

	// an employer checks it: the link beside the button opens the checker with the reference
	await page.getByRole('link', { name: 'certificate checker' }).click();
	await expect(page.getByRole('heading', { name: 'This certificate is genuine' })).toBeFocused();
	const answer = page.getByRole('definition');
	await expect(answer.nth(0)).toHaveText('Erin Evaluator');
	await expect(answer.nth(1)).toHaveText(title);
	await expect(answer.nth(2)).toHaveText('Wednesday 18 November 2026');
	await expect(answer.nth(3)).toHaveText('1 hour');
	await expectAccessible(page);

	// twelve weeks on (the course's interval), the follow-up is asked for and answered
	// the session's fixed date, twelve weeks on, whatever today is
	await sql`select public.send_followup_requests(timestamptz '2026-11-18T11:00:00Z' + interval '12 weeks')`;
	const [mail] =
		await sql`select subject from public.notifications where user_id = ${userId} and kind = 'followup_request'`;
	expect(mail!.subject).toBe(`Has it made a difference? ${title}`);
	await page.goto('/my-training');
	await page
		.getByRole('link', { name: 'Answer the follow-up: has the training made a difference?' })
		.click();
	await expect(
		page.getByRole('heading', { name: 'Has the training made a difference?' })
	).toBeVisible();
	await expectAccessible(page);
	await page
		.getByRole('group', { name: 'Have you applied what you learned in your work?' })
		.getByLabel('Partly')
		.check();
	await page.getByLabel('Give an example (optional)').fill('Used it with two families');
	for (const outcome of OUTCOMES) {
		await page.getByRole('group', { name: outcome }).getByLabel('Very confident').check();
	}
	await page.getByLabel('What, if anything, got in the way? (optional)').fill('Time');
	await page.getByRole('button', { name: 'Send my answers' }).click();
	await expect(page.getByRole('heading', { name: 'Answers sent' })).toBeVisible();
	await expect
		.poll(
			async () =>
				sql`select f.applied, f.example, f.barriers, count(r.*)::int as ratings from public.followups f
					join public.followup_ratings r on r.followup_id = f.id where f.user_id = ${userId} group by f.id`,
			{ timeout: 15_000 }
		)
		.toEqual([
			{ applied: 'partly', example: 'Used it with two families', barriers: 'Time', ratings: 3 }
		]);
});

test('a trainer types in a paper evaluation with no signal and sees the session’s results without names', async ({
	page,
	context
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const title = `Paper forms ${Date.now()}`;
	const { sessionId, userId } = await attended(title);
	await sql`update public.sessions set starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour'
		where id = ${sessionId}`;
	const trainerEmail = uniqueEmail('paper-trainer');
	const [trainer] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${trainerEmail}) returning id`;
	await sql`update public.profiles set full_name = 'Pat Paper', job_role = 'Trainer',
		agency_id = (select id from public.agencies where name = 'Solent NHS Trust') where id = ${trainer!.id}`;
	await sql`insert into public.staff_roles (user_id, role) values (${trainer!.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer!.id})`;
	// one attendee has already answered in the app
	const [online] =
		await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${sessionId}, ${userId}, 5, 'Share the toolkit with my team') returning id`;
	await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
		select ${online!.id}, id, 2, 4 from public.learning_outcomes where course_id =
			(select course_id from public.sessions where id = ${sessionId})`;

	await signIn(page, trainerEmail);
	await expect(page.getByRole('link', { name: 'My sessions' })).toBeVisible();
	await page.goto('/my-sessions');
	const entry = page.getByRole('listitem').filter({ hasText: title });
	await expect(entry.getByText('On this device')).toBeVisible();
	await entry.getByRole('link', { name: title }).click();
	await page.getByRole('link', { name: 'Enter evaluations from paper forms' }).click();
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await context.setOffline(true);
	for (let i = 0; i < OUTCOMES.length; i++) {
		await answerOutcome(page, 'Slightly confident', 'Moderately confident');
	}
	await page.getByLabel('Moderately useful').check();
	await page.getByRole('button', { name: 'Continue' }).click();
	await page
		.getByLabel('How will this training inform their practice?')
		.fill('Written on the paper form');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Send this evaluation' }).click();
	await expect(
		page.getByText('1 entered now. 1 paper evaluation on this device waiting to be sent.')
	).toBeVisible();
	await expect(page.getByText('Question 1 of 5')).toBeVisible();

	await context.setOffline(false);
	await expect
		.poll(
			async () =>
				sql`select from_paper, entered_by, overall from public.evaluations where session_id = ${sessionId} and from_paper`,
			{ timeout: 15_000 }
		)
		.toEqual([{ from_paper: true, entered_by: trainer!.id, overall: 3 }]);

	await page.goto(`/my-sessions/${sessionId}/results`);
	await expect(page.getByTestId('results-summary')).toContainText(
		'2 evaluations from 1 who attended'
	);
	await expect(page.getByTestId('results-summary')).toContainText('1 from paper forms');
	// two answers describe two people: nothing beyond how many answered
	await expect(page.getByText('The results are shown once 5 people have answered')).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: OUTCOMES[0] })).toHaveCount(0);
	await expect(page.getByText('Share the toolkit with my team')).toHaveCount(0);
	await expectAccessible(page);

	// three more paper forms, each 2 before and 4 after: five answers, the figures are shown
	for (let i = 0; i < 3; i++) {
		const [form] =
			await sql`insert into public.evaluations (id, session_id, entered_by, from_paper, overall, practice_change)
			values (gen_random_uuid(), ${sessionId}, ${trainer!.id}, true, 4, ${`Paper answer ${i}`}) returning id`;
		await sql`insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
			select ${form!.id}, id, 2, 4 from public.learning_outcomes where course_id =
				(select course_id from public.sessions where id = ${sessionId})`;
	}
	await page.reload();
	await expect(page.getByTestId('results-summary')).toContainText('5 evaluations');
	const first = page.getByRole('row').filter({ hasText: OUTCOMES[0] });
	// answers, before, after, change: every before 2; after 4, 3 (the first paper form) and 4, 4, 4
	await expect(first.getByRole('cell')).toHaveText(['5', '2.0', '3.8', '+1.80']);
	await expect(page.getByTestId('results-gain')).toContainText(
		'Fewer than 10 answers: read with care.'
	);
	await expect(page.getByText('Share the toolkit with my team')).toBeVisible();
	await expect(page.getByText('Erin Evaluator')).toHaveCount(0);
	await expectAccessible(page);
});

test('the longest name and course title fit on the certificate, and the checker finds nothing for a reference not issued', async ({
	page
}) => {
	// as long as a profile's name and a course's title may be: 200 characters each
	const name = 'Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh '
		.repeat(4)
		.slice(0, 200)
		.trim();
	const title =
		`${Date.now()} Recognising and responding to exploitation, county lines and serious youth violence across the partnership area `
			.repeat(2)
			.slice(0, 200)
			.trim();
	const { email, userId, sessionId } = await attended(title, name);
	await sql`insert into public.evaluations (id, session_id, user_id, overall, practice_change)
		values (gen_random_uuid(), ${sessionId}, ${userId}, 5, 'I will use the exploitation screening tool')`;
	await signIn(page, email);
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/my-training');
	const { lines } = await certificateText(page);
	const drawn = lines.join('').replace(/\s/g, '');
	expect(drawn).toContain(name.replace(/\s/g, ''));
	expect(drawn).toContain(title.replace(/\s/g, ''));

	await page.goto('/verify');
	await expect(page.getByRole('heading', { name: 'Check a certificate' })).toBeVisible();
	await page.getByLabel('Certificate reference').fill('ABC-123');
	await page.getByRole('button', { name: 'Check the certificate' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Enter the reference as printed: 12 letters and numbers, like 7K3M-Q9XD-2RTA'
	);
	await expectAccessible(page);
	await page.getByLabel('Certificate reference').fill('zzzz zzzz zzzz');
	await page.getByRole('button', { name: 'Check the certificate' }).click();
	await expect(
		page.getByRole('heading', { name: 'No certificate has the reference ZZZZ-ZZZZ-ZZZZ' })
	).toBeFocused();
	await expect(page.getByRole('definition')).toHaveCount(0);
	await expectAccessible(page);
});
