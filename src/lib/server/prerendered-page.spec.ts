import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keepCriticalStyles, startAfterFirstPaint } from './prerendered-page';

const hash = (code: string) =>
	`'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

const css = '.used{color:red}.unused{color:blue}.govuk-input--error{border-color:red}';
const start = `
	{
		__sveltekit_x = { base: "" };
		const element = document.currentScript.parentElement;
		Promise.all([
			import("./_app/immutable/entry/start.js"),
			import("./_app/immutable/entry/app.js")
		]).then(([kit, app]) => {
			kit.start(app, element, { node_ids: [0, 2] });
		});
	}
`;
const page = (policy: string) => `<!doctype html><html><head>
<meta http-equiv="content-security-policy" content="${policy}">
<style>${css}</style></head>
<body><div><p class="used">Hello</p><script>${start}</script></div></body></html>`;
const policy = `script-src 'self' ${hash(start)}; style-src 'self' ${hash(css)}`;

describe('a prerendered page as the build finishes it', () => {
	it('inlines only the rules its HTML uses, and the policy names the new stylesheet', async () => {
		const html = await keepCriticalStyles(page(policy));
		const critical = html.match(/<style data-critical>([\s\S]*?)<\/style>/)?.[1] ?? '';
		expect(critical).toContain('.used');
		expect(critical).not.toContain('.unused');
		expect(critical).not.toContain('govuk-input--error');
		expect(html).toContain(hash(critical));
		expect(html).not.toContain(hash(css));
	});

	it('stops the build when the policy does not name the stylesheet it changes', async () => {
		await expect(keepCriticalStyles(page(`style-src 'self'`))).rejects.toThrow(
			/does not name its inlined stylesheet 1/
		);
	});

	it('starts the app after the first contentful paint, and the policy names the new script', () => {
		const html = startAfterFirstPaint(page(policy));
		const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
		expect(script).toContain("getEntriesByName('first-contentful-paint')");
		expect(script).toContain('setTimeout(start, 3000)');
		// the element is still taken while the script runs, not later
		expect(script.indexOf('document.currentScript')).toBeLessThan(script.indexOf('const start'));
		expect(script).toContain('kit.start(app, element');
		expect(html).toContain(hash(script));
		expect(html).not.toContain(hash(start));
	});

	it('stops the build when the start-up script is not the one it knows', () => {
		expect(() => startAfterFirstPaint(page(policy).replace('kit.start', 'kit.begin'))).toThrow(
			/one SvelteKit start-up script in the page, found 0/
		);
		expect(() => startAfterFirstPaint(page(`script-src 'self'`))).toThrow(
			/does not name its start-up script/
		);
	});
});
