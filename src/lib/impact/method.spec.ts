import { describe, expect, it } from 'vitest';
import { methodHtml } from './method';

describe('the evidence pack’s methodology', () => {
	it('is the definitions document from its first section, one heading level down', () => {
		const html = methodHtml();
		expect(html).not.toContain('supabase/schemas');
		expect(html).toContain('<h3 class="govuk-heading-m">Places and attendance</h3>');
		expect(html).toContain('<strong>Confirmed places</strong> are bookings that hold a place');
		expect(html).toContain('<h3 class="govuk-heading-m">Small numbers</h3>');
		expect(html).not.toMatch(/<h2/);
	});

	it('renders lists and paragraphs with GOV.UK Frontend’s classes', () => {
		expect(methodHtml('For maintainers\n\n## A\n\nSome text.\n\n- one\n- two\n')).toBe(
			'<h3 class="govuk-heading-m">A</h3>\n<p class="govuk-body">Some text.</p>\n' +
				'<ul class="govuk-list govuk-list--bullet">\n<li>one</li>\n<li>two</li>\n</ul>\n'
		);
	});
});
