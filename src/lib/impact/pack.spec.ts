import { describe, expect, it } from 'vitest';
import { evidencePack, periodName } from './pack';
import { pageStyle } from './print';
import { methodBlocks } from './method';
import type { ImpactReport } from './report';

const report: ImpactReport = {
	period: {
		from: '2025-04-01',
		to: '2026-03-31',
		previous_from: '2024-04-01',
		previous_to: '2025-03-31'
	},
	scope: 'agency',
	scope_agency: 'Hampshire Constabulary',
	named: { course: null, agency: null },
	reach: {
		people: 40,
		confirmed_places: 50,
		agencies: 1,
		previous: { people: 0, confirmed_places: 0 },
		by_agency: [],
		by_sector: [],
		by_month: []
	},
	attendance: {
		attended: 44,
		no_shows: 5,
		cancellations: 3,
		late_cancellations: 1,
		unmet_demand: 2,
		walk_ins: 4,
		sessions: 4,
		sessions_cancelled: 1,
		hours: 8,
		learner_hours: 88,
		by_course: [
			{
				course_id: 'c',
				title: 'Neglect',
				format: 'face_to_face',
				sessions: 4,
				capacity: 60,
				confirmed: 50,
				attended: 44,
				no_shows: 5,
				cancellations: 3,
				late_cancellations: 1,
				unmet_demand: 2,
				sessions_cancelled: 1,
				walk_ins: 4,
				hours: 8,
				learner_hours: 88
			}
		]
	},
	learning: {
		responses: 7,
		courses: [
			{
				course_id: 'c',
				title: 'Neglect',
				attended: 44,
				responses: 7,
				person_changes: { '1': 7 },
				outcomes: [
					{
						outcome_id: 'o',
						position: 1,
						text: 'Recognise neglect',
						n: 3,
						sum_before: 6,
						sum_after: 9,
						changes: { '1': 3 }
					}
				]
			}
		]
	},
	followup: {
		requested: 7,
		answered: 0,
		applied: { yes: 0, partly: 0, no: 0 },
		outcomes: [],
		examples: [],
		barriers_named: 0,
		barriers: []
	},
	quotes: []
};

const labels = {
	period: '2025/26',
	previous: '2024/25',
	made: new Date('2026-12-01T10:00:00Z'),
	filters: { from: '2025-04-01', to: '2026-03-31' }
};

describe('the evidence pack', () => {
	it('names its periods as partnerships do: a financial year, a quarter, or UK dates', () => {
		expect(periodName('2025-04-01', '2026-03-31')).toBe('2025/26');
		expect(periodName('2025-10-01', '2025-12-31')).toBe('Q3 2025/26');
		expect(periodName('2026-01-01', '2026-03-31')).toBe('Q4 2025/26');
		expect(periodName('2025-05-03', '2025-06-30')).toBe('3 May 2025 to 30 June 2025');
	});

	it('says whose staff it covers and when it was made, in UK dates', () => {
		const pack = evidencePack(report, null, labels);
		expect(pack.about).toEqual([
			'1 April 2025 to 31 March 2026. Staff of Hampshire Constabulary only.',
			'Made on 1 December 2026 from the records held then.'
		]);
		expect(pack.runningHeader).toBe('HSCP: evidence of impact, 2025/26 (Hampshire Constabulary)');
		expect(JSON.stringify(pack)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
	});

	it('puts the totals in the main report and the detail in the appendix', () => {
		const pack = evidencePack(report, null, labels);
		expect(pack.main.map((s) => s.id)).toEqual([
			'delivered',
			'reach',
			'learning',
			'followup',
			'quotes'
		]);
		expect(pack.appendix.map((s) => s.id)).toEqual([
			'courses',
			'agencies',
			'outcomes',
			'retention'
		]);
		const delivered = Object.fromEntries(pack.main[0]!.tables[0]!.rows as string[][]);
		expect(delivered).toMatchObject({
			'Sessions held': '4',
			'Sessions cancelled': '1',
			'of them walk-ins (came without booking)': '4',
			// (44 − 4 walk-ins) of 50 confirmed places
			'Attendance rate (confirmed places used)': '80.0%',
			'Average attendance per session': '11',
			'Training hours delivered': '8'
		});
		const [course] = pack.appendix[0]!.tables[0]!.rows as string[][];
		expect(course).toEqual([
			'Neglect',
			'Face to face',
			'4',
			'1',
			'60',
			'50',
			'44',
			'80%',
			'5',
			'3 (1)',
			'4',
			'8'
		]);
	});

	it('flags five to nine answers, and gives only counts below five', () => {
		const pack = evidencePack(report, null, labels);
		const [course] = pack.main[2]!.tables[0]!.rows as string[][];
		expect(course![0]).toBe('Neglect *');
		expect(course![3]).toBe('+1.00');
		const outcomes = pack.appendix[2]!.tables[0]!.rows;
		expect(outcomes[0]).toEqual({ group: 'Neglect' });
		// three answers on the outcome: no means, interval or test
		expect(outcomes[1]).toEqual([
			'Recognise neglect *',
			'3',
			'–',
			'–',
			'–',
			'–',
			expect.any(String)
		]);
	});

	it('escapes the running header for CSS', () => {
		expect(pageStyle('Q1 "x" \\ y\nz')).toBe(
			'@page { @top-left { content: "Q1 \\"x\\" \\\\ y z"; } }'
		);
	});

	it('gives the Word document the same methodology as the page, headings, paragraphs and bullets with their bold', () => {
		const blocks = methodBlocks(
			'# Title\n\nFor maintainers.\n\n## Places\n\n- **Confirmed places** are\n  bookings.\n'
		);
		expect(blocks).toEqual([
			{ kind: 'heading', runs: [{ text: 'Places', bold: false }] },
			{
				kind: 'bullet',
				runs: [
					{ text: 'Confirmed places', bold: true },
					{ text: ' are bookings.', bold: false }
				]
			}
		]);
	});
});
