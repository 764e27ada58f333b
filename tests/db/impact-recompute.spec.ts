import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv, type ExportKind } from '../../src/lib/impact/exports';
import type { ImpactReport } from '../../src/lib/impact/report';
import { learningGain } from '../../src/lib/impact/summaries';
import { as, authenticator, createUser, superuser, user } from './helpers';

/**
 * A second method inside the suite: the demo year's headline figures worked out again in
 * TypeScript from the CSV files an analyst downloads (labels, not codes), by the
 * definitions in docs/impact-definitions.md, independently of the report's SQL, and
 * checked against the report. Two themes of the demo year keep other tests' rows out.
 */
const api = authenticator();
const admin = superuser();
afterAll(() => Promise.all([api.end(), admin.end()]));
let analyst: string;
beforeAll(async () => {
	const a = await createUser(admin, 'recompute-admin');
	await admin`insert into public.staff_roles (user_id, role) values (${a.id}, 'admin')`;
	analyst = a.id;
});

type Row = Record<string, string>;

async function csv(kind: ExportKind, filters: Record<string, unknown>): Promise<Row[]> {
	const rows = await as(api, user(analyst), async (tx) => {
		const [row] = await tx`select public.impact_export(${kind}, ${tx.json(filters as never)}) as r`;
		return row!.r as Record<string, unknown>[];
	});
	const parsed = Papa.parse<Row>(exportCsv(kind, rows).replace(/^\uFEFF/, ''), {
		header: true,
		skipEmptyLines: true
	});
	expect(parsed.errors).toEqual([]);
	return parsed.data;
}

/** "31/03/2026 09:30" (UK wall-clock time) as minutes, for differences between two of them */
function minutes(uk: string) {
	const [, d, m, y, h, min] = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(uk)!;
	return Date.UTC(+y!, +m! - 1, +d!, +h!, +min!) / 60000;
}

const ATTENDED = new Set(['Present', 'Late', 'Left early']);
const distinct = (values: string[]) => new Set(values).size;

function recompute(bookings: Row[], registers: Row[], evaluations: Row[]) {
	const confirmed = bookings.filter((b) => b['Booking status'] === 'Confirmed');
	const givenUp = bookings.filter(
		(b) => b['Booking status'] === 'Cancelled' && b['Had a confirmed place'] === 'Yes'
	);
	const attended = registers.filter((r) => ATTENDED.has(r['Attendance']!));
	const people = (rows: Row[]) => distinct(rows.map((r) => r['Email']!.toLowerCase()));
	const byAgency: Record<string, Row[]> = {};
	for (const r of attended) (byAgency[r['Agency'] || 'Not recorded'] ??= []).push(r);
	// each respondent's mean change across the course's outcomes, then the course's mean
	const respondents: Record<string, Record<string, number[]>> = {};
	for (const e of evaluations) {
		const course = (respondents[e['Course']!] ??= {});
		(course[e['Respondent']!] ??= []).push(
			Number(e['Confidence after (1-5)']) - Number(e['Confidence before (1-5)'])
		);
	}
	const meanChange = Object.fromEntries(
		Object.entries(respondents).map(([course, byPerson]) => {
			const means = Object.values(byPerson).map((c) => c.reduce((s, v) => s + v, 0) / c.length);
			return [course, { n: means.length, mean: means.reduce((s, v) => s + v, 0) / means.length }];
		})
	);
	return {
		confirmed_places: confirmed.length,
		no_shows: confirmed.filter((b) => b['Attendance'] === 'Absent').length,
		cancellations: givenUp.length,
		late_cancellations: givenUp.filter(
			(b) => minutes(b['Session']!) - minutes(b['Cancelled']!) < 48 * 60
		).length,
		unmet_demand: bookings.filter(
			(b) =>
				b['Joined the waiting list'] === 'Yes' &&
				b['Had a confirmed place'] === 'No' &&
				b['Booking status'] !== 'Confirmed' &&
				b['Attendance'] === 'Not marked'
		).length,
		attended: attended.length,
		people: people(attended),
		agencies: Object.keys(byAgency).filter((a) => a !== 'Not recorded').length,
		by_agency: Object.fromEntries(Object.entries(byAgency).map(([a, rows]) => [a, people(rows)])),
		responses: distinct(evaluations.map((e) => e['Respondent']!)),
		meanChange
	};
}

describe('the demo year’s headline figures, recomputed from the exports', () => {
	for (const theme of ['Neglect', 'Multi-agency working']) {
		it(`equal the report’s (${theme})`, async () => {
			const filters = { from: '2025-04-01', to: '2026-03-31', theme };
			const [bookings, registers, evaluations] = [
				await csv('bookings', filters),
				await csv('registers', filters),
				await csv('evaluations', filters)
			];
			const report = await as(api, user(analyst), async (tx) => {
				const [row] = await tx`select public.impact_report(${tx.json(filters as never)}) as r`;
				return row!.r as ImpactReport;
			});
			const again = recompute(bookings, registers, evaluations);
			expect(again.confirmed_places).toBeGreaterThan(100);
			expect(again).toMatchObject({
				confirmed_places: report.reach.confirmed_places,
				no_shows: report.attendance.no_shows,
				cancellations: report.attendance.cancellations,
				late_cancellations: report.attendance.late_cancellations,
				unmet_demand: report.attendance.unmet_demand,
				attended: report.attendance.attended,
				people: report.reach.people,
				agencies: report.reach.agencies,
				responses: report.learning.responses
			});
			expect(again.by_agency).toEqual(
				Object.fromEntries(
					report.reach.by_agency.filter((a) => a.people > 0).map((a) => [a.agency, a.people])
				)
			);
			const gains = learningGain(report);
			expect(Object.keys(again.meanChange).sort()).toEqual(gains.map((g) => g.title).sort());
			for (const g of gains) {
				expect(again.meanChange[g.title]!.n).toBe(g.summary.n);
				expect(again.meanChange[g.title]!.mean).toBeCloseTo(g.summary.meanChange!, 9);
			}
		});
	}
});
