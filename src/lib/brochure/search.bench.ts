// Brochure filtering at scale (300 courses, 1,500 sessions), run by `npm run bench`.
import { bench, describe } from 'vitest';
import type { Course, LearningOutcome, Session } from '$lib/data';
import type { BrochureEntry } from './queries';
import { filterBrochure, noFilters } from './search';

const themes = [
	'Neglect',
	'Domestic abuse',
	'Prevent',
	'Safer sleep',
	'Harmful practices',
	'Missing and child exploitation'
];
const formats = ['face_to_face', 'webinar', 'elearning'] as const;
const levels = ['introductory', 'intermediate', 'advanced'] as const;

const entries: BrochureEntry[] = [];
const outcomes = new Map<string, LearningOutcome[]>();
for (let i = 0; i < 300; i++) {
	const id = `course-${i}`;
	const course: Course = {
		id,
		slug: id,
		title: `${themes[i % themes.length]} course number ${i}`,
		summary: `What practitioners need to know about ${themes[i % themes.length]!.toLowerCase()}, part ${i}.`,
		description: 'A longer description of the course, its approach and who delivers it.'.repeat(3),
		audience: 'All practitioners',
		level: levels[i % 3]!,
		format: formats[i % 3]!,
		duration_minutes: 60 + (i % 6) * 60,
		themes: [themes[i % themes.length]!],
		series: null,
		elearning_url: null,
		status: 'published'
	};
	const upcoming: Session[] = Array.from({ length: 5 }, (_, k) => {
		const start = new Date(Date.UTC(2026, 11, 1 + ((i + k * 17) % 120), 9, 30));
		return {
			id: `${id}-s${k}`,
			course_id: id,
			starts_at: start.toISOString(),
			ends_at: new Date(start.getTime() + 3_600_000).toISOString(),
			venue_name: 'Winchester Discovery Centre',
			venue_address: null,
			capacity: 30,
			waitlist_mode: 'offer',
			booking_closes_at: start.toISOString(),
			status: 'scheduled',
			places_taken: (i * 7 + k) % 31
		};
	});
	entries.push({ course, upcoming });
	outcomes.set(
		id,
		[1, 2, 3, 4].map((position) => ({
			id: `${id}-o${position}`,
			course_id: id,
			position,
			text: `Outcome ${position}: apply the ${themes[(i + position) % themes.length]!.toLowerCase()} procedures`,
			retired_at: null
		}))
	);
}

describe('filterBrochure over 300 courses and 1,500 sessions', () => {
	bench('no filters', () => {
		filterBrochure(entries, outcomes, noFilters);
	});
	bench('search text across titles, summaries and outcomes', () => {
		filterBrochure(entries, outcomes, { ...noFilters, text: 'safer sleep procedures' });
	});
	bench('theme, format, date range and places left', () => {
		filterBrochure(entries, outcomes, {
			...noFilters,
			theme: 'Neglect',
			formats: ['face_to_face', 'webinar'],
			from: '2026-12-10',
			to: '2027-02-28',
			hasPlaces: true
		});
	});
});
