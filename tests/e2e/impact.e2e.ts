import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { database, expectAccessible, signIn } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

/** The report as the server makes it for the demo admin, to compare the page with. */
async function serverReport(filters: Record<string, string>) {
	return sql.begin(async (tx) => {
		const [admin] =
			await tx`select id from public.profiles where email = 'admin@demo.hscp.example'`;
		await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: admin!.id, role: 'authenticated' })}, true)`;
		const [row] = await tx`select public.impact_report(${tx.json(filters)}) as r`;
		return row!.r as {
			reach: { people: number; agencies: number };
			attendance: { attended: number };
		};
	});
}

test('an admin filters the impact report to a year and an agency, reads a chart and its table, prints the evidence pack and exports a CSV', async ({
	page,
	context
}) => {
	// a long journey (several people, reloads or a whole report): three times the timeout
	test.slow();
	// the longest journey (two axe scans of the whole report, a download, an offline reload):
	// about 30 s on a 2-core machine, so it gets twice the default time
	test.setTimeout(60_000);
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page.getByRole('link', { name: 'Impact', exact: true })).toBeVisible();
	await page.getByRole('link', { name: 'Impact', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Impact of the training' })).toBeVisible();
	await expect(page.getByTestId('headlines')).toBeVisible({ timeout: 15_000 });

	await page.getByLabel('Financial year', { exact: true }).selectOption({ label: '2025/26' });
	await page
		.getByLabel('Agency', { exact: true })
		.selectOption({ label: 'Hampshire Constabulary' });
	await page.getByRole('button', { name: 'Show the report' }).click();
	await expect(page).toHaveURL(/agency_id=/);
	const [police] = await sql`select id from public.agencies where name = 'Hampshire Constabulary'`;
	const expected = await serverReport({
		from: '2025-04-01',
		to: '2026-03-31',
		agency_id: police!.id
	});
	expect(expected.reach.people).toBeGreaterThan(50);
	await expect(page.getByTestId('reach-people')).toHaveText(
		expected.reach.people.toLocaleString('en-GB')
	);
	await expect(page.getByTestId('headlines')).toContainText(
		`${expected.reach.people.toLocaleString('en-GB')} professionals from 1 agency attended the partnership’s training in 2025/26.`
	);

	// a chart, and the table behind it
	await expect(
		page.getByRole('img', { name: /Bar chart of confirmed places and attendances by month/ })
	).toBeVisible();
	const months = page.getByTestId('reach-by-month').getByRole('row');
	await expect(months).toHaveCount(13); // a header and the twelve months of the year
	await expect(months.nth(1).getByRole('rowheader')).toHaveText('Apr 2025');
	const agencies = page.getByTestId('reach-by-agency').getByRole('row');
	await expect(agencies).toHaveCount(2);
	await expect(agencies.nth(1)).toContainText('Hampshire Constabulary');
	await expect(page.getByTestId('learning-by-course')).toContainText(
		'Webinar Wednesday: Neglect and the Graded Care Profile'
	);
	await expectAccessible(page);

	// the rows behind it, in a spreadsheet
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export registers (CSV)' }).click();
	const download = await downloading;
	const bytes = readFileSync((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const csv = Papa.parse<Record<string, string>>(bytes.toString('utf8').slice(1), {
		header: true,
		skipEmptyLines: true
	});
	expect(csv.meta.fields).toEqual([
		'Course',
		'Session',
		'Name',
		'Email',
		'Agency',
		'Sector',
		'Booked or walk-in',
		'Attendance'
	]);
	// words people read, not the codes the server sends
	expect(new Set(csv.data.map((r) => r.Sector))).toEqual(new Set(['Police']));
	expect(new Set(csv.data.map((r) => r.Attendance))).toEqual(
		new Set(['Present', 'Late', 'Left early', 'Apologies', 'Absent', 'Not marked'])
	);
	expect(csv.data.length).toBeGreaterThan(expected.attendance.attended - 1);
	expect(new Set(csv.data.map((r) => r.Agency))).toEqual(new Set(['Hampshire Constabulary']));
	expect(csv.data[0]!.Session).toMatch(/^\d{2}\/\d{2}\/2025 \d{2}:\d{2}$/);

	// the evidence pack, printable, with statements made from the figures
	await page.getByRole('link', { name: /Evidence pack for this selection/ }).click();
	await expect(page.getByRole('heading', { name: /evidence of impact, 2025\/26/ })).toBeVisible();
	const pack = page.getByTestId('pack-headlines');
	await expect(pack).toContainText(
		`${expected.reach.people.toLocaleString('en-GB')} professionals from 1 agency`
	);
	await expect(pack).toContainText(
		/Learning gain was positive on \d+ of the \d+ courses? with 5 or more evaluations/
	);
	// the tables partnerships publish: the main report, then the detail in the appendix
	await expect(page.getByRole('table', { name: 'The training in 2025/26' })).toContainText(
		'Attendance rate (confirmed places used)'
	);
	await expect(page.getByRole('table', { name: 'People trained by sector' })).toContainText(
		'2023/24'
	);
	await expect(page.getByRole('heading', { name: 'Appendix: the detail' })).toBeVisible();
	await expect(
		page.getByRole('table', { name: 'Sessions, places and attendance by course' })
	).toContainText('Webinar Wednesday: Neglect and the Graded Care Profile');
	// UK dates, and what the filters chose, by name
	await expect(page.getByText('1 April 2025 to 31 March 2026.', { exact: true })).toBeVisible();
	await expect(page.getByText('Only the agency: Hampshire Constabulary.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'E. How these figures are made' })).toBeVisible();
	// the methodology is the definitions document, with its sections as headings
	await expect(page.getByRole('heading', { name: 'Small numbers', level: 3 })).toBeVisible();
	await expect(page.getByTestId('pack-method')).toContainText(
		'Confirmed places are bookings that hold a place at the session'
	);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
	await expect(page.getByRole('banner')).toBeHidden();
	await page.emulateMedia({ media: 'screen' });
	await expectAccessible(page);

	// the last report viewed stays readable offline
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await context.setOffline(true);
	await page.goBack();
	await page.reload();
	await expect(
		page.getByText('You are offline: this is the last report viewed on this device')
	).toBeVisible();
	await expect(page.getByTestId('reach-people')).toHaveText(
		expected.reach.people.toLocaleString('en-GB')
	);
	await context.setOffline(false);
});
