// @ts-check
// Lighthouse budget (docs/architecture.md, Budgets): Lighthouse's mobile performance audit (default config:
// phone emulation, simulated slow 4G and CPU slowdown) on the brochure, a course page and
// My training, in Debian Chromium, beside a plain static HTML page of the brochure's content
// measured in the same run. The brochure and course pages are first visits (storage reset);
// My training is a signed-in return visit (storage kept). Each page five times: the median,
// with the lowest and highest and every run's score.
import lighthouse from 'lighthouse';
import { chromium } from '@playwright/test';
import postgres from 'postgres';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromiumLaunchOptions } from '../chromium.js';

const RUNS = 5;
const DEBUG_PORT = 9333;

/** @param {string} text */
const escape = (text) =>
	text.replace(
		/[&<>"]/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c
	);

/**
 * @param {string} buildDir @param {number} port @param {string} apiUrl @param {number} dbPort
 * @param {(email: string) => Promise<string>} signInCode
 */
export async function measureLighthouse(buildDir, port, apiUrl, dbPort, signInCode) {
	const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`, { max: 1 });
	const server = spawn('node', ['tests/static-server.js', buildDir, String(port)], {
		stdio: 'ignore'
	});
	const profile = await mkdtemp(join(tmpdir(), 'hscp-lighthouse-'));
	const context = await chromium.launchPersistentContext(profile, {
		...chromiumLaunchOptions,
		args: [...chromiumLaunchOptions.args, `--remote-debugging-port=${DEBUG_PORT}`]
	});
	try {
		// the same content as the brochure, as one static page
		const courses = await sql`select title, summary from public.courses
			where status = 'published' order by title`;
		const [course] = await sql`select slug from public.courses
			where status = 'published' and format = 'face_to_face' order by title limit 1`;
		await writeFile(
			join(buildDir, 'bench-static-brochure.html'),
			`<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Training – HSCP</title></head>
<body><h1>Find safeguarding training</h1><p>${courses.length} courses</p><ul>
${courses.map((c) => `<li><h2><a href="#">${escape(c.title)}</a></h2><p>${escape(c.summary)}</p></li>`).join('\n')}
</ul></body></html>`
		);
		await sleep(500);

		/** @param {string} path @param {boolean} keepStorage */
		const audit = async (path, keepStorage) => {
			/** @type {{ score: number, lcp: number, tbt: number, cls: number }[]} */
			const runs = [];
			for (let i = 0; i < RUNS; i++) {
				const result = await lighthouse(`http://127.0.0.1:${port}${path}`, {
					port: DEBUG_PORT,
					output: 'json',
					logLevel: 'error',
					onlyCategories: ['performance'],
					disableStorageReset: keepStorage
				});
				const lhr = result?.lhr;
				if (!lhr) throw new Error(`Lighthouse gave no result for ${path}`);
				runs.push({
					score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
					lcp: lhr.audits['largest-contentful-paint']?.numericValue ?? NaN,
					tbt: lhr.audits['total-blocking-time']?.numericValue ?? NaN,
					cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN
				});
			}
			/** @param {(r: typeof runs[number]) => number} pick */
			const sorted = (pick) => runs.map(pick).sort((a, b) => a - b);
			/** @param {(r: typeof runs[number]) => number} pick */
			const median = (pick) => sorted(pick)[Math.floor(runs.length / 2)] ?? NaN;
			/** @param {(r: typeof runs[number]) => number} pick */
			const range = (pick) => ({ min: sorted(pick)[0] ?? NaN, max: sorted(pick).at(-1) ?? NaN });
			return {
				path,
				score: median((r) => r.score),
				lcpMs: median((r) => r.lcp),
				tbtMs: median((r) => r.tbt),
				cls: median((r) => r.cls),
				scores: runs.map((r) => r.score),
				lcpRange: range((r) => r.lcp),
				tbtRange: range((r) => r.tbt),
				clsRange: range((r) => r.cls)
			};
		};

		const staticPage = await audit('/bench-static-brochure.html', false);
		const brochure = await audit('/', false);
		const coursePage = await audit(`/courses/${course?.slug}`, false);

		// My training, signed in with a booking, as a return visit
		const email = 'practitioner@demo.hscp.example';
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`http://127.0.0.1:${port}/sign-in`);
		await page.getByLabel('What is your work email address?').fill(email);
		await page.getByRole('button', { name: 'Send me a code' }).click();
		await page.getByLabel('Enter the 6-digit code').fill(await signInCode(email));
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('link', { name: 'My training' }).first().waitFor({ timeout: 30_000 });
		await page.goto(`http://127.0.0.1:${port}/my-training`);
		await page
			.getByTestId('connection-status')
			.getByText('last synced')
			.waitFor({ timeout: 30_000 });
		const myTraining = await audit('/my-training', true);

		return { staticPage, brochure, coursePage, myTraining, runs: RUNS };
	} finally {
		await context.close();
		server.kill();
		await sql.end();
		await rm(profile, { recursive: true, force: true });
		await rm(join(buildDir, 'bench-static-brochure.html'), { force: true });
	}
}
