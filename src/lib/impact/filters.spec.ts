import { describe, expect, it } from 'vitest';
import { choiceFrom, resolveChoice, toParams } from './filters';

describe('report filters', () => {
	it('default to the last full financial year and travel in the address', () => {
		const choice = choiceFrom(new URLSearchParams(), new Date('2026-11-21T00:00:00Z'));
		expect(choice).toMatchObject({ period: 'year', year: '2025' });
		expect(resolveChoice(choice)).toEqual({
			period: { from: '2025-04-01', to: '2026-03-31', label: '2025/26' },
			filters: { from: '2025-04-01', to: '2026-03-31' }
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
});
