import { describe, expect, it } from 'vitest';
import { rememberNav, rememberedNav } from './nav-memory';

const storage = (initial: string | null = null) => {
	let value = initial;
	return {
		getItem: () => value,
		setItem: (_key: string, next: string) => void (value = next)
	};
};

describe('the header links remembered on this device', () => {
	it('gives back what was remembered', () => {
		const device = storage();
		rememberNav({ signedIn: true, teaches: true, staff: false }, device);
		expect(rememberedNav(device)).toEqual({ signedIn: true, teaches: true, staff: false });
	});

	it('is nothing when nothing, or something unreadable, is stored', () => {
		for (const stored of [null, '', 'not json', '42', '[]', '{"signedIn":"yes"}', 'null']) {
			expect(rememberedNav(storage(stored))).toBeNull();
		}
	});

	it('reads anything but a plain true as no link', () => {
		expect(rememberedNav(storage('{"signedIn":true,"teaches":"true","staff":1}'))).toEqual({
			signedIn: true,
			teaches: false,
			staff: false
		});
	});

	it('does not fail when the device refuses to store it', () => {
		const full = {
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			}
		};
		expect(() =>
			rememberNav({ signedIn: false, teaches: false, staff: false }, full)
		).not.toThrow();
	});
});
