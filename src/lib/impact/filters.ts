import { customPeriod, financialYear, financialYearOf, quarter, type Period } from './period';
import type { ImpactFilters } from './report';

/** What the filter form holds; kept in the page address so a report can be shared. */
export interface FilterChoice {
	period: 'year' | 'quarter' | 'custom';
	year: string;
	quarter: string;
	from: string;
	to: string;
	course_id: string;
	theme: string;
	format: string;
	agency_id: string;
	sector: string;
}

const KEYS = [
	'period',
	'year',
	'quarter',
	'from',
	'to',
	'course_id',
	'theme',
	'format',
	'agency_id',
	'sector'
] as const;

export function choiceFrom(params: URLSearchParams, today = new Date()): FilterChoice {
	const lastFullYear = financialYearOf(today) - 1;
	const get = (k: string) => params.get(k) ?? '';
	const period = get('period');
	return {
		period: period === 'quarter' || period === 'custom' ? period : 'year',
		year: /^\d{4}$/.test(get('year')) ? get('year') : String(lastFullYear),
		quarter: /^[1-4]$/.test(get('quarter')) ? get('quarter') : '1',
		from: get('from'),
		to: get('to'),
		course_id: get('course_id'),
		theme: get('theme'),
		format: get('format'),
		agency_id: get('agency_id'),
		sector: get('sector')
	};
}

export function toParams(choice: FilterChoice) {
	const params = new URLSearchParams();
	for (const key of KEYS) if (choice[key]) params.set(key, choice[key]);
	return params;
}

/** The period and the report's filters, or the error to show on the form. */
export function resolveChoice(
	choice: FilterChoice
): { period: Period; filters: ImpactFilters } | { error: string; field: string } {
	let period: Period | { error: string; field: string };
	if (choice.period === 'custom') period = customPeriod(choice.from, choice.to);
	else if (choice.period === 'quarter')
		period = quarter(Number(choice.year), Number(choice.quarter) as 1 | 2 | 3 | 4);
	else period = financialYear(Number(choice.year));
	if ('error' in period) return period;
	const filters: ImpactFilters = { from: period.from, to: period.to };
	for (const key of ['course_id', 'theme', 'format', 'agency_id', 'sector'] as const) {
		if (choice[key]) filters[key] = choice[key];
	}
	return { period, filters };
}
