import { describe, expect, it } from 'vitest';
import type { Course, LearningOutcome, Session } from '$lib/data';
import type { BrochureEntry } from './queries';
import { filterBrochure, noFilters, themesOf, ukDateKey } from './search';

const course = (id: string, over: Partial<Course> = {}): Course => ({
	id,
	slug: id,
	title: `Course ${id}`,
	summary: 'A summary',
	description: '',
	audience: 'All',
	level: 'introductory',
	format: 'face_to_face',
	duration_minutes: 60,
	themes: ['Neglect'],
	series: null,
	elearning_url: null,
	status: 'published',
	...over
});
const session = (id: string, startsAt: string, over: Partial<Session> = {}): Session => ({
	id,
	course_id: 'x',
	starts_at: startsAt,
	ends_at: startsAt,
	venue_name: 'Hall',
	venue_address: null,
	capacity: 10,
	waitlist_mode: 'offer',
	booking_closes_at: startsAt,
	status: 'scheduled',
	places_taken: 0,
	...over
});

const entries: BrochureEntry[] = [
	{
		course: course('neglect', { title: 'Neglect: identification' }),
		upcoming: [
			session('n1', '2026-12-02T09:30:00Z'),
			session('n2', '2027-01-20T09:30:00Z', { places_taken: 10 })
		]
	},
	{
		course: course('da', {
			title: 'Domestic abuse',
			themes: ['Domestic abuse'],
			level: 'advanced',
			format: 'webinar'
		}),
		upcoming: [session('d1', '2026-12-09T12:30:00Z', { places_taken: 10 })]
	},
	{
		course: course('safer-sleep', {
			title: 'Safer sleep',
			format: 'elearning',
			themes: ['Safer sleep', 'Safeguarding infants']
		}),
		upcoming: []
	}
];
const outcomes = new Map<string, LearningOutcome[]>([
	[
		'da',
		[
			{
				id: 'o',
				course_id: 'da',
				position: 1,
				text: 'Complete a DASH risk assessment',
				retired_at: null
			}
		]
	]
]);
const ids = (list: BrochureEntry[]) => list.map((e) => e.course.id);

describe('filterBrochure', () => {
	it('finds words in learning outcomes as well as titles, ignoring case', () => {
		expect(ids(filterBrochure(entries, outcomes, { ...noFilters, text: 'dash RISK' }))).toEqual([
			'da'
		]);
		expect(ids(filterBrochure(entries, outcomes, { ...noFilters, text: 'neglect' }))).toEqual([
			'neglect'
		]);
	});

	it('filters by theme, format and level', () => {
		expect(
			ids(filterBrochure(entries, outcomes, { ...noFilters, theme: 'Safeguarding infants' }))
		).toEqual(['safer-sleep']);
		expect(
			ids(filterBrochure(entries, outcomes, { ...noFilters, formats: ['webinar', 'elearning'] }))
		).toEqual(['da', 'safer-sleep']);
		expect(ids(filterBrochure(entries, outcomes, { ...noFilters, levels: ['advanced'] }))).toEqual([
			'da'
		]);
	});

	it('keeps only sessions in the date range (UK dates) and drops courses with none', () => {
		const december = filterBrochure(entries, outcomes, {
			...noFilters,
			from: '2026-12-01',
			to: '2026-12-31'
		});
		expect(ids(december)).toEqual(['neglect', 'da']);
		expect(december[0]!.upcoming.map((s) => s.id)).toEqual(['n1']);
	});

	it('"has places" hides full sessions and courses whose sessions are all full', () => {
		const open = filterBrochure(entries, outcomes, { ...noFilters, hasPlaces: true });
		expect(ids(open)).toEqual(['neglect']);
		expect(open[0]!.upcoming.map((s) => s.id)).toEqual(['n1']);
	});

	it('lists the themes in use', () => {
		expect(themesOf(entries)).toEqual([
			'Domestic abuse',
			'Neglect',
			'Safeguarding infants',
			'Safer sleep'
		]);
	});

	it('reads a late-evening summer time as the next UK day', () => {
		expect(ukDateKey('2026-06-30T23:30:00Z')).toBe('2026-07-01');
	});
});
