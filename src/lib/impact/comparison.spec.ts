import { describe, expect, it } from 'vitest';
import { changeOn, comparison } from './comparison';
import { customPeriod, financialYear, quarter, type Period } from './period';

const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe('the period a report is compared with', () => {
	it('a financial year: the financial year before, by the calendar', () => {
		expect(comparison(financialYear(2024), 'year', on('2026-12-01'))).toEqual({
			current: financialYear(2024),
			previous: { from: '2023-04-01', to: '2024-03-31', label: '2023/24' },
			running: false
		});
		// after a leap year the earlier year still starts on 1 April, not 2 April
		expect(comparison(financialYear(2020), 'year', on('2026-12-01')).previous).toMatchObject({
			from: '2019-04-01',
			to: '2020-03-31'
		});
	});

	it('a quarter: the quarter before it, across the year end', () => {
		expect(comparison(quarter(2025, 1), 'quarter', on('2026-12-01')).previous).toEqual({
			from: '2025-01-01',
			to: '2025-03-31',
			label: 'Q4 2024/25'
		});
		expect(comparison(quarter(2025, 3), 'quarter', on('2026-12-01')).previous).toEqual({
			from: '2025-07-01',
			to: '2025-09-30',
			label: 'Q2 2025/26'
		});
	});

	it('other dates: the same dates a year earlier, 29 February as 28', () => {
		const period = customPeriod('2024-02-01', '2024-02-29') as Period;
		expect(comparison(period, 'custom', on('2026-12-01')).previous).toEqual({
			from: '2023-02-01',
			to: '2023-02-28',
			label: '1 February 2023 to 28 February 2023'
		});
	});

	it('dates spanning several years: as many whole years earlier, not overlapping them', () => {
		const tenYears = customPeriod('2016-04-01', '2026-03-31') as Period;
		expect(comparison(tenYears, 'custom', on('2026-12-01')).previous).toMatchObject({
			from: '2006-04-01',
			to: '2016-03-31'
		});
	});

	it('a period still running: "so far", to today, beside the same part of the period before', () => {
		const c = comparison(financialYear(2026), 'year', on('2026-12-01'));
		expect(c.running).toBe(true);
		expect(c.current).toEqual({
			from: '2026-04-01',
			to: '2026-12-01',
			label: '2026/27 so far (1 April 2026 to 1 December 2026)'
		});
		expect(c.previous).toEqual({
			from: '2025-04-01',
			to: '2025-12-01',
			label: '1 April 2025 to 1 December 2025'
		});
	});
});

describe('a change in words', () => {
	const unit: [string, string] = ['professional', 'professionals'];
	it('a percentage from a base of 20 or more', () => {
		expect(changeOn(1200, 1000, '2024/25', unit)).toBe(
			'That is up 20% on 2024/25 (1,000 professionals).'
		);
		expect(changeOn(0, 40, '2024/25', unit)).toBe(
			'That is down 100% on 2024/25 (40 professionals).'
		);
		expect(changeOn(20, 20, '2024/25', unit)).toBe(
			'That is the same as in 2024/25 (20 professionals).'
		);
	});

	it('no percentage from a small base: "up 210800 % (1 professionals)" cannot happen', () => {
		expect(changeOn(2109, 1, '2024/25', unit)).toBe(
			'In 2024/25 there was 1 professional: too few to give a percentage change.'
		);
		expect(changeOn(300, 0, '2015/16', unit)).toBe(
			'There are no records for 2015/16 to compare with.'
		);
	});
});
