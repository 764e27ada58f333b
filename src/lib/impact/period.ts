/** Reporting periods: financial years (April to March), their quarters, or any dates. */
export interface Period {
	from: string;
	to: string;
	label: string;
}

/** The financial year a date falls in, by its starting year: 2025 for 2025/26. */
export function financialYearOf(date: Date) {
	return date.getUTCMonth() >= 3 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
}

export function financialYear(start: number): Period {
	return {
		from: `${start}-04-01`,
		to: `${start + 1}-03-31`,
		label: `${start}/${String((start + 1) % 100).padStart(2, '0')}`
	};
}

/** Quarter 1 is April to June. */
export function quarter(start: number, q: 1 | 2 | 3 | 4): Period {
	const months = [
		[`${start}-04-01`, `${start}-06-30`],
		[`${start}-07-01`, `${start}-09-30`],
		[`${start}-10-01`, `${start}-12-31`],
		[`${start + 1}-01-01`, `${start + 1}-03-31`]
	][q - 1]!;
	return { from: months[0]!, to: months[1]!, label: `Q${q} ${financialYear(start).label}` };
}

/** The financial years to offer, newest first: from 2016/17 to the current one. */
export function financialYears(today: Date) {
	const years: Period[] = [];
	for (let y = financialYearOf(today); y >= 2016; y--) years.push(financialYear(y));
	return years;
}

/** A custom period, checked: real dates, from before to, at most ten years. */
export function customPeriod(from: string, to: string): Period | { error: string; field: string } {
	const valid = (d: string) =>
		/^\d{4}-\d{2}-\d{2}$/.test(d) &&
		!Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
		new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
	if (!valid(from)) return { error: 'Enter a real start date', field: 'period-from' };
	if (!valid(to)) return { error: 'Enter a real end date', field: 'period-to' };
	if (to < from)
		return { error: 'The end date must be on or after the start date', field: 'period-to' };
	if (Date.parse(to) - Date.parse(from) > 3653 * 86_400_000)
		return { error: 'A report covers at most ten years', field: 'period-to' };
	return { from, to, label: `${ukDay(from)} to ${ukDay(to)}` };
}

export function ukDay(iso: string) {
	return new Intl.DateTimeFormat('en-GB', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${iso}T00:00:00Z`));
}
