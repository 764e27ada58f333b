import type { CourseFormat, CourseLevel, LearningOutcome, Session } from '$lib/data';
import type { BrochureEntry } from './queries';

export interface BrochureFilters {
	/** words to find in the title, summary, description or learning outcomes */
	text: string;
	theme: string;
	formats: CourseFormat[];
	levels: CourseLevel[];
	/** yyyy-mm-dd, UK dates, inclusive */
	from: string;
	to: string;
	hasPlaces: boolean;
}

export const noFilters: BrochureFilters = {
	text: '',
	theme: '',
	formats: [],
	levels: [],
	from: '',
	to: '',
	hasPlaces: false
};

const ukDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** The UK calendar date of a moment, as yyyy-mm-dd. */
export function ukDateKey(iso: string) {
	return ukDay.format(new Date(iso));
}

/** Every theme used in the brochure, sorted. */
export function themesOf(entries: BrochureEntry[]) {
	return [...new Set(entries.flatMap((e) => e.course.themes))].sort((a, b) => a.localeCompare(b));
}

/**
 * The brochure narrowed by the filters. Date range and "has places" apply to sessions: a
 * course stays if one of its upcoming sessions matches, and shows only those sessions.
 * eLearning has no dates and is kept unless a date range or "has places" is asked for.
 */
export function filterBrochure(
	entries: BrochureEntry[],
	outcomes: Map<string, LearningOutcome[]>,
	filters: BrochureFilters
): BrochureEntry[] {
	const words = filters.text.toLocaleLowerCase('en-GB').split(/\s+/).filter(Boolean);
	const sessionFilter = Boolean(filters.from || filters.to || filters.hasPlaces);
	const sessionMatches = (s: Session) => {
		const day = ukDateKey(s.starts_at);
		if (filters.from && day < filters.from) return false;
		if (filters.to && day > filters.to) return false;
		if (filters.hasPlaces && s.capacity - (s.places_taken ?? 0) <= 0) return false;
		return true;
	};
	return entries.flatMap((entry) => {
		const { course } = entry;
		if (filters.theme && !course.themes.includes(filters.theme)) return [];
		if (filters.formats.length && !filters.formats.includes(course.format)) return [];
		if (filters.levels.length && !filters.levels.includes(course.level)) return [];
		if (words.length) {
			const haystack = [
				course.title,
				course.summary,
				course.description,
				...(outcomes.get(course.id) ?? []).map((o) => o.text)
			]
				.join(' ')
				.toLocaleLowerCase('en-GB');
			if (!words.every((w) => haystack.includes(w))) return [];
		}
		if (!sessionFilter) return [entry];
		const upcoming = entry.upcoming.filter(sessionMatches);
		return upcoming.length ? [{ course, upcoming }] : [];
	});
}
