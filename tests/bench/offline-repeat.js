// @ts-check
// Offline budget (docs/architecture.md, Budgets): a repeat visit with no signal, with 300 courses and 1,500
// sessions on the device. The brochure is opened once online (everything pulled, the service
// worker in control), then reloaded offline five times; each time is measured from the
// navigation until all 300 courses are counted on screen.
import { chromium } from '@playwright/test';
import postgres from 'postgres';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumLaunchOptions } from '../chromium.js';

const COURSES = 300;
const SESSIONS = 1500;
const RUNS = 5;

/** @param {string} buildDir @param {number} port @param {number} dbPort */
export async function measureOfflineRepeatVisit(buildDir, port, dbPort) {
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 1 });
	const server = spawn('node', ['tests/static-server.js', buildDir, String(port)], {
		stdio: 'ignore'
	});
	const browser = await chromium.launch(chromiumLaunchOptions);
	try {
		// top the brochure up to 300 published courses, with 1,500 sessions still to come
		const [{ n: published }] = /** @type {[{ n: number }]} */ (
			await sql`select count(*)::int as n from public.courses where status = 'published'`
		);
		const [{ n: upcoming }] = /** @type {[{ n: number }]} */ (
			await sql`select count(*)::int as n from public.sessions where starts_at > now()`
		);
		const add = Math.max(0, COURSES - published);
		const courses = await sql`
			insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status, published_at)
			select 'bench-offline-' || i, 'Bench course ' || lpad(i::text, 3, '0'), 'A course for the offline bench',
				'Everyone', 'introductory', 'face_to_face', 120, array['Bench'], 'published', now()
			from generate_series(1, ${add}) i returning id`;
		await sql`insert into public.learning_outcomes (course_id, position, text)
			select c.id, i, 'Outcome ' || i from unnest(${sql.array(courses.map((c) => c.id))}::uuid[]) c(id),
				generate_series(1, 3) i`;
		const perCourse = Math.ceil(Math.max(0, SESSIONS - upcoming) / Math.max(1, courses.length));
		await sql`insert into public.sessions (course_id, starts_at, ends_at, venue_name, capacity, waitlist_mode, booking_closes_at)
			select c.id, now() + make_interval(days => 7 + i * 3), now() + make_interval(days => 7 + i * 3, hours => 2),
				'Bench hall', 30, 'offer', now() + make_interval(days => 6 + i * 3)
			from unnest(${sql.array(courses.map((c) => c.id))}::uuid[]) c(id), generate_series(1, ${perCourse}) i`;
		const [{ n: total }] = /** @type {[{ n: number }]} */ (
			await sql`select count(*)::int as n from public.courses where status = 'published'`
		);
		const [{ n: sessions }] = /** @type {[{ n: number }]} */ (
			await sql`select count(*)::int as n from public.sessions where starts_at > now()`
		);
		await sleep(500);

		const context = await browser.newContext({ serviceWorkers: 'allow' });
		const page = await context.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		await page
			.getByTestId('connection-status')
			.getByText('last synced')
			.waitFor({ timeout: 60_000 });
		await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, {
			timeout: 30_000
		});
		await context.setOffline(true);

		/** @type {number[]} */
		const times = [];
		for (let i = 0; i < RUNS; i++) {
			await page.reload({ waitUntil: 'commit' });
			// from the navigation's start until every course is counted on screen
			const ms = await page.evaluate(
				(expected) =>
					new Promise((resolve) => {
						const check = () => {
							const count = document.querySelector('[data-testid="course-count"]');
							if (count?.textContent?.trim() === `${expected} courses`) resolve(performance.now());
							else requestAnimationFrame(check);
						};
						check();
					}),
				total
			);
			times.push(/** @type {number} */ (ms));
			await page.getByTestId('connection-status').getByText('Offline').waitFor();
		}
		await context.close();
		times.sort((a, b) => a - b);
		return {
			courses: total,
			sessions,
			runs: RUNS,
			medianMs: times[Math.floor(times.length / 2)] ?? 0,
			slowestMs: times[times.length - 1] ?? 0
		};
	} finally {
		await browser.close();
		server.kill();
		await sql.end();
	}
}
