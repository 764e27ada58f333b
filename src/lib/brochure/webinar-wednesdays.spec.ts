import { describe, expect, it } from 'vitest';
import type { Session } from '$lib/data';
import { courseRow, sessionRow } from './spec-rows';
import { webinarDaysOf, WEBINAR_WEDNESDAYS } from './webinar-wednesdays';

const now = new Date('2026-11-22T12:00:00Z');

const course = (id: string, theme: string, series: string | null = WEBINAR_WEDNESDAYS) =>
	courseRow(id, `${theme}: part ${id}`, { format: 'webinar', themes: [theme], series });
const session = (id: string, courseId: string, startsAt: string, status?: Session['status']) =>
	sessionRow(id, courseId, startsAt, status ? { status } : {});

describe('webinarDaysOf', () => {
	const courses = [
		course('a', 'Exploitation'),
		course('b', 'Exploitation'),
		course('c', 'Neglect'),
		course('d', 'Neglect', null)
	];

	it('groups the coming webinars of the series by UK day, each day in time order', () => {
		const days = webinarDaysOf(
			courses,
			[
				session('s2', 'b', '2026-12-02T11:00:00Z'),
				session('s1', 'a', '2026-12-02T09:30:00Z'),
				// 23:30 UTC on 9 June is 00:30 on 10 June in UK summer time: the UK day counts
				session('s3', 'c', '2027-06-09T23:30:00Z'),
				session('s4', 'c', '2026-11-18T09:30:00Z'), // past
				session('s5', 'a', '2026-12-16T09:30:00Z', 'cancelled'),
				session('s6', 'd', '2026-12-02T14:00:00Z') // not in the series
			],
			now
		);
		expect(days.map((d) => [d.date, d.theme, d.webinars.map((w) => w.session.id)])).toEqual([
			['2026-12-02', 'Exploitation', ['s1', 's2']],
			['2027-06-10', 'Neglect', ['s3']]
		]);
	});

	it('leaves out a course that is not published', () => {
		const draft = { ...course('e', 'Online safety'), status: 'draft' as const };
		expect(webinarDaysOf([draft], [session('s7', 'e', '2026-12-02T09:30:00Z')], now)).toEqual([]);
	});
});
