// @ts-check
// The register at a big Webinar Wednesday's scale: 300 people booked. Measures in
// headless Chromium how long the register takes to show them all, how long one tap takes
// until its mark shows, and how long a search takes until the list narrows.
import { chromium } from '@playwright/test';
import postgres from 'postgres';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumLaunchOptions } from '../chromium.js';

const PEOPLE = 300;
const TAPS = 30;

/** @param {string} buildDir @param {number} port @param {string} apiUrl @param {number} dbPort */
export async function measureRegister(buildDir, port, apiUrl, dbPort) {
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 2 });
	const server = spawn('node', ['tests/static-server.js', buildDir, String(port)], {
		stdio: 'ignore'
	});
	const browser = await chromium.launch(chromiumLaunchOptions);
	try {
		const { sessionId, email } = await arrange(sql);
		await sleep(500);
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/sign-in`);
		await page.getByLabel('What is your work email address?').fill(email);
		await page.getByRole('button', { name: 'Send me a code' }).click();
		await page.getByLabel('Enter the 6-digit code').fill(await signInCode(apiUrl, email));
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('link', { name: 'My sessions' }).waitFor({ timeout: 30_000 });
		await page.goto(`http://127.0.0.1:${port}/my-sessions`);
		await page.getByText('On this device').first().waitFor({ timeout: 30_000 });

		// open the register from the device: navigation until all 300 lines are on screen
		const start = Date.now();
		await page.goto(`http://127.0.0.1:${port}/my-sessions/${sessionId}`);
		await page
			.locator('.register-line')
			.nth(PEOPLE - 1)
			.waitFor();
		const openMs = Date.now() - start;

		/** @type {number[]} */
		const taps = [];
		for (let i = 0; i < TAPS; i++) {
			const index = Math.floor((i * PEOPLE) / TAPS);
			const label = i % 2 ? 'Late' : 'Present';
			taps.push(
				await page.evaluate(
					([index, label]) =>
						new Promise((resolve) => {
							const line = document.querySelectorAll('.register-line')[Number(index)];
							const button = [...(line?.querySelectorAll('button') ?? [])].find(
								(b) => b.textContent?.trim() === label
							);
							if (!button) throw new Error(`no ${label} button on line ${index}`);
							const t0 = performance.now();
							button.click();
							const check = () =>
								button.getAttribute('aria-pressed') === 'true'
									? resolve(performance.now() - t0)
									: requestAnimationFrame(check);
							check();
						}),
					[index, label]
				)
			);
		}
		taps.sort((a, b) => a - b);

		const searchMs = await page.evaluate(
			() =>
				new Promise((resolve) => {
					const input = /** @type {HTMLInputElement} */ (
						document.getElementById('register-search')
					);
					const t0 = performance.now();
					input.value = 'Attendee 0150';
					input.dispatchEvent(new Event('input', { bubbles: true }));
					const check = () =>
						document.querySelectorAll('.register-line').length === 1
							? resolve(performance.now() - t0)
							: requestAnimationFrame(check);
					check();
				})
		);
		return {
			people: PEOPLE,
			openMs,
			tapMedian: taps[Math.floor(taps.length / 2)] ?? 0,
			tapMax: taps.at(-1) ?? 0,
			searchMs: Number(searchMs)
		};
	} finally {
		await browser.close();
		server.kill();
		await sql.end();
	}
}

/** A trainer, a session happening now and 300 confirmed bookings, straight into the database. */
/** @param {postgres.Sql} sql */
async function arrange(sql) {
	const email = `bench.trainer.${Date.now()}@bench.hscp.example`;
	const trainer = first(
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`
	);
	await sql`update public.profiles set full_name = 'Bench Trainer', job_role = 'Trainer',
		agency_id = (select id from public.agencies order by name limit 1) where id = ${trainer.id}`;
	await sql`insert into public.staff_roles (user_id, role) values (${trainer.id}, 'trainer')`;
	const course = first(
		await sql`
		insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
		values (${'test-bench-' + Date.now()}, 'Bench webinar', 'Register bench', 'Everyone', 'introductory',
			'webinar', 60, array['Bench'], 'published', now()) returning id`
	);
	const session = first(
		await sql`
		insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
		values (${course.id}, now() - interval '5 minutes', now() + interval '55 minutes',
			'https://teams.example/join/bench', 400, 'auto', now() - interval '1 day') returning id`
	);
	await sql`insert into public.session_trainers (session_id, trainer_id) values (${session.id}, ${trainer.id})`;
	// one statement each: a data-modifying CTE cannot see the profiles its insert's trigger adds
	const stamp = Date.now();
	await sql`insert into auth.users (id, email)
		select gen_random_uuid(), 'attendee.' || lpad(i::text, 4, '0') || '.' || ${stamp} || '@bench.hscp.example'
		from generate_series(1, ${PEOPLE}) i`;
	await sql`update public.profiles set full_name = 'Attendee ' || split_part(split_part(email, '@', 1), '.', 2),
		agency_id = (select id from public.agencies order by name limit 1)
		where email like ${'attendee.%.' + stamp + '@bench.hscp.example'}`;
	await sql`insert into public.bookings (session_id, user_id, status)
		select ${session.id}, id, 'confirmed' from public.profiles
		where email like ${'attendee.%.' + stamp + '@bench.hscp.example'}`;
	return { sessionId: /** @type {string} */ (session.id), email };
}

/** @param {readonly postgres.Row[]} rows */
function first(rows) {
	const row = rows[0];
	if (!row) throw new Error('expected a row');
	return row;
}

/** @param {string} apiUrl @param {string} email */
export async function signInCode(apiUrl, email) {
	for (let i = 0; i < 50; i++) {
		const response = await fetch(`${apiUrl}/mailbox/messages?to=${encodeURIComponent(email)}`);
		const messages = /** @type {{ subject: string }[]} */ (await response.json());
		const code = messages[0]?.subject.match(/\b(\d{6})\b/)?.[1];
		if (code) return code;
		await sleep(200);
	}
	throw new Error(`no sign-in email for ${email}`);
}
