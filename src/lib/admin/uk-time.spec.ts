import { describe, expect, it } from 'vitest';
import { ukFields, ukInstant } from './uk-time';

describe('UK time in admin forms', () => {
	it('reads a summer time as BST and a winter time as GMT', () => {
		expect(ukInstant('2027-07-07', '09:30')).toBe('2027-07-07T08:30:00.000Z');
		expect(ukInstant('2027-01-13', '09:30')).toBe('2027-01-13T09:30:00.000Z');
	});

	it('shows an instant as the UK date and time it was entered as', () => {
		expect(ukFields('2027-07-07T08:30:00.000Z')).toEqual({ date: '2027-07-07', time: '09:30' });
		expect(ukFields('2027-01-13T23:30:00Z')).toEqual({ date: '2027-01-13', time: '23:30' });
		// 00:30 UTC on a summer day is already the next day's 01:30 in the UK
		expect(ukFields('2027-07-07T23:30:00Z')).toEqual({ date: '2027-07-08', time: '00:30' });
	});
});
