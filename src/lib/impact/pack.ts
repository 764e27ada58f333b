import { formatLabel } from '$lib/brochure/format';
import type { CourseFormat } from '$lib/data';
import { formatP, MIN_N, SMALL_N, type PairedSummary } from './statistics';
import {
	figure as whole,
	oneDp,
	percentOneDp as percentOf,
	pct,
	sectorLabel,
	signed,
	twoDp
} from './format';
import { financialYear, ukDay } from './period';
import type { ImpactFilters, ImpactReport, ReachYears } from './report';
import {
	attendanceRate,
	followupRetention,
	headlines,
	learningGain,
	perSession
} from './summaries';

/**
 * The evidence pack as a document: a short main report and an appendix of the detail, in
 * the tables partnerships publish in their annual and quarterly training reports. One model
 * for the page that prints and for the Word document, so the two say the same.
 */
export interface PackTable {
	caption: string;
	head: string[];
	/** which columns hold figures (right-aligned) */
	numeric: boolean[];
	/** the first cell of each row names it; a group's heading row spans the table */
	rows: (string[] | { group: string })[];
	/** a closing row of totals */
	total?: string[];
}

export interface PackSection {
	id: string;
	heading: string;
	paragraphs: string[];
	tables: PackTable[];
	quotes?: { text: string; course: string }[];
	note?: string;
}

export interface EvidencePack {
	caption: string;
	title: string;
	/** what the pack covers: dates, whose staff, what the filters chose, when it was made */
	about: string[];
	headlines: string[];
	main: PackSection[];
	appendix: PackSection[];
	/** the running header of each printed page */
	runningHeader: string;
}

const flagged = (text: string, s: PairedSummary) => (s.smallN && s.n > 0 ? `${text} *` : text);
const split = (s: PairedSummary) =>
	s.countsOnly
		? `${s.counts.improved} / ${s.counts.same} / ${s.counts.dropped}`
		: `${pct(s.improved)} / ${pct(s.same)} / ${pct(s.dropped)}`;
const ci = (s: PairedSummary) => (s.ci ? `${signed(s.ci[0])} to ${signed(s.ci[1])}` : '–');
const test = (s: PairedSummary) => (s.wilcoxon ? formatP(s.wilcoxon.pValue) : (s.note ?? '–'));
const SMALL_NOTE = `* ${MIN_N} to ${SMALL_N - 1} answers: read with care; significance is claimed only from ${SMALL_N}. Below ${MIN_N} answers only how many improved, stayed the same or dropped is given.`;

/** "2025/26", "Q1 2025/26", or "1 January 2025 to 31 March 2025" */
export function periodName(from: string, to: string) {
	const start = Number(from.slice(0, 4));
	const year = financialYear(start);
	if (from === year.from && to === year.to) return year.label;
	const quarters = [
		['04-01', '06-30', 1, start],
		['07-01', '09-30', 2, start],
		['10-01', '12-31', 3, start],
		['01-01', '03-31', 4, start - 1]
	] as const;
	for (const [a, b, q, fy] of quarters) {
		if (from.slice(5) === a && to === `${from.slice(0, 4)}-${b}`)
			return `Q${q} ${financialYear(fy).label}`;
	}
	return `${ukDay(from)} to ${ukDay(to)}`;
}

