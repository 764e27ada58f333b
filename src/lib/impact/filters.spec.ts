import { describe, expect, it } from 'vitest';
import { choiceFrom, resolveChoice, toParams } from './filters';

describe('report filters', () => {
	it('default to the last full financial year and travel in the address', () => {
		const today = new Date('2026-11-21T00:00:00Z');
		const choice = choiceFrom(new URLSearchParams(), today);
		expect(choice).toMatchObject({ period: 'year', year: '2025' });
		expect(resolveChoice(choice, today)).toMatchObject({
			period: { from: '2025-04-01', to: '2026-03-31', label: '2025/26' },
			previous: { from: '2024-04-01', to: '2025-03-31', label: '2024/25' },
			running: false,
			filters: {
				from: '2025-04-01',
				to: '2026-03-31',
				previous_from: '2024-04-01',
				previous_to: '2025-03-31'
			}
		});
		// the year still running is reported so far, beside the same part of the year before
		expect(resolveChoice({ ...choice, year: '2026' }, today)).toMatchObject({
			running: true,
			filters: {
				from: '2026-04-01',
				to: '2026-11-21',
				previous_from: '2025-04-01',
				previous_to: '2025-11-21'
			}
		});
		const again = choiceFrom(toParams({ ...choice, agency_id: 'a1', format: 'webinar' }));
		expect(resolveChoice(again)).toMatchObject({ filters: { agency_id: 'a1', format: 'webinar' } });
	});

	it('a quarter or custom dates, with errors for the form', () => {
		expect(
			resolveChoice({ ...choiceFrom(new URLSearchParams('period=quarter&year=2025&quarter=3')) })
		).toMatchObject({
			period: { from: '2025-10-01', to: '2025-12-31' }
		});
		expect(
			resolveChoice(choiceFrom(new URLSearchParams('period=custom&from=2025-06-01&to=2025-05-01')))
		).toEqual({
			error: 'The end date must be on or after the start date',
			field: 'period-to'
		});
		expect(choiceFrom(new URLSearchParams('year=20x5&quarter=9'))).toMatchObject({ quarter: '1' });
	});

	it('the partnership unless an admin who leads an agency chooses their agency’s report', () => {
		const whole = choiceFrom(new URLSearchParams('year=2025'));
		expect(whole.scope).toBe('');
		expect(resolveChoice(whole)).not.toHaveProperty('filters.scope');
		const own = choiceFrom(toParams({ ...whole, scope: 'agency' }));
		expect(own.scope).toBe('agency');
		expect(resolveChoice(own)).toMatchObject({ filters: { scope: 'agency' } });
		// anything else in the address is the partnership's report
		expect(choiceFrom(new URLSearchParams('scope=everyone')).scope).toBe('');
	});
});
