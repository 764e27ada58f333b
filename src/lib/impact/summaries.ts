import { changeOn } from './comparison';
import { figure as number, percentOneDp as oneDecimalPercent } from './format';
import type { ImpactReport, OutcomeRatings } from './report';
import { expandCounts, MIN_N, pairedSummary, SMALL_N, type PairedSummary } from './statistics';

/** A count with its noun (and verb) agreeing: "1 place was", "3 places were". */
const counted = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

export interface OutcomeGain {
	outcome_id: string;
	text: string;
	n: number;
	/** null below MIN_N answers, like every figure beyond the counts */
	meanBefore: number | null;
	meanAfter: number | null;
	summary: PairedSummary;
}

export interface CourseGain {
	course_id: string;
	title: string;
	attended: number;
	responses: number;
	/** share of those who attended who answered; null when nobody attended in scope */
	responseRate: number | null;
	/** each respondent's mean change across the course's outcomes */
	summary: PairedSummary;
	outcomes: OutcomeGain[];
}

export function learningGain(report: ImpactReport): CourseGain[] {
	return report.learning.courses.map((c) => ({
		course_id: c.course_id,
		title: c.title,
		attended: c.attended,
		responses: c.responses,
		responseRate: c.attended ? Math.min(1, c.responses / c.attended) : null,
		summary: pairedSummary(expandCounts(c.person_changes ?? {})),
		outcomes: c.outcomes.map(outcomeGain)
	}));
}

/** One outcome's learning gain from its ratings: the same for the report and a session's results. */
export function outcomeGain(
	o: Pick<OutcomeRatings, 'outcome_id' | 'text' | 'n' | 'sum_before' | 'sum_after' | 'changes'>
): OutcomeGain {
	return {
		outcome_id: o.outcome_id,
		text: o.text,
		n: o.n,
		meanBefore: o.n >= MIN_N ? o.sum_before / o.n : null,
		meanAfter: o.n >= MIN_N ? o.sum_after / o.n : null,
		summary: pairedSummary(expandCounts(o.changes))
	};
}

export function followupRetention(report: ImpactReport) {
	return report.followup.outcomes.map((o) => ({
		title: o.title,
		text: o.text,
		n: o.n,
		meanEnd: o.n >= MIN_N ? o.sum_end / o.n : null,
		meanNow: o.n >= MIN_N ? o.sum_now / o.n : null,
		summary: pairedSummary(expandCounts(o.changes))
	}));
}

/**
 * The attendance rate: the share of confirmed places that were used, that is attendances by
 * people who booked (not walk-ins) over confirmed places; null with no confirmed places.
 */
export function attendanceRate(a: { confirmed: number; attended: number; walk_ins: number }) {
	return a.confirmed ? Math.min(1, Math.max(0, a.attended - a.walk_ins) / a.confirmed) : null;
}

/** Average attendances per session held; null with no sessions. */
export const perSession = (attended: number, sessions: number) =>
	sessions ? attended / sessions : null;

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 0);

/** Plain statements for the evidence pack, each worked out from the figures. */
export function headlines(
	report: ImpactReport,
	labels: { period: string; previous: string },
	what = 'the partnership’s training'
) {
	const { reach, attendance, followup } = report;
	const lines: string[] = [];
	lines.push(
		`${number(reach.people)} professionals from ${number(reach.agencies)} ${reach.agencies === 1 ? 'agency' : 'agencies'} attended ${what} in ${labels.period}.`
	);
	lines.push(
		changeOn(reach.people, reach.previous.people, labels.previous, [
			'professional',
			'professionals'
		])
	);
	const confirmed = reach.confirmed_places;
	const average = perSession(attendance.attended, attendance.sessions);
	lines.push(
		`${number(attendance.sessions)} ${attendance.sessions === 1 ? 'session was' : 'sessions were'} held, ${number(attendance.hours)} hours of training` +
			(average === null
				? ''
				: `, with an average of ${counted(average, 'attendance', 'attendances')} each`) +
			(attendance.sessions_cancelled
				? `; ${number(attendance.sessions_cancelled)} more ${attendance.sessions_cancelled === 1 ? 'was' : 'were'} cancelled.`
				: '.')
	);
	const rate = attendanceRate({ confirmed, ...attendance });
	lines.push(
		`${counted(confirmed, 'place was', 'places were')} confirmed and ${counted(attendance.attended, 'attendance', 'attendances')} recorded` +
			(attendance.walk_ins
				? `, ${number(attendance.walk_ins)} of them by ${attendance.walk_ins === 1 ? 'someone' : 'people'} who came without booking`
				: '') +
			`. ${rate === null ? 'No' : oneDecimalPercent(rate, 1)} of confirmed places were used (the attendance rate); ${number(attendance.no_shows)} ${attendance.no_shows === 1 ? 'was' : 'were'} not used without notice (${oneDecimalPercent(attendance.no_shows, confirmed)} of confirmed places). ${counted(attendance.cancellations, 'confirmed place was', 'confirmed places were')} given up beforehand, ${number(attendance.late_cancellations)} of them less than 48 hours before.`
	);
	if (attendance.unmet_demand) {
		lines.push(
			`${counted(attendance.unmet_demand, 'person', 'people')} joined a waiting list and did not get a place: demand for more cohorts.`
		);
	}
	const evaluated = learningGain(report).filter((c) => c.summary.n > 0);
	const gains = evaluated.filter((c) => !c.summary.countsOnly);
	if (gains.length) {
		const positive = gains.filter((c) => (c.summary.meanChange ?? 0) > 0);
		const tested = gains.filter((c) => !c.summary.smallN);
		const significant = tested.filter((c) => c.summary.significant && c.summary.meanChange! > 0);
		lines.push(
			`Learning gain was positive on ${positive.length} of the ${gains.length} ${gains.length === 1 ? 'course' : 'courses'} with ${MIN_N} or more evaluations` +
				(tested.length
					? ` (statistically significant, p < 0.05, on ${significant.length} of the ${tested.length} with ${SMALL_N} or more)`
					: ` (none had the ${SMALL_N} evaluations a test of significance needs)`) +
				`, from ${number(report.learning.responses)} evaluations.`
		);
	} else if (evaluated.length) {
		lines.push(
			`No course had ${MIN_N} or more evaluations, so no learning gain is stated; ${number(report.learning.responses)} evaluations were returned.`
		);
	} else {
		lines.push('No evaluations were returned for this selection.');
	}
	const few = evaluated.length - gains.length;
	if (few && gains.length) {
		lines.push(
			`${few} ${few === 1 ? 'course has' : 'courses have'} fewer than ${MIN_N} evaluations: only ${few === 1 ? 'its' : 'their'} counts are shown.`
		);
	}
	if (followup.answered) {
		const applied = followup.applied.yes + followup.applied.partly;
		lines.push(
			`${percent(applied, followup.answered)}% of the ${number(followup.answered)} people who answered the follow-up had applied the learning in their work, fully or partly.`
		);
	}
	return lines;
}
