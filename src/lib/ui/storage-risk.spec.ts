import { describe, expect, it } from 'vitest';
import { wipesUnusedData } from './storage-risk';

const browser = (userAgent: string, maxTouchPoints = 0) =>
	({ userAgent, maxTouchPoints }) as Navigator;

describe('which browsers wipe unused data', () => {
	it('Safari and every iPhone or iPad browser, unless the app is installed', () => {
		const iPhoneSafari = browser(
			'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
		);
		const iPhoneChrome = browser(
			'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1'
		);
		const iPad = browser(
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
			5
		);
		const macSafari = browser(
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'
		);
		for (const b of [iPhoneSafari, iPhoneChrome, iPad, macSafari]) {
			expect(wipesUnusedData(b, false)).toBe(true);
			expect(wipesUnusedData(b, true)).toBe(false);
		}
	});

	it('not Chrome, Edge or Firefox on Android or a computer', () => {
		for (const ua of [
			'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'
		])
			expect(wipesUnusedData(browser(ua), false), ua).toBe(false);
	});
});
