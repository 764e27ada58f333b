import { describe, expect, it } from 'vitest';
import { durationLabel, ukDate, ukTime, ukTimeRange } from './format';

describe('UK time formatting', () => {
	it('shows a summer session in BST whatever the device zone', () => {
		// 08:30 UTC on 1 July is 09:30 in London
		expect(ukTime('2026-07-01T08:30:00Z')).toBe('9:30am');
		expect(ukTimeRange('2026-07-01T08:30:00Z', '2026-07-01T09:30:00Z')).toBe(
			'9:30am to 10:30am BST'
		);
	});

	it('shows a winter session in GMT', () => {
		expect(ukTimeRange('2026-12-02T09:30:00Z', '2026-12-02T16:30:00Z')).toBe(
			'9:30am to 4:30pm GMT'
		);
	});

	it('uses the UK date for a late-evening UTC time in summer', () => {
		// 23:30 UTC on 30 June is already 1 July in London
		expect(ukDate('2026-06-30T23:30:00Z')).toBe('Wednesday 1 July 2026');
	});
});

describe('durationLabel', () => {
	it.each([
		[45, '45 minutes'],
		[60, '1 hour'],
		[90, '1 hour 30 minutes'],
		[360, '6 hours'],
		[61, '1 hour 1 minute']
	])('%i minutes reads "%s"', (minutes, label) => {
		expect(durationLabel(minutes)).toBe(label);
	});
});

describe('ukTime around noon and midnight', () => {
	it('writes 12pm and 12am the way people in the UK do', () => {
		expect(ukTime('2026-12-02T12:00:00Z')).toBe('12:00pm');
		expect(ukTime('2026-12-02T00:15:00Z')).toBe('12:15am');
	});
});
