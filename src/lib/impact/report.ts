/** The impact report as public.impact_report returns it (see the migration). */
export type Counts = Record<string, number>;

export interface ImpactFilters {
	from: string;
	to: string;
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
		barriers: string[];
	};
	quotes: { text: string; course: string }[];
}
