import { describe, expect, it } from 'vitest';
import { shownCopy } from './shown-copy';

const hasDays = (days: string[]) => days.length > 0;

describe('shownCopy', () => {
	it("shows the build's copy until the device's database answers", () => {
		expect(shownCopy(undefined, ['built'], hasDays, false)).toEqual(['built']);
		expect(shownCopy<string[]>(undefined, undefined, hasDays, false)).toBeUndefined();
	});

	it("shows the device's copy once it has what the page shows", () => {
		expect(shownCopy(['device'], ['built'], hasDays, false)).toEqual(['device']);
	});

	it("keeps the build's copy while the device has nothing and has not synced", () => {
		expect(shownCopy([], ['built'], hasDays, false)).toEqual(['built']);
	});

	it("shows the device's empty copy once it has synced, or when there is no build's copy", () => {
		expect(shownCopy([], ['built'], hasDays, true)).toEqual([]);
		expect(shownCopy([], undefined, hasDays, false)).toEqual([]);
	});
});
