import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

/** An account with a complete profile, made in the database. */
async function person(fullName: string, label: string) {
	const email = uniqueEmail(label);
	const [user] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	await sql`update public.profiles set full_name = ${fullName}, job_role = 'Practitioner',
		agency_id = (select id from public.agencies where name = 'Solent NHS Trust') where id = ${user!.id}`;
	return { id: user!.id as string, email, fullName };
}

/** A published session happening now, a trainer for it, and confirmed bookings. */
async function sessionNow(title: string, names: string[], format = 'face_to_face', minutes = 60) {
	const [course] = await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-' + crypto.randomUUID().slice(0, 8)}, ${title}, 'A register test', 'Everyone', 'introductory',
			${format}::public.course_format, ${minutes}, array['Testing'], 'published', now())
		returning id`;
	const [session] = await sql`
		insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, join_url, capacity, waitlist_mode, booking_closes_at)
		values (${course!.id}, now() - interval '5 minutes', now() + ${minutes - 5} * interval '1 minute',
			${format === 'webinar' ? null : 'St Mary’s church hall'}, ${format === 'webinar' ? null : 'Winchester'},
			${format === 'webinar' ? 'https://teams.example/join/' + crypto.randomUUID() : null},
			200, 'offer', now() - interval '1 day')
		returning id`;
	const sessionId = session!.id as string;
	const trainer = await trainerFor(sessionId, 'Tess Trainer');
	const people = [];
	for (const name of names) {
		const p = await person(name, 'booker');
		const [b] = await sql`insert into public.bookings (session_id, user_id, status)
			values (${sessionId}, ${p.id}, 'confirmed') returning id`;
		people.push({ ...p, bookingId: b!.id as string });
	}
	return { sessionId, trainer, people };
}

async function trainerFor(sessionId: string, name: string) {
	const trainer = await person(name, 'trainer');
	await sql`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${sessionId}, ${trainer.id})`;
	return trainer;
}

async function openRegister(page: Page, email: string, title: string) {
	await signIn(page, email);
	await expect(page.getByRole('link', { name: 'My sessions' })).toBeVisible();
	await page.goto('/my-sessions');
	const entry = page.getByRole('listitem').filter({ hasText: title });
	await expect(entry.getByText('On this device')).toBeVisible();
	await expectAccessible(page);
	await entry.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { name: `Register: ${title}` })).toBeVisible();
}

async function controlledByServiceWorker(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);
}

const markFor = (page: Page, name: string) => page.getByRole('group', { name: `Mark ${name}` });

async function statusesOnServer(sessionId: string) {
	return sql`select coalesce(w.full_name, p.full_name) as name, e.status, e.source
		from public.attendance_events e
		left join public.bookings b on b.id = e.booking_id
		left join public.profiles p on p.id = b.user_id
		left join public.walk_in_attendees w on w.id = e.walk_in_id
		where e.session_id = ${sessionId} order by name`;
}

test('a trainer takes the register with no signal, reloads offline, and the marks reach the server', async ({
	page,
	context
}) => {
	const title = `Register offline ${Date.now()}`;
	const { sessionId, trainer } = await sessionNow(title, [
		'Ava Able',
		'Ben Baker',
		'Cara Cole',
		'Nia Noshow'
	]);
	await openRegister(page, trainer.email, title);
	await expectAccessible(page);
	await controlledByServiceWorker(page);

	await context.setOffline(true);
	await markFor(page, 'Ava Able').getByRole('button', { name: 'Present' }).click();
	await markFor(page, 'Ben Baker').getByRole('button', { name: 'Late' }).click();
	await markFor(page, 'Cara Cole').getByRole('button', { name: 'Apologies' }).click();
	await page.getByText('Add someone who did not book').click();
	await page.getByLabel('Full name').fill('Dee Drop-in');
	await page.getByLabel('Email (optional)').fill('dee@youthclub.example');
	await page.getByLabel('Or type their organisation').fill('Youth club');
	await page.getByRole('button', { name: 'Add and mark present' }).click();
	await expect(page.getByText('Dee Drop-in added to the register as present.')).toBeVisible();
	await expect(page.getByTestId('register-counts')).toContainText('2 present · 1 late');

	await page.reload();
	await expect(page.getByTestId('connection-status')).toContainText('Offline');
	await expect(page.getByRole('heading', { name: `Register: ${title}` })).toBeVisible();
	await expect(markFor(page, 'Ben Baker').getByRole('button', { name: 'Late' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(
		markFor(page, 'Dee Drop-in').getByRole('button', { name: 'Present' })
	).toHaveAttribute('aria-pressed', 'true');
	await expect(page.getByTestId('register-counts')).toContainText(
		'2 present · 1 late · 0 left early · 0 absent · 1 apologies · 1 not marked'
	);
	expect(await statusesOnServer(sessionId)).toHaveLength(0);

	// every device failing is planned for: the sign-in sheet and the register, made offline
	const sheet = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Sign-in sheet (PDF)' }).click();
	expect((await sheet).suggestedFilename()).toMatch(/^sign-in-sheet-\d{4}-\d{2}-\d{2}\.pdf$/);
	const marked = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Register as marked (PDF)' }).click();
	const pdf = await (await marked).path();
	expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

	await context.setOffline(false);
	await expect
		.poll(() => statusesOnServer(sessionId), { timeout: 15_000 })
		.toEqual([
			{ name: 'Ava Able', status: 'present', source: 'register' },
			{ name: 'Ben Baker', status: 'late', source: 'register' },
			{ name: 'Cara Cole', status: 'excused', source: 'register' },
			{ name: 'Dee Drop-in', status: 'present', source: 'register' }
		]);
	await expect(page.getByTestId('connection-status')).not.toContainText('not yet sent');

	// closing: no-shows recorded, those who attended asked for their evaluation
	await page.getByRole('button', { name: 'Close the register' }).click();
	await page.getByRole('button', { name: 'Yes, close the register' }).click();
	await expect(page.getByText('This register is closed.')).toBeVisible();
	await expect(markFor(page, 'Ava Able').getByRole('button', { name: 'Absent' })).toBeDisabled();
	await expect
		.poll(
			async () =>
				(
					await sql`select p.full_name from public.notifications n join public.profiles p on p.id = n.user_id
						where n.kind = 'evaluation_request' and n.subject = ${'How was it? ' + title} order by 1`
				).map((r) => r.full_name),
			{ timeout: 15_000 }
		)
		.toEqual(['Ava Able', 'Ben Baker']);
	expect(await statusesOnServer(sessionId)).toContainEqual({
		name: 'Nia Noshow',
		status: 'absent',
		source: 'closure'
	});
	await page.reload();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Nia Noshow' }).getByText('Did not attend')
	).toBeVisible();
});

test('two trainers marking the same person differently see the conflict and resolve it', async ({
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	const title = `Register conflict ${Date.now()}`;
	const { sessionId, trainer } = await sessionNow(title, ['Ava Able', 'Ben Baker']);
	const second = await trainerFor(sessionId, 'Sam Second');
	const [a, b] = await Promise.all([trainerPage(browser), trainerPage(browser)]);
	await openRegister(a.page, trainer.email, title);
	await openRegister(b.page, second.email, title);

	await a.context.setOffline(true);
	await b.context.setOffline(true);
	await markFor(a.page, 'Ava Able').getByRole('button', { name: 'Present' }).click();
	await markFor(b.page, 'Ava Able').getByRole('button', { name: 'Absent' }).click();
	await a.context.setOffline(false);
	await b.context.setOffline(false);
	await expect
		.poll(async () => (await statusesOnServer(sessionId)).length, { timeout: 15_000 })
		.toBe(2);

	await a.page.reload();
	const ava = a.page.getByRole('listitem').filter({ hasText: 'Ava Able' });
	await expect(ava.getByText('Marks disagree')).toBeVisible();
	await expect(ava).toContainText('Present by Tess Trainer');
	await expect(ava).toContainText('Absent by Sam Second');
	await expect(a.page.getByText('1 person has marks from two devices that disagree')).toBeVisible();
	// counted apart, as neither present nor absent, until a trainer decides
	await expect(a.page.getByTestId('register-counts')).toHaveText(
		'0 present · 0 late · 0 left early · 0 absent · 0 apologies · 1 not marked · 1 to decide (marks disagree)'
	);
	await expectAccessible(a.page);

	await markFor(a.page, 'Ava Able').getByRole('button', { name: 'Present' }).click();
	await expect(ava.getByText('Marks disagree')).toBeHidden();
	await expect(a.page.getByTestId('register-counts')).toHaveText(
		'1 present · 0 late · 0 left early · 0 absent · 0 apologies · 1 not marked'
	);
	await expect
		.poll(async () => (await statusesOnServer(sessionId)).length, { timeout: 15_000 })
		.toBe(3);
	const [booking] = await sql`select id from public.bookings where session_id = ${sessionId}
		and user_id = (select id from public.profiles where full_name = 'Ava Able' order by created_at desc limit 1)`;
	const heads = await sql`select status from public.attendance_heads(${booking!.id}, null)`;
	expect(heads.map((h) => h.status)).toEqual(['present']);
	await Promise.all([a.context.close(), b.context.close()]);
});

async function trainerPage(browser: Browser) {
	const context = await browser.newContext();
	return { context, page: await context.newPage() };
}

test('a trainer marks everyone not yet marked as present, by keyboard, and undoes it', async ({
	page
}) => {
	const title = `Register everyone ${Date.now()}`;
	const { sessionId, trainer } = await sessionNow(title, ['Amy Apple', 'Bob Bean', 'Cal Corn']);
	await openRegister(page, trainer.email, title);
	await markFor(page, 'Bob Bean').getByRole('button', { name: 'Apologies' }).click();
	const everyone = page.getByRole('button', {
		name: 'Mark everyone not yet marked as present (2)'
	});
	await everyone.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('register-counts')).toContainText(
		'2 present · 0 late · 0 left early · 0 absent · 1 apologies · 0 not marked'
	);
	await expect(page.getByText('2 people marked present. You can undo this.')).toBeAttached();
	await expectAccessible(page);
	await expect
		.poll(async () => (await statusesOnServer(sessionId)).length, { timeout: 15_000 })
		.toBe(3);

	await page.getByRole('button', { name: 'Undo: mark them as not marked again' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('register-counts')).toContainText(
		'0 present · 0 late · 0 left early · 0 absent · 1 apologies · 2 not marked'
	);
	await expect(page.getByText('Undone: 2 people are not marked again.')).toBeAttached();
	// on the server too: nobody stands as present, and Bob keeps his apologies
	await expect
		.poll(
			async () =>
				(
					await sql`select p.full_name, public.attendance_status_of(b.id) as status
						from public.bookings b join public.profiles p on p.id = b.user_id
						where b.session_id = ${sessionId} order by 1`
				).map((r) => [r.full_name, r.status]),
			{ timeout: 15_000 }
		)
		.toEqual([
			['Amy Apple', null],
			['Bob Bean', 'excused'],
			['Cal Corn', null]
		]);
});

test('a walk-in added with the email of an account finds the session in My training, to evaluate', async ({
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	test.setTimeout(60_000);
	const title = `Register walk-in account ${Date.now()}`;
	const { sessionId, trainer } = await sessionNow(title, ['Bea Booked']);
	const walker = await person('Wyn Walker', 'walker');
	const screen = await trainerPage(browser);
	await openRegister(screen.page, trainer.email, title);
	await screen.page.getByText('Add someone who did not book').click();
	await screen.page.getByLabel('Full name').fill('Wyn Walker');
	await screen.page.getByLabel('Email (optional)').fill(walker.email);
	await screen.page.getByRole('button', { name: 'Add and mark present' }).click();
	await expect(screen.page.getByText('Wyn Walker added to the register as present.')).toBeVisible();
	await expect
		.poll(() => statusesOnServer(sessionId), { timeout: 15_000 })
		.toEqual([{ name: 'Wyn Walker', status: 'present', source: 'register' }]);

	const phone = await trainerPage(browser);
	await signIn(phone.page, walker.email);
	// signing in lands on the brochure; then to My training
	await expect(phone.page).toHaveURL(/\/$/);
	await phone.page.getByRole('link', { name: 'My training' }).click();
	await expect(phone.page.getByRole('heading', { name: 'My training' })).toBeVisible();
	const entry = phone.page.getByRole('listitem').filter({ hasText: title });
	await expect(entry.getByTestId('booking-status')).toHaveText('On the register as a walk-in', {
		timeout: 15_000
	});
	await expect(entry.getByText('Attended')).toBeVisible();
	await expect(entry.getByRole('link', { name: /Give your evaluation/ })).toBeVisible();
	await expect(entry.getByRole('button', { name: /Cancel/ })).toHaveCount(0);
	await expectAccessible(phone.page);
	await Promise.all([screen, phone].map((p) => p.context.close()));
});

test('practitioners check themselves in from the QR address, online and offline', async ({
	browser
}) => {
	const title = `Register check-in ${Date.now()}`;
	const { sessionId, trainer, people } = await sessionNow(title, ['Olive Online', 'Fay Offline']);
	const screen = await trainerPage(browser);
	await openRegister(screen.page, trainer.email, title);
	await screen.page.getByRole('link', { name: 'Show the check-in code' }).click();
	const qr = screen.page.getByRole('img', { name: 'QR code to check in to this session' });
	await expect(qr).toHaveAttribute('data-checkin-url', /\/check-in\?s=/);
	await expect(screen.page.getByTestId('checkin-code')).toHaveText(/^\d{3}\s\d{3}$/);
	await expectAccessible(screen.page);

	// online: the phone opens the scanned address and is checked in
	const online = await trainerPage(browser);
	await signIn(online.page, people[0]!.email);
	await expect(online.page.getByRole('link', { name: 'My training' })).toBeVisible();
	await online.page.goto(
		new URL((await qr.getAttribute('data-checkin-url'))!).pathname +
			new URL((await qr.getAttribute('data-checkin-url'))!).search
	);
	await expect(online.page.getByRole('heading', { name: 'You are checked in' })).toBeVisible({
		timeout: 15_000
	});
	await expectAccessible(online.page);

	// offline: the check-in waits on the phone and is confirmed when it is back online
	const offline = await trainerPage(browser);
	await signIn(offline.page, people[1]!.email);
	await expect(offline.page.getByRole('link', { name: 'My training' })).toBeVisible();
	await controlledByServiceWorker(offline.page);
	const scanned = new URL((await qr.getAttribute('data-checkin-url'))!);
	await offline.context.setOffline(true);
	await offline.page.goto(scanned.pathname + scanned.search);
	await expect(offline.page.getByRole('heading', { name: 'Check-in saved' })).toBeVisible();
	await offline.page.waitForTimeout(1_000);
	await offline.context.setOffline(false);
	await expect(offline.page.getByRole('heading', { name: 'You are checked in' })).toBeVisible({
		timeout: 15_000
	});

	expect(await statusesOnServer(sessionId)).toEqual([
		{ name: 'Fay Offline', status: 'present', source: 'self_checkin' },
		{ name: 'Olive Online', status: 'present', source: 'self_checkin' }
	]);
	// a code made up on the phone is refused with the reason
	const forged = new URL(scanned);
	forged.searchParams.set(
		'c',
		String((Number(scanned.searchParams.get('c')) + 1) % 1e6).padStart(6, '0')
	);
	const stranger = await trainerPage(browser);
	const visitor = await person('Vic Visitor', 'visitor');
	await signIn(stranger.page, visitor.email);
	await expect(stranger.page.getByRole('link', { name: 'My training' })).toBeVisible();
	await stranger.page.goto(forged.pathname + forged.search);
	await expect(stranger.page.getByRole('heading', { name: 'Check-in not accepted' })).toBeVisible({
		timeout: 15_000
	});
	await expect(stranger.page.getByText('That code is not valid for this session.')).toBeVisible();
	// a refused change needs attention; it is not one "not yet sent"
	const status = stranger.page.getByTestId('connection-status');
	await expect(
		stranger.page.getByRole('alert').filter({ hasText: '1 change needs your attention' })
	).toBeVisible();
	await expect(status).not.toContainText('not yet sent');
	await Promise.all([screen, online, offline, stranger].map((p) => p.context.close()));
});

test('a code that reaches the server after it expired waits for the trainer, who confirms it', async ({
	browser
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	test.setTimeout(60_000);
	const title = `Register stale code ${Date.now()}`;
	const { sessionId, trainer, people } = await sessionNow(title, ['Lena Late-Signal']);
	// the address the phone scanned four minutes ago, sent only now (no signal in the hall)
	const step = Math.floor((Date.now() - 4 * 60_000) / 30_000);
	await sql`insert into public.session_checkin_keys (session_id) values (${sessionId}) on conflict do nothing`;
	const [row] = await sql`select public.checkin_code(secret, session_id, ${step}) as code
		from public.session_checkin_keys where session_id = ${sessionId}`;
	const phone = await trainerPage(browser);
	await signIn(phone.page, people[0]!.email);
	await expect(phone.page).toHaveURL(/\/$/);
	await expect(phone.page.getByRole('link', { name: 'My training' })).toBeVisible();
	await phone.page.goto(`/check-in?s=${sessionId}&t=${step}&c=${row!.code}`);
	await expect(
		phone.page.getByRole('heading', { name: 'Check-in waiting for your trainer' })
	).toBeVisible({ timeout: 15_000 });
	await expectAccessible(phone.page);
	expect(await statusesOnServer(sessionId)).toEqual([]);

	const screen = await trainerPage(browser);
	await openRegister(screen.page, trainer.email, title);
	await expect(screen.page.getByTestId('register-counts')).toContainText(
		'1 checked in while offline: confirm'
	);
	await expect(screen.page.getByText('Checked in while offline: confirm.')).toBeVisible();
	await expectAccessible(screen.page);
	await screen.page
		.getByRole('button', { name: /^Confirm: present\s*, Lena Late-Signal$/ })
		.click();
	await expect(screen.page.getByTestId('register-counts')).toContainText('1 present');
	await expect(screen.page.getByText('Checked in while offline: confirm.')).toHaveCount(0);
	await expect
		.poll(() => statusesOnServer(sessionId), { timeout: 15_000 })
		.toEqual([{ name: 'Lena Late-Signal', status: 'present', source: 'register' }]);
	const [waiting] =
		await sql`select count(*)::int as n from public.offline_checkins where session_id = ${sessionId} and decided_by_mark is null`;
	expect(waiting!.n).toBe(0);
	await Promise.all([phone, screen].map((p) => p.context.close()));
});

test('a Teams attendance report marks the right people, and importing it again changes nothing', async ({
	page
}) => {
	test.setTimeout(60_000);
	// a course the report's meeting title names
	const title = `Neglect register import ${Date.now()}`;
	const { sessionId, trainer, people } = await sessionNow(
		title,
		['Priya Report', 'Owen Report', 'Grace Report', 'Nina Noshow'],
		'webinar',
		60
	);
	// the webinar ran from 10 to 11am today, UK time, as in the report
	await sql`update public.sessions set
		starts_at = ((now() at time zone 'Europe/London')::date + time '10:00') at time zone 'Europe/London',
		ends_at = ((now() at time zone 'Europe/London')::date + time '11:00') at time zone 'Europe/London',
		booking_closes_at = now() - interval '2 days' where id = ${sessionId}`;
	const today = new Intl.DateTimeFormat('en-US', {
		timeZone: 'Europe/London',
		month: 'numeric',
		day: 'numeric',
		year: '2-digit'
	}).format(new Date());
	// the real Teams sample with this test's attendees' emails in it
	const sample = readFileSync('tests/fixtures/attendance-reports/teams-attendance-report.csv');
	const original = new TextDecoder('utf-16le')
		.decode(sample.subarray(2))
		.replaceAll('priya@demo.hscp.example', people[0]!.email.toUpperCase())
		.replaceAll('owen.price@hants.police.example', people[1]!.email)
		.replaceAll('GRACE.KEMP@School.Example ', ` ${people[2]!.email} `);
	const teamsFile = (text: string) => ({
		name: 'Attendance report.csv',
		mimeType: 'text/csv',
		buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
	});
	const file = teamsFile(original.replaceAll('11/18/26', today));

	await openRegister(page, trainer.email, title);
	await page.getByRole('link', { name: 'Import a Teams or Zoom attendance report' }).click();

	// the same report from another day: named, and not applied without the trainer's say-so
	await page.getByLabel('Attendance report (CSV)').setInputFiles(teamsFile(original));
	await expect(page.getByTestId('import-mismatch')).toContainText(
		'The report is for a meeting on Wednesday 18 November 2026'
	);
	await page.getByRole('button', { name: /^Apply/ }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Confirm this report is for this session, or choose the right report'
	);
	await expect(page.getByLabel('I have checked: this report is for this session')).toBeFocused();
	await expectAccessible(page);
	expect(await statusesOnServer(sessionId)).toEqual([]);

	await page.getByLabel('Attendance report (CSV)').setInputFiles(file);
	await expect(page.getByTestId('import-mismatch')).toHaveCount(0);
	await expect(page.getByTestId('import-summary')).toContainText(
		'Microsoft Teams report, 6 people: 3 on the register (3 to change), 2 not on the register, 1 left out.'
	);
	await page.getByLabel('Add Dev Patel as a walk-in').check();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Apply 4 changes' }).click();
	await expect(
		page.getByText('Imported Attendance report.csv: 3 marks and 1 walk-in.')
	).toBeVisible();

	await expect
		.poll(() => statusesOnServer(sessionId), { timeout: 15_000 })
		.toEqual([
			{ name: 'Dev Patel', status: 'present', source: 'import' },
			{ name: 'Grace Report', status: 'left_early', source: 'import' },
			{ name: 'Owen Report', status: 'present', source: 'import' },
			{ name: 'Priya Report', status: 'present', source: 'import' }
		]);

	await page.getByLabel('Attendance report (CSV)').setInputFiles(file);
	await expect(page.getByTestId('import-summary')).toContainText(
		'4 on the register (0 to change), 1 not on the register'
	);
	await expect(page.getByText('Nothing to change: the register already says this.')).toBeVisible();

	// a damaged file is refused whole, naming the line; a spreadsheet with what to do
	await page
		.getByLabel('Attendance report (CSV)')
		.setInputFiles('tests/fixtures/attendance-reports/zoom-participants-damaged.csv');
	await expect(page.getByRole('alert')).toContainText(
		'Line 6 could not be read: a quote is not closed. Nothing has been imported'
	);
	await expect(page.getByRole('button', { name: /^Apply/ })).toHaveCount(0);
	await page
		.getByLabel('Attendance report (CSV)')
		.setInputFiles('tests/fixtures/attendance-reports/attendance-report.xlsx');
	await expect(page.getByRole('alert')).toContainText(
		'This is an Excel workbook (.xlsx), not a CSV file.'
	);
});

test('a Zoom report with guests, a host and a phone: matched by name to check, the rest left out', async ({
	page
}) => {
	const title = `Neglect register Zoom ${Date.now()}`;
	const { sessionId, trainer, people } = await sessionNow(
		title,
		['Ana Nunez', 'Liam Latecomer'],
		'webinar'
	);
	// the webinar of the report, moved to two days ago (a register more than 14 days old is
	// not kept on the device): 10 to 11am UK time
	const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
	const ukNoon = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/London',
		hour: 'numeric',
		hourCycle: 'h23'
	}).format(new Date(`${day}T12:00:00Z`));
	const offsetHours = Number(ukNoon) - 12;
	const at = (hour: number) =>
		new Date(Date.parse(`${day}T${hour}:00:00Z`) - offsetHours * 3_600_000);
	await sql`update public.sessions set starts_at = ${at(10)}, ends_at = ${at(11)},
		booking_closes_at = ${new Date(at(10).getTime() - 86_400_000)} where id = ${sessionId}`;
	const [year, month, date] = day.split('-');
	const report = readFileSync(
		'tests/fixtures/attendance-reports/zoom-participants-host-guests.csv',
		'utf8'
	)
		.replaceAll('liam.latecomer@hants.police.example', people[1]!.email)
		.replaceAll('11/18/2026', `${month}/${date}/${year}`);
	await signIn(page, trainer.email);
	await expect(page.getByRole('link', { name: 'My sessions' })).toBeVisible();
	await page.goto(`/my-sessions/${sessionId}`);
	await page.getByRole('link', { name: 'Import a Teams or Zoom attendance report' }).click();
	await page.getByLabel('Attendance report (CSV)').setInputFiles({
		name: 'participants.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(report)
	});
	await expect(page.getByTestId('import-summary')).toContainText(
		'Zoom report, 11 people: 2 on the register (2 to change, 1 matched by name), 3 not on the register, 6 left out.'
	);
	await expect(page.getByText('Matched by name — check')).toBeVisible();
	await expect(page.getByTestId('import-left-out')).toHaveCount(6);
	await expect(page.getByLabel('Add iPhone as a walk-in')).toHaveCount(0);
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Apply 2 changes' }).click();
	await expect
		.poll(() => statusesOnServer(sessionId), { timeout: 15_000 })
		.toEqual([
			{ name: 'Ana Nunez', status: 'present', source: 'import' },
			{ name: 'Liam Latecomer', status: 'late', source: 'import' }
		]);
});

test('a trainer messages everyone booked (the room changed): errors first, then one email to each confirmed place', async ({
	page
}) => {
	const title = `Register message ${Date.now()}`;
	const { trainer, people } = await sessionNow(title, ['Ann Able', 'Ben Bold']);
	await openRegister(page, trainer.email, title);
	await page.getByText('Message everyone booked').click();
	await page.getByRole('button', { name: 'Send the message' }).click();
	await expect(page.getByRole('alert')).toContainText('Enter the subject');
	await expect(page.getByRole('alert')).toContainText('Enter the message');
	await expectAccessible(page);
	await page.getByLabel('Subject').fill('Room change');
	await page.getByLabel('Message').fill('We are in the small hall today, through the side door.');
	await page.getByRole('button', { name: 'Send the message' }).focus();
	await page.keyboard.press('Enter');
	await expect(
		page.getByRole('status').filter({ hasText: 'Your message is being emailed' })
	).toHaveText('Your message is being emailed to 2 people with a confirmed place.');
	const sent = await sql`select user_id, subject, body from public.notifications
		where kind = 'session_message' and user_id in ${sql(people.map((p) => p.id))}`;
	expect(sent.map((e) => e.user_id).sort()).toEqual(people.map((p) => p.id).sort());
	expect(sent[0]!.subject).toBe(`${title}: Room change`);
	expect(sent[0]!.body).toContain('We are in the small hall today, through the side door.');
	expect(sent[0]!.body).toContain('St Mary’s church hall');
});
