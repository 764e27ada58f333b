import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	checkInCode,
	checkInUrl,
	msUntilNextStep,
	readCheckInParams,
	stepAt
} from './checkin-code';

const secret = Buffer.from('a 32-byte secret for the tests!!').toString('base64');
const session = '3f2b6c1e-8a57-4a8e-9a51-0d9f0c1e2b3a';

describe('check-in codes', () => {
	it('match an independent HMAC-SHA256 (the algorithm public.checkin_code uses)', async () => {
		for (const step of [0, 1, 59_000_000, 59_123_456]) {
			const mac = createHmac('sha256', Buffer.from(secret, 'base64'))
				.update(`${session}:${step}`)
				.digest();
			const expected = String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
			expect(await checkInCode(secret, session, step)).toBe(expected);
		}
	});

	it('change every 30 seconds', async () => {
		const t = Date.UTC(2026, 10, 21, 10, 0, 0);
		expect(stepAt(t + 29_999)).toBe(stepAt(t));
		expect(stepAt(t + 30_000)).toBe(stepAt(t) + 1);
		expect(msUntilNextStep(t + 12_000)).toBe(18_000);
		expect(await checkInCode(secret, session, stepAt(t))).not.toBe(
			await checkInCode(secret, session, stepAt(t) + 1)
		);
	});

	it('travel in a URL that reads back, and anything else is not a check-in', () => {
		const url = new URL(checkInUrl('https://training.example', session, 123, '004217'));
		expect(url.pathname).toBe('/check-in');
		expect(readCheckInParams(url.searchParams)).toEqual({
			sessionId: session,
			step: 123,
			code: '004217'
		});
		expect(readCheckInParams(new URLSearchParams(`s=${session}&c=12345`))).toBeNull();
		expect(readCheckInParams(new URLSearchParams('s=x&c=123456'))).toBeNull();
		expect(readCheckInParams(new URLSearchParams(`s=${session}&c=123456&t=soon`))).toEqual({
			sessionId: session,
			code: '123456',
			step: null
		});
	});
});
