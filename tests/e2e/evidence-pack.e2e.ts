import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { database, expectAccessible, signIn, uniqueEmail } from './helpers';

const sql = database();
test.afterAll(() => sql.end());

/** Pages in a PDF Chromium printed: one "/Type /Page" object for each. */
const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;

test('an admin prints the demo year’s evidence pack (a short main report, the detail in an appendix) and downloads it as a Word document', async ({
	page
}) => {
	test.setTimeout(90_000);
	await signIn(page, 'admin@demo.hscp.example');
	await expect(page.getByRole('link', { name: 'Impact', exact: true })).toBeVisible();
	await page.goto('/impact/evidence-pack?period=year&year=2025');
	await expect(page.getByTestId('pack-headlines')).toBeVisible({ timeout: 15_000 });
	await expect(
		page.getByText('1 April 2025 to 31 March 2026. All partner agencies.')
	).toBeVisible();
	// reach beside the two years before arrives after the report
	await expect(page.getByRole('table', { name: 'People trained by sector' })).toContainText(
		'2024/25'
	);
	await expectAccessible(page);

	// printed: A4, the main report short, page numbers and the running header on each page
	const pageRules = await page.evaluate(() =>
		document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join(' ')
	);
	expect(pageRules).toContain('HSCP: evidence of impact, 2025/26');
	await page.emulateMedia({ media: 'print' });
	const whole = await page.pdf({ format: 'A4', preferCSSPageSize: true });
	await page.evaluate(() => {
		document.querySelector<HTMLElement>('.evidence-pack__appendix')!.style.display = 'none';
	});
	const main = await page.pdf({ format: 'A4', preferCSSPageSize: true });
	if (process.env.PACK_PDF) {
		// to look at: PACK_PDF=/tmp/pack npx playwright test tests/e2e/evidence-pack.e2e.ts
		writeFileSync(`${process.env.PACK_PDF}-whole.pdf`, whole);
		writeFileSync(`${process.env.PACK_PDF}-main.pdf`, main);
	}
	await page.emulateMedia({ media: 'screen' });
	await page.reload();
	await expect(page.getByTestId('pack-headlines')).toBeVisible({ timeout: 15_000 });
	console.log(
		`evidence pack, demo year 2025/26: ${pages(main)} pages of main report, ${pages(whole)} in all`
	);
	expect(pages(main)).toBeGreaterThan(1);
	expect(pages(main)).toBeLessThanOrEqual(5);
	expect(pages(whole)).toBeLessThanOrEqual(24);

	// the Word document, by keyboard
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download as a Word document' }).focus();
	await page.keyboard.press('Enter');
	const download = await downloading;
	expect(download.suggestedFilename()).toBe('HSCP evidence of impact 2025-26.docx');
	await expect(page.getByText('The Word document has been downloaded.')).toBeVisible();
	const files = unzipSync(readFileSync((await download.path())!));
	const xml = strFromU8(files['word/document.xml']!);
	const paragraphs = (xml.match(/<w:p[ >]/g) ?? []).length;
	expect(paragraphs).toBeGreaterThan(100);
	// (checked as true or false: the document is a megabyte, too long to print when it fails)
	for (const text of [
		'Multi-agency safeguarding training: evidence of impact, 2025/26',
		'Attendance rate (confirmed places used)',
		'Appendix: the detail',
		'are bookings that hold a place at the session',
		// real tables, header rows repeated on each page, and headings Word lists in its navigation
		'<w:tblHeader/>',
		'<w:pStyle w:val="Heading1"/>'
	])
		expect(xml.includes(text), text).toBe(true);
	expect((xml.match(/<w:tbl>/g) ?? []).length).toBeGreaterThan(5);
	const footer = Object.entries(files).find(([name]) => /^word\/footer\d*\.xml$/.test(name));
	expect(strFromU8(footer![1]).includes('NUMPAGES')).toBe(true);
});

test('an admin who also leads an agency sees the partnership, and chooses their agency’s report, which is named', async ({
	page
}) => {
	const email = uniqueEmail('admin.lead');
	const [user] =
		await sql`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
	const [police] = await sql`select id from public.agencies where name = 'Hampshire Constabulary'`;
	await sql`update public.profiles set full_name = 'Ada Lead', job_role = 'Safeguarding lead',
		agency_id = ${police!.id} where id = ${user!.id}`;
	await sql`insert into public.staff_roles (user_id, role, agency_id)
		values (${user!.id}, 'admin', null), (${user!.id}, 'agency_lead', ${police!.id})`;
	await signIn(page, email);
	await expect(page.getByRole('link', { name: 'Impact', exact: true })).toBeVisible();
	await page.goto('/impact?period=year&year=2025');
	await expect(page.getByTestId('report-scope')).toContainText('The whole partnership.', {
		timeout: 15_000
	});
	await page.getByLabel('Report on').selectOption({ label: 'Hampshire Constabulary’s staff only' });
	await page.getByRole('button', { name: 'Show the report' }).click();
	await expect(page).toHaveURL(/scope=agency/);
	await expect(page.getByTestId('report-scope')).toContainText(
		'Staff of Hampshire Constabulary only.'
	);
	await page.getByRole('link', { name: /Evidence pack for this selection/ }).click();
	await expect(
		page.getByText('1 April 2025 to 31 March 2026. Staff of Hampshire Constabulary only.')
	).toBeVisible({ timeout: 15_000 });
	await expectAccessible(page);
});
