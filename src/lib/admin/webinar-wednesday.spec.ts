import { describe, expect, it } from 'vitest';
import {
	checkWebinarWednesday,
	emptyWebinarWednesday,
	webinarWednesdayArgs
} from './webinar-wednesday';

describe('a Webinar Wednesday form', () => {
	it('names every missing field, including each webinar’s', () => {
		const errors = checkWebinarWednesday(emptyWebinarWednesday());
		expect(errors.date).toBe('Enter the date of the Wednesday');
		expect(errors.theme).toBe('Enter the theme of the day');
		expect(errors['title-3']).toBe('Enter the title of webinar 3');
		expect(errors['join-1']).toBe('Enter the joining link of webinar 1, starting https://');
	});

	it('refuses a day that is not a Wednesday', () => {
		const draft = { ...emptyWebinarWednesday(), date: '2026-12-03' };
		expect(checkWebinarWednesday(draft).date).toBe('Choose a Wednesday');
	});

	it('turns outcomes into one per line, dropping blank lines', () => {
		const draft = emptyWebinarWednesday();
		draft.webinars[0]!.outcomes = ' First outcome \n\nSecond outcome\n';
		expect(webinarWednesdayArgs(draft).p_webinars[0]!.outcomes).toEqual([
			'First outcome',
			'Second outcome'
		]);
	});
});
