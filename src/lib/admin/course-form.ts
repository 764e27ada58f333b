import type { Course, CourseFormat, CourseLevel, LearningOutcome } from '$lib/data';

export interface CourseDraft {
	id?: string;
	title: string;
	summary: string;
	description: string;
	audience: string;
	level: CourseLevel;
	format: CourseFormat;
	duration: string;
	followupWeeks: string;
	/** empty when the training need not be renewed */
	renewYears: string;
	/** comma-separated */
	themes: string;
	elearningUrl: string;
	/** one per line; kept in order */
	outcomes: string;
	/** questions asked when booking, one per line */
	bookingQuestions: string;
}

export function courseDraft(course?: Course, outcomes: LearningOutcome[] = []): CourseDraft {
	return {
		id: course?.id,
		title: course?.title ?? '',
		summary: course?.summary ?? '',
		description: course?.description ?? '',
		audience: course?.audience ?? '',
		level: course?.level ?? 'introductory',
		format: course?.format ?? 'face_to_face',
		duration: String(course?.duration_minutes ?? 360),
		followupWeeks: String(course?.followup_weeks ?? 12),
		renewYears: course?.renew_years ? String(course.renew_years) : '',
		themes: course?.themes.join(', ') ?? '',
		elearningUrl: course?.elearning_url ?? '',
		outcomes: outcomes.map((o) => o.text).join('\n'),
		bookingQuestions: (course?.booking_questions ?? []).join('\n')
	};
}

/** Problems the form can see before asking the server, keyed by field id. */
export function checkCourse(draft: CourseDraft): Record<string, string> {
	const errors: Record<string, string> = {};
	if (!draft.title.trim()) errors.title = 'Enter a title';
	else if (draft.title.trim().length > 200) errors.title = 'Title must be 200 characters or fewer';
	if (draft.summary.trim().length < 10)
		errors.summary = 'Enter a summary of at least 10 characters';
	if (!draft.audience.trim()) errors.audience = 'Enter who the course is for';
	const duration = Number(draft.duration);
	if (!Number.isInteger(duration) || duration < 15 || duration > 2880)
		errors.duration = 'Enter a duration between 15 and 2880 minutes';
	const weeks = Number(draft.followupWeeks);
	if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
		errors['followup-weeks'] = 'Enter a number of weeks between 1 and 52';
	if (draft.renewYears.trim() && !/^([1-9]|10)$/.test(draft.renewYears.trim()))
		errors['renew-years'] = 'Enter a number of years between 1 and 10, or leave it empty';
	if (!themeList(draft.themes).length) errors.themes = 'Enter at least one theme';
	if (draft.format === 'elearning' && !/^https:\/\//.test(draft.elearningUrl.trim()))
		errors.elearningUrl = 'Enter the eLearning link, starting https://';
	if (!outcomeList(draft.outcomes).length) errors.outcomes = 'Enter at least one learning outcome';
	const questions = outcomeList(draft.bookingQuestions);
	if (questions.length > 5) errors['booking-questions'] = 'Ask at most 5 questions at booking';
	else if (questions.some((q) => q.length < 5 || q.length > 300))
		errors['booking-questions'] = 'Each booking question must be 5 to 300 characters';
	return errors;
}

const themeList = (text: string) =>
	text
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
const outcomeList = (text: string) =>
	text
		.split('\n')
		.map((t) => t.trim())
		.filter(Boolean);

/** Arguments for admin_save_course and admin_save_outcomes. */
export function courseArgs(draft: CourseDraft, existing: LearningOutcome[]) {
	const byText = new Map(existing.map((o) => [o.text, o.id]));
	return {
		course: {
			id: draft.id,
			title: draft.title.trim(),
			summary: draft.summary.trim(),
			description: draft.description.trim(),
			audience: draft.audience.trim(),
			level: draft.level,
			format: draft.format,
			duration_minutes: Number(draft.duration),
			followup_weeks: Number(draft.followupWeeks),
			renew_years: draft.renewYears.trim() ? Number(draft.renewYears) : null,
			booking_questions: outcomeList(draft.bookingQuestions),
			themes: themeList(draft.themes),
			elearning_url: draft.format === 'elearning' ? draft.elearningUrl.trim() : ''
		},
		// an unchanged outcome keeps its id (and its ratings); a changed one is new
		outcomes: outcomeList(draft.outcomes).map((text) => ({ id: byText.get(text), text }))
	};
}
