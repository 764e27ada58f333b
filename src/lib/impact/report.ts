import * as v from 'valibot';

/** The impact report as public.impact_report returns it, checked when it arrives. */
const CountsSchema = v.record(v.string(), v.number());
export type Counts = v.InferOutput<typeof CountsSchema>;
const n = v.number();
const text = v.string();

export interface ImpactFilters {
	from: string;
	to: string;
	/** "agency": an admin who also leads an agency chooses their agency's report */
	scope?: 'partnership' | 'agency';
	/** the period compared with (by default the same dates a year earlier) */
	previous_from?: string;
	previous_to?: string;
	course_id?: string;
	theme?: string;
	format?: string;
	agency_id?: string;
	sector?: string;
	quote_search?: string;
}

const AgencyReachSchema = v.object({
	agency: text,
	sector: v.nullable(text),
	people: n,
	/** confirmed places (docs/impact-definitions.md) */
	confirmed: n,
	attended: n,
	no_shows: n
});
export type AgencyReach = v.InferOutput<typeof AgencyReachSchema>;

const CourseAttendanceSchema = v.object({
	course_id: text,
	title: text,
	format: text,
	sessions: n,
	capacity: n,
	confirmed: n,
	attended: n,
	no_shows: n,
	/** confirmed places given up, late or not */
	cancellations: n,
	late_cancellations: n,
	unmet_demand: n,
	/** sessions of the course cancelled in the period */
	sessions_cancelled: n,
	/** people who attended without booking (unscheduled attendees) */
	walk_ins: n,
	/** hours of training delivered: each session's length */
	hours: n,
	/** hours of learning: each session's length for each person who attended */
	learner_hours: n
});
export type CourseAttendance = v.InferOutput<typeof CourseAttendanceSchema>;

const OutcomeRatingsSchema = v.object({
	outcome_id: text,
	position: n,
	text,
	n,
	sum_before: n,
	sum_after: n,
	changes: CountsSchema
});
export type OutcomeRatings = v.InferOutput<typeof OutcomeRatingsSchema>;

const CourseLearningSchema = v.object({
	course_id: text,
	title: text,
	attended: n,
	responses: n,
	person_changes: CountsSchema,
	outcomes: v.array(OutcomeRatingsSchema)
});
export type CourseLearning = v.InferOutput<typeof CourseLearningSchema>;

export const ImpactReportSchema = v.object({
	period: v.object({ from: text, to: text, previous_from: text, previous_to: text }),
	scope: v.picklist(['partnership', 'agency', 'trainer']),
	/** the agency a report narrowed to one agency's staff is about */
	scope_agency: v.nullable(text),
	/** what the filters chose, by name */
	named: v.object({ course: v.nullable(text), agency: v.nullable(text) }),
	reach: v.object({
		people: n,
		confirmed_places: n,
		agencies: n,
		previous: v.object({ people: n, confirmed_places: n }),
		by_agency: v.array(AgencyReachSchema),
		by_sector: v.array(v.object({ sector: text, people: n, attended: n })),
		by_month: v.array(v.object({ month: text, people: n, confirmed: n, attended: n }))
	}),
	attendance: v.object({
		attended: n,
		no_shows: n,
		cancellations: n,
		late_cancellations: n,
		unmet_demand: n,
		walk_ins: n,
		/** sessions held (with places in scope) and sessions cancelled */
		sessions: n,
		sessions_cancelled: n,
		hours: n,
		learner_hours: n,
		by_course: v.array(CourseAttendanceSchema)
	}),
	learning: v.object({ responses: n, courses: v.array(CourseLearningSchema) }),
	followup: v.object({
		requested: n,
		answered: n,
		applied: v.object({ yes: n, partly: n, no: n }),
		/** per course: each year's webinars are separate courses that share a title */
		outcomes: v.array(
			v.object({
				course_id: text,
				title: text,
				position: n,
				text,
				n,
				sum_end: n,
				sum_now: n,
				changes: CountsSchema
			})
		),
		/** what changed: different examples of the learning applied, never with a name */
		examples: v.array(v.object({ text, course: text })),
		/** how many people named a barrier */
		barriers_named: n,
		/** each barrier once, with how many people named it */
		barriers: v.array(v.object({ text, n }))
	}),
	quotes: v.array(v.object({ text, course: text }))
});
export type ImpactReport = v.InferOutput<typeof ImpactReportSchema>;

/** Reach beside the two years before, as public.impact_reach_years returns it. */
export const ReachYearsSchema = v.object({
	/** this period, then the same dates one and two years earlier */
	periods: v.array(v.object({ from: text, to: text })),
	people: v.array(n),
	by_agency: v.array(v.object({ agency: text, sector: v.nullable(text), people: v.array(n) })),
	by_sector: v.array(v.object({ sector: text, people: v.array(n) }))
});
export type ReachYears = v.InferOutput<typeof ReachYearsSchema>;