export function evidencePack(
	report: ImpactReport,
	reach: ReachYears | null,
	labels: { period: string; previous: string; made: Date; filters: ImpactFilters }
): EvidencePack {
	const { attendance: a, followup: f } = report;
	const whose =
		report.scope === 'agency'
			? `Staff of ${report.scope_agency ?? 'one agency'} only.`
			: report.scope === 'trainer'
				? 'The sessions of one trainer only.'
				: 'All partner agencies.';
	const chosen = [
		report.named.course && `course: ${report.named.course}`,
		report.named.agency && `agency: ${report.named.agency}`,
		labels.filters.sector && `sector: ${sectorLabel(labels.filters.sector)}`,
		labels.filters.format && `format: ${formatLabel(labels.filters.format as CourseFormat)}`,
		labels.filters.theme && `theme: ${labels.filters.theme}`
	].filter(Boolean);
	const title = `Multi-agency safeguarding training: evidence of impact, ${labels.period}`;
	const dates = `${ukDay(labels.filters.from)} to ${ukDay(labels.filters.to)}.`;
	const about = [
		report.scope === 'partnership' && chosen.length ? dates : `${dates} ${whose}`,
		...(chosen.length ? [`Only the ${chosen.join('; ')}.`] : []),
		`Made on ${ukDay(labels.made.toISOString().slice(0, 10))} from the records held then.`
	];
	const rate = attendanceRate({ confirmed: report.reach.confirmed_places, ...a });
	const gains = learningGain(report);
	const periods = (reach?.periods ?? []).map((p) => periodName(p.from, p.to));
	const peopleCells = (people: number[]) => people.map((n) => whole(n));

	const delivered: PackSection = {
		id: 'delivered',
		heading: 'Training delivered',
		paragraphs: [],
		tables: [
			{
				caption: `The training in ${labels.period}`,
				head: ['Measure', labels.period],
				numeric: [false, true],
				rows: [
					['Professionals trained (people)', whole(report.reach.people)],
					['Agencies reached', whole(report.reach.agencies)],
					['Sessions held', whole(a.sessions)],
					['Sessions cancelled', whole(a.sessions_cancelled)],
					['Training hours delivered', whole(a.hours)],
					['Hours of learning (hours × people attending)', whole(a.learner_hours)],
					['Confirmed places', whole(report.reach.confirmed_places)],
					['Attendances', whole(a.attended)],
					['of them walk-ins (came without booking)', whole(a.walk_ins)],
					['Attendance rate (confirmed places used)', rate === null ? '–' : percentOf(rate, 1)],
					['Average attendance per session', whole(perSession(a.attended, a.sessions))],
					[
						'Did not attend (share of confirmed places)',
						`${whole(a.no_shows)} (${percentOf(a.no_shows, report.reach.confirmed_places)})`
					],
					[
						'Places given up (within 48 hours)',
						`${whole(a.cancellations)} (${whole(a.late_cancellations)})`
					],
					['Waiting list never offered a place (unmet demand)', whole(a.unmet_demand)],
					[
						'Evaluations returned (response rate)',
						`${whole(report.learning.responses)} (${percentOf(report.learning.responses, a.attended)})`
					],
					['Follow-ups answered', `${whole(f.answered)} of ${whole(f.requested)}`]
				]
			}
		]
	};

	const sectors: PackSection = {
		id: 'reach',
		heading: 'Reach by sector',
		paragraphs: reach
			? [
					`People trained from each sector, beside the same dates in each of the two years before. A person is counted once in each period however many sessions they attended.`
				]
			: ['The years before could not be loaded.'],
		tables: reach
			? [
					{
						caption: 'People trained by sector',
						head: ['Sector', ...periods],
						numeric: [false, ...periods.map(() => true)],
						rows: reach.by_sector.map((s) => [sectorLabel(s.sector), ...peopleCells(s.people)]),
						total: ['All sectors', ...peopleCells(reach.people)]
					}
				]
			: []
	};

	const learning: PackSection = {
		id: 'learning',
		heading: 'Learning gain by course',
		paragraphs: [
			`${whole(report.learning.responses)} evaluations. Each person rated their confidence on each learning outcome before the training and after it, from 1 (not at all confident) to 5 (extremely confident); a course's change is each person's mean change across its outcomes.`
		],
		tables: [
			{
				caption: 'Learning gain by course',
				head: [
					'Course',
					'Answers',
					'Response rate',
					'Mean change',
					'95% CI',
					'Effect size (dz)',
					'Improved / same / dropped',
					'Wilcoxon p'
				],
				numeric: [false, true, true, true, true, true, true, true],
				rows: gains.map((c) => [
					flagged(c.title, c.summary),
					whole(c.summary.n),
					pct(c.responseRate),
					signed(c.summary.meanChange),
					ci(c.summary),
					twoDp(c.summary.effectSize),
					split(c.summary),
					test(c.summary)
				])
			}
		],
		note: SMALL_NOTE
	};

	const applied = f.applied.yes + f.applied.partly;
	const followup: PackSection = {
		id: 'followup',
		heading: 'Follow-up: did practice change?',
		paragraphs: f.answered
			? [
					`${whole(f.answered)} of the ${whole(f.requested)} people asked answered the follow-up (${percentOf(f.answered, f.requested)}). ${percentOf(applied, f.answered)} had applied the learning in their work: ${percentOf(f.applied.yes, f.answered)} fully, ${percentOf(f.applied.partly, f.answered)} partly; ${percentOf(f.applied.no, f.answered)} not yet.`,
					...(f.examples.length
						? ['What changed: examples of the learning applied, each different, without names.']
						: [])
				]
			: ['No follow-up answers in this selection.'],
		quotes: f.examples,
		tables: f.barriers.length
			? [
					{
						caption: `What got in the way: ${whole(f.barriers_named)} ${f.barriers_named === 1 ? 'person' : 'people'} named a barrier`,
						head: ['Barrier, as written', 'People'],
						numeric: [false, true],
						rows: f.barriers.map((b) => [b.text, whole(b.n)])
					}
				]
			: []
	};

	const quotes: PackSection = {
		id: 'quotes',
		heading: 'What practitioners said',
		paragraphs: [
			report.quotes.length
				? 'Answers to “How will this training inform your practice?”: up to 12 different answers, without names.'
				: 'No answers in this selection.'
		],
		tables: [],
		quotes: report.quotes
	};

	const courses: PackSection = {
		id: 'courses',
		heading: 'A. Attendance by course',
		paragraphs: [],
		tables: [
			{
				caption: 'Sessions, places and attendance by course',
				head: [
					'Course',
					'Format',
					'Sessions',
					'Cancelled sessions',
					'Capacity',
					'Confirmed',
					'Attended',
					'Attendance rate',
					'Did not attend',
					'Places given up (late)',
					'Walk-ins',
					'Training hours'
				],
				numeric: [false, false, true, true, true, true, true, true, true, true, true, true],
				rows: a.by_course.map((c) => [
					c.title,
					formatLabel(c.format as CourseFormat) ?? c.format,
					whole(c.sessions),
					whole(c.sessions_cancelled),
					whole(c.capacity),
					whole(c.confirmed),
					whole(c.attended),
					pct(attendanceRate(c)),
					whole(c.no_shows),
					`${whole(c.cancellations)} (${whole(c.late_cancellations)})`,
					whole(c.walk_ins),
					whole(c.hours)
				]),
				total: [
					'All courses',
					'',
					whole(a.sessions),
					whole(a.sessions_cancelled),
					whole(a.by_course.reduce((s, c) => s + c.capacity, 0)),
					whole(report.reach.confirmed_places),
					whole(a.attended),
					rate === null ? '–' : pct(rate),
					whole(a.no_shows),
					`${whole(a.cancellations)} (${whole(a.late_cancellations)})`,
					whole(a.walk_ins),
					whole(a.hours)
				]
			}
		]
	};

	const agencies: PackSection = {
		id: 'agencies',
		heading: 'B. Reach by agency',
		paragraphs: [],
		tables: reach
			? [
					{
						caption: 'People trained by agency',
						head: ['Agency', 'Sector', ...periods],
						numeric: [false, false, ...periods.map(() => true)],
						rows: reach.by_agency.map((g) => [
							g.agency,
							sectorLabel(g.sector),
							...peopleCells(g.people)
						]),
						total: ['All agencies', '', ...peopleCells(reach.people)]
					}
				]
			: []
	};

	const outcomes: PackSection = {
		id: 'outcomes',
		heading: 'C. Learning gain by learning outcome',
		paragraphs: [],
		tables: [
			{
				caption: 'Confidence before and after, by course and learning outcome',
				head: ['Learning outcome', 'n', 'Before', 'After', 'Change (95% CI)', 'dz', 'Wilcoxon p'],
				numeric: [false, true, true, true, true, true, true],
				rows: gains
					.filter((c) => c.outcomes.length)
					.flatMap((c) => [
						{ group: c.title },
						...c.outcomes.map((o) => [
							flagged(o.text, o.summary),
							whole(o.n),
							oneDp(o.meanBefore),
							oneDp(o.meanAfter),
							o.summary.ci
								? `${signed(o.summary.meanChange)} (${ci(o.summary)})`
								: signed(o.summary.meanChange),
							twoDp(o.summary.effectSize),
							test(o.summary)
						])
					])
			}
		],
		note: SMALL_NOTE
	};

	const retention = followupRetention(report);
	const kept: PackSection = {
		id: 'retention',
		heading: 'D. Confidence kept at follow-up',
		paragraphs: retention.length
			? ['Confidence at the end of the course against the follow-up, on each learning outcome.']
			: ['No follow-up ratings in this selection.'],
		tables: retention.length
			? [
					{
						caption: 'Confidence at the end of the course and at follow-up',
						head: ['Learning outcome', 'n', 'End of course', 'Follow-up', 'Change'],
						numeric: [false, true, true, true, true],
						rows: retention.flatMap((r, i) => [
							...(i === 0 || retention[i - 1]!.title !== r.title ? [{ group: r.title }] : []),
							[r.text, whole(r.n), oneDp(r.meanEnd), oneDp(r.meanNow), signed(r.summary.meanChange)]
						])
					}
				]
			: []
	};

	return {
		caption: 'Hampshire Safeguarding Children Partnership',
		title,
		about,
		headlines: headlines(report, { period: labels.period, previous: labels.previous }),
		main: [delivered, sectors, learning, followup, quotes],
		appendix: [courses, agencies, outcomes, kept],
		runningHeader: `HSCP: evidence of impact, ${labels.period}${report.scope === 'agency' && report.scope_agency ? ` (${report.scope_agency})` : ''}`
	};
}
