import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Lighthouse counts a page that moves under the reader (cumulative layout shift; budgets in docs/architecture.md).

for (const [who, lastLink] of [
	['practitioner', 'Your profile'],
	['trainer', 'My sessions']
]) {
	test(`a ${who}'s return visit keeps the header at its final size: the page does not jump when the links arrive`, async ({
		page
	}) => {
		await signIn(page, `${who}@demo.hscp.example`);
		await expect(page.getByRole('link', { name: lastLink })).toBeVisible();
		await page.goto('/my-training');
		await expect(page.getByTestId('connection-status')).toContainText('last synced');

		await page.reload();
		await expect(page.getByRole('link', { name: lastLink })).toBeVisible();
		await expect(page.getByTestId('connection-status')).toContainText('last synced');
		// every layout shift since the reload that moved the main content
		const moved = await page.evaluate(
			() =>
				new Promise<number>((resolve) => {
					const main = document.getElementById('main-content');
					new PerformanceObserver((list) =>
						resolve(
							list
								.getEntries()
								.filter((entry) =>
									(entry as PerformanceEntry & { sources: { node?: Node }[] }).sources.some(
										(source) => source.node?.contains(main)
									)
								).length
						)
					).observe({ type: 'layout-shift', buffered: true });
					setTimeout(() => resolve(0), 1000);
				})
		);
		expect(moved).toBe(0);
	});
}
