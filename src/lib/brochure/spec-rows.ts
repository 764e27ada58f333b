// Rows for the brochure's unit tests: a published course and a scheduled one-hour session.
import type { Course, Session } from '$lib/data';

export function courseRow(id: string, title: string, over: Partial<Course> = {}): Course {
	return {
		id,
		slug: title.toLowerCase().replaceAll(' ', '-'),
		title,
		summary: 'Summary of the course',
		description: '',
		audience: 'All practitioners',
		level: 'introductory',
		format: 'face_to_face',
		duration_minutes: 360,
		themes: ['Neglect'],
		series: null,
		elearning_url: null,
		status: 'published',
		...over
	};
}

export function sessionRow(
	id: string,
	courseId: string,
	startsAt: string,
	over: Partial<Session> = {}
): Session {
	const start = new Date(startsAt);
	return {
		id,
		course_id: courseId,
		starts_at: start.toISOString(),
		ends_at: new Date(start.getTime() + 3_600_000).toISOString(),
		venue_name: 'Winchester Discovery Centre',
		venue_address: 'Jewry Street, Winchester',
		capacity: 20,
		waitlist_mode: 'offer',
		booking_closes_at: start.toISOString(),
		status: 'scheduled',
		...over
	};
}
