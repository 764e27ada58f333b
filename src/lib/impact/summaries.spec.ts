import { describe, expect, it } from 'vitest';
import type { ImpactReport } from './report';
import { attendanceRate, headlines, learningGain } from './summaries';

const report: ImpactReport = {
	period: {
		from: '2025-04-01',
		to: '2026-03-31',
		previous_from: '2024-04-01',
		previous_to: '2025-03-31'
	},
	scope: 'partnership',
	scope_agency: null,
	named: { course: null, agency: null },
	reach: {
		people: 1200,
		confirmed_places: 1500,
		agencies: 17,
		previous: { people: 1000, confirmed_places: 1300 },
		by_agency: [],
		by_sector: [],
		by_month: []
	},
	attendance: {
		attended: 1300,
		no_shows: 150,
		cancellations: 45,
		late_cancellations: 20,
		unmet_demand: 30,
		walk_ins: 20,
		sessions: 52,
		sessions_cancelled: 3,
		hours: 180.5,
		learner_hours: 4100,
		by_course: []
	},
	learning: {
		responses: 12,
		courses: [
			{
				course_id: 'a',
				title: 'A',
				attended: 10,
				responses: 10,
				person_changes: { '1': 8, '0': 1, '2': 1 },
				outcomes: [
					{
						outcome_id: 'o',
						position: 1,
						text: 'O',
						n: 10,
						sum_before: 20,
						sum_after: 30,
						changes: { '1': 8, '0': 1, '2': 1 }
					}
				]
			},
			{
				course_id: 'b',
				title: 'B',
				attended: 4,
				responses: 2,
				person_changes: { '-1': 1, '0': 1 },
				outcomes: []
			}
		]
	},
	followup: {
		requested: 100,
		answered: 40,
		applied: { yes: 20, partly: 10, no: 10 },
		outcomes: [],
		examples: [],
		barriers_named: 0,
		barriers: []
	},
	quotes: []
};

describe('summaries of a report', () => {
	it('work out learning gain per course and outcome', () => {
		const [a, b] = learningGain(report);
		expect(a).toMatchObject({ responseRate: 1, summary: { n: 10, meanChange: 1 } });
		expect(a!.outcomes[0]).toMatchObject({ meanBefore: 2, meanAfter: 3 });
		expect(a!.summary.wilcoxon!.pValue).toBeLessThan(0.05);
		// two answers: counts only
		expect(b).toMatchObject({
			responseRate: 0.5,
			summary: { n: 2, meanChange: null, counts: { improved: 0, same: 1, dropped: 1 } }
		});
	});

	it('state the headlines from the figures', () => {
		expect(
			headlines(report, { period: '2025/26', previous: '2024/25' }, 'Webinar Wednesdays')
		).toEqual([
			'1,200 professionals from 17 agencies attended Webinar Wednesdays in 2025/26.',
			'That is up 20% on 2024/25 (1,000 professionals).',
			'52 sessions were held, 180.5 hours of training, with an average of 25 attendances each; 3 more were cancelled.',
			'1,500 places were confirmed and 1,300 attendances recorded, 20 of them by people who came without booking. 85.3% of confirmed places were used (the attendance rate); 150 were not used without notice (10.0% of confirmed places). 45 confirmed places were given up beforehand, 20 of them less than 48 hours before.',
			'30 people joined a waiting list and did not get a place: demand for more cohorts.',
			'Learning gain was positive on 1 of the 1 course with 5 or more evaluations (statistically significant, p < 0.05, on 1 of the 1 with 10 or more), from 12 evaluations.',
			'1 course has fewer than 5 evaluations: only its counts are shown.',
			'75% of the 40 people who answered the follow-up had applied the learning in their work, fully or partly.'
		]);
	});

	it('make each noun and verb agree with a count of one', () => {
		const one = structuredClone(report);
		one.reach.confirmed_places = 1;
		Object.assign(one.attendance, {
			attended: 1,
			walk_ins: 1,
			no_shows: 1,
			cancellations: 1,
			late_cancellations: 1,
			unmet_demand: 1,
			sessions: 1,
			sessions_cancelled: 1
		});
		const lines = headlines(one, { period: '2025/26', previous: '2024/25' }, 'Webinar Wednesdays');
		expect(lines).toContain(
			'1 place was confirmed and 1 attendance recorded, 1 of them by someone who came without booking. 0.0% of confirmed places were used (the attendance rate); 1 was not used without notice (100.0% of confirmed places). 1 confirmed place was given up beforehand, 1 of them less than 48 hours before.'
		);
		expect(lines).toContain(
			'1 session was held, 180.5 hours of training, with an average of 1 attendance each; 1 more was cancelled.'
		);
		expect(lines).toContain(
			'1 person joined a waiting list and did not get a place: demand for more cohorts.'
		);
		expect(lines.join(' ')).not.toMatch(/\b1 (were|places|people|attendances)\b/);
	});

	it('claim no learning gain when no course has five answers, and no significance below ten', () => {
		const few = structuredClone(report);
		few.learning.courses = [few.learning.courses[1]!];
		expect(headlines(few, { period: '2025/26', previous: '2024/25' })).toContain(
			'No course had 5 or more evaluations, so no learning gain is stated; 12 evaluations were returned.'
		);
		const seven = structuredClone(report);
		seven.learning.courses[0]!.person_changes = { '1': 7 };
		expect(headlines(seven, { period: '2025/26', previous: '2024/25' })).toContain(
			'Learning gain was positive on 1 of the 1 course with 5 or more evaluations (none had the 10 evaluations a test of significance needs), from 12 evaluations.'
		);
	});

	it('give the attendance rate of confirmed places, leaving out walk-ins, who held none', () => {
		expect(attendanceRate({ confirmed: 10, attended: 9, walk_ins: 2 })).toBeCloseTo(0.7);
		expect(attendanceRate({ confirmed: 0, attended: 3, walk_ins: 3 })).toBeNull();
		// someone let in from the waiting list attends without a confirmed place: never above 100%
		expect(attendanceRate({ confirmed: 2, attended: 3, walk_ins: 0 })).toBe(1);
	});
});
