import { comparison, type Comparison } from './comparison';
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
	/** "agency": an admin who also leads an agency reports on their agency's staff only */
	scope: '' | 'agency';
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
	'sector',
	'scope'
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
		sector: get('sector'),
		scope: get('scope') === 'agency' ? 'agency' : ''
	};
}

export function toParams(choice: FilterChoice) {
	const params = new URLSearchParams();
	for (const key of KEYS) if (choice[key]) params.set(key, choice[key]);
	return params;
}

/**
 * The period (as reported: "so far" while it runs), the one it is compared with, and the
 * report's filters; or the error to show on the form.
 */
export function resolveChoice(
	choice: FilterChoice,
	today: Date = new Date()
): ({ period: Period; filters: ImpactFilters } & Comparison) | { error: string; field: string } {
	let chosen: Period | { error: string; field: string };
	if (choice.period === 'custom') chosen = customPeriod(choice.from, choice.to);
	else if (choice.period === 'quarter')
		chosen = quarter(Number(choice.year), Number(choice.quarter) as 1 | 2 | 3 | 4);
	else chosen = financialYear(Number(choice.year));
	if ('error' in chosen) return chosen;
	const compared = comparison(chosen, choice.period, today);
	const filters: ImpactFilters = {
		from: compared.current.from,
		to: compared.current.to,
		previous_from: compared.previous.from,
		previous_to: compared.previous.to
	};
	for (const key of ['course_id', 'theme', 'format', 'agency_id', 'sector'] as const) {
		if (choice[key]) filters[key] = choice[key];
	}
	if (choice.scope === 'agency') filters.scope = 'agency';
	return { period: compared.current, filters, ...compared };
}
