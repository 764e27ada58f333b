export {
	brochure,
	brochureOf,
	coursePage,
	coursePageOf,
	keepUnchanged,
	outcomesByCourse,
	outcomesOf,
	type BrochureEntry,
	type CoursePage
} from './queries';
export { filterBrochure, themesOf, noFilters, ukDateKey, type BrochureFilters } from './search';
export { default as BrochureFilterForm } from './BrochureFilters.svelte';
export { ukDate, ukTime, ukTimeRange, formatLabel, levelLabel, durationLabel } from './format';
export { default as CourseCard } from './CourseCard.svelte';
export { webinarDaysOf, WEBINAR_WEDNESDAYS, type WebinarDay } from './webinar-wednesdays';
export { shownCopy } from './shown-copy';
