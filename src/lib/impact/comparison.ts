import { addDays, addMonths, format, parseISO } from 'date-fns';
import { financialYear, ukDay, type Period } from './period';

/**
 * A period's figures beside the period before it, by the calendar: a financial year beside
 * the previous financial year, a quarter beside the quarter before it, any other dates
 * beside the same dates a year earlier, or as many whole years earlier as they span (never
 * "the same number of days", which drifts a day after a leap year). A period still running is reported "so far", up to today, beside the
 * same part of the period before, so a year barely begun is not "down 100%".
 */
export interface Comparison {
	current: Period;
	previous: Period;
	running: boolean;
}

/** Below this many people in the earlier period no percentage change is given. */
export const COMPARISON_MIN_BASE = 20;

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const shifted = (day: string, months: number) => iso(addMonths(parseISO(day), -months));
/** the last day of a period shifted back: the day before its (exclusive) end, shifted */
const shiftedEnd = (day: string, months: number) =>
	iso(addDays(addMonths(addDays(parseISO(day), 1), -months), -1));

export function comparison(
	period: Period,
	kind: 'year' | 'quarter' | 'custom',
	today: Date = new Date()
): Comparison {
	const todayIso = iso(today);
	const running = period.from <= todayIso && todayIso < period.to;
	const to = running ? todayIso : period.to;
	// dates spanning more than a year go beside as many whole years before, never overlapping
	const days = (parseISO(period.to).getTime() - parseISO(period.from).getTime()) / 86_400_000 + 1;
	const months = kind === 'quarter' ? 3 : 12 * Math.max(1, Math.ceil(days / 366));
	const previous = { from: shifted(period.from, months), to: shiftedEnd(to, months) };
	const current: Period = running
		? {
				from: period.from,
				to,
				label: `${period.label} so far (${ukDay(period.from)} to ${ukDay(to)})`
			}
		: period;
	let previousLabel: string;
	if (running || kind === 'custom') {
		previousLabel = `${ukDay(previous.from)} to ${ukDay(previous.to)}`;
	} else if (kind === 'year') {
		previousLabel = financialYear(Number(previous.from.slice(0, 4))).label;
	} else {
		// the quarter the earlier dates start in: Q1 is April to June
		const month = Number(previous.from.slice(5, 7));
		const year = Number(previous.from.slice(0, 4));
		const start = month >= 4 ? year : year - 1;
		previousLabel = `Q${Math.floor(((month + 8) % 12) / 3) + 1} ${financialYear(start).label}`;
	}
	return { current, previous: { ...previous, label: previousLabel }, running };
}

/** How a count compares with the earlier period's, in words for a headline. */
export function changeOn(
	now: number,
	before: number,
	previousLabel: string,
	unit: [string, string]
): string {
	const count = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? unit[0] : unit[1]}`;
	if (before === 0) return `There are no records for ${previousLabel} to compare with.`;
	if (before < COMPARISON_MIN_BASE)
		return `In ${previousLabel} there ${before === 1 ? 'was' : 'were'} ${count(before)}: too few to give a percentage change.`;
	const change = Math.round(((now - before) / before) * 100);
	if (change === 0) return `That is the same as in ${previousLabel} (${count(before)}).`;
	return `That is ${change > 0 ? 'up' : 'down'} ${Math.abs(change)}% on ${previousLabel} (${count(before)}).`;
}
