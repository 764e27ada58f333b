import type { Course, LearningOutcome, Session } from '$lib/data';

// The fields the public pages read: the build writes only these into the published brochure,
// and the brochure compares only these when the device's copy replaces the build's.

export const COURSE_FIELDS = [
	'id',
	'slug',
	'title',
	'summary',
	'description',
	'audience',
	'level',
	'format',
	'duration_minutes',
	'themes',
	'series',
	'elearning_url',
	'status',
	// asked when booking (a place's answers are the booking's, never the brochure's)
	'booking_questions'
] as const satisfies (keyof Course)[];

export const OUTCOME_FIELDS = [
	'id',
	'course_id',
	'position',
	'text',
	'retired_at'
] as const satisfies (keyof LearningOutcome)[];

export const SESSION_FIELDS = [
	'id',
	'course_id',
	'starts_at',
	'ends_at',
	'venue_name',
	'venue_address',
	'capacity',
	'waitlist_mode',
	'booking_closes_at',
	'status',
	'places_taken',
	'waiting'
] as const satisfies (keyof Session)[];
