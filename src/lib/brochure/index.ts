export { brochure, coursePage, type BrochureEntry, type CoursePage } from './queries';
export { ukDate, ukTime, ukTimeRange, formatLabel, levelLabel, durationLabel } from './format';
export { default as CourseCard } from './CourseCard.svelte';
