import { describe, expect, it } from 'vitest';
import { customPeriod, financialYear, financialYearOf, financialYears, quarter } from './period';

describe('reporting periods', () => {
	it('financial years run April to March', () => {
		expect(financialYear(2025)).toEqual({ from: '2025-04-01', to: '2026-03-31', label: '2025/26' });
		expect(financialYear(2099).label).toBe('2099/00');
		expect(financialYearOf(new Date('2026-03-31T12:00:00Z'))).toBe(2025);
		expect(financialYearOf(new Date('2026-04-01T00:00:00Z'))).toBe(2026);
		expect(financialYears(new Date('2026-11-21T00:00:00Z'))[0]!.label).toBe('2026/27');
	});

	it('quarters start in April', () => {
		expect(quarter(2025, 1)).toEqual({ from: '2025-04-01', to: '2025-06-30', label: 'Q1 2025/26' });
		expect(quarter(2025, 4)).toEqual({ from: '2026-01-01', to: '2026-03-31', label: 'Q4 2025/26' });
	});

	it('a custom period must be real dates in order, at most ten years', () => {
		expect(customPeriod('2025-06-01', '2025-06-30')).toEqual({
			from: '2025-06-01',
			to: '2025-06-30',
			label: '1 June 2025 to 30 June 2025'
		});
		expect(customPeriod('2025-02-30', '2025-06-30')).toEqual({
			error: 'Enter a real start date',
			field: 'period-from'
		});
		expect(customPeriod('2025-06-30', '2025-06-01')).toEqual({
			error: 'The end date must be on or after the start date',
			field: 'period-to'
		});
		expect(customPeriod('2000-01-01', '2025-06-01')).toMatchObject({
			error: 'A report covers at most ten years'
		});
	});
});
