/** The impact report as public.impact_report returns it (see the migration). */
export type Counts = Record<string, number>;

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

export interface AgencyReach {
	agency: string;
	sector: string | null;
	people: number;
	/** confirmed places (docs/impact-definitions.md) */
	confirmed: number;
	attended: number;
	no_shows: number;
}

export interface CourseAttendance {
	course_id: string;
	title: string;
	format: string;
	sessions: number;
	capacity: number;
	confirmed: number;
	attended: number;
	no_shows: number;
	/** confirmed places given up, late or not */
	cancellations: number;
	late_cancellations: number;
	unmet_demand: number;
	/** sessions of the course cancelled in the period */
	sessions_cancelled: number;
	/** people who attended without booking (unscheduled attendees) */
	walk_ins: number;
	/** hours of training delivered: each session's length */
	hours: number;
	/** hours of learning: each session's length for each person who attended */
	learner_hours: number;
}

export interface OutcomeRatings {
	outcome_id: string;
	position: number;
	text: string;
	n: number;
	sum_before: number;
	sum_after: number;
	changes: Counts;
}

export interface CourseLearning {
	course_id: string;
	title: string;
	attended: number;
	responses: number;
	person_changes: Counts;
	outcomes: OutcomeRatings[];
}

export interface ImpactReport {
	period: { from: string; to: string; previous_from: string; previous_to: string };
	scope: 'partnership' | 'agency' | 'trainer';
	/** the agency a report narrowed to one agency's staff is about */
	scope_agency: string | null;
	/** what the filters chose, by name */
	named: { course: string | null; agency: string | null };
	reach: {
		people: number;
		confirmed_places: number;
		agencies: number;
		previous: { people: number; confirmed_places: number };
		by_agency: AgencyReach[];
		by_sector: { sector: string; people: number; attended: number }[];
		by_month: { month: string; people: number; confirmed: number; attended: number }[];
	};
	attendance: {
		attended: number;
		no_shows: number;
		cancellations: number;
		late_cancellations: number;
		unmet_demand: number;
		walk_ins: number;
		/** sessions held (with places in scope) and sessions cancelled */
		sessions: number;
		sessions_cancelled: number;
		hours: number;
		learner_hours: number;
		by_course: CourseAttendance[];
	};
	learning: { responses: number; courses: CourseLearning[] };
	followup: {
		requested: number;
		answered: number;
		applied: { yes: number; partly: number; no: number };
		/** per course: each year's webinars are separate courses that share a title */
		outcomes: {
			course_id: string;
			title: string;
			position: number;
			text: string;
			n: number;
			sum_end: number;
			sum_now: number;
			changes: Counts;
		}[];
		/** what changed: different examples of the learning applied, never with a name */
		examples: { text: string; course: string }[];
		/** how many people named a barrier */
		barriers_named: number;
		/** each barrier once, with how many people named it */
		barriers: { text: string; n: number }[];
	};
	quotes: { text: string; course: string }[];
}

/** Reach beside the two years before, as public.impact_reach_years returns it. */
export interface ReachYears {
	/** this period, then the same dates one and two years earlier */
	periods: { from: string; to: string }[];
	people: number[];
	by_agency: { agency: string; sector: string | null; people: number[] }[];
	by_sector: { sector: string; people: number[] }[];
}
