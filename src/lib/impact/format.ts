export const whole = (n: number | null | undefined) =>
	n === null || n === undefined ? '–' : n.toLocaleString('en-GB');
/** A count or a number of hours: "1,234", "292.5" (at most one decimal place). */
export const figure = (n: number | null | undefined) =>
	n === null || n === undefined ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
export const oneDp = (n: number | null | undefined) =>
	n === null || n === undefined ? '–' : n.toFixed(1);
export const twoDp = (n: number | null | undefined) =>
	n === null || n === undefined ? '–' : n.toFixed(2);
export const signed = (n: number | null | undefined) =>
	n === null || n === undefined
		? '–'
		: `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(2)}`;
export const share = (part: number, whole: number) =>
	whole ? `${Math.round((part / whole) * 100)}%` : '–';
/** A share as a percentage to one decimal place: "11.4%"; '–' of nothing. */
export const percentOneDp = (part: number, whole: number) =>
	whole ? `${((part / whole) * 100).toFixed(1)}%` : '–';
export const pct = (fraction: number | null | undefined) =>
	fraction === null || fraction === undefined ? '–' : `${Math.round(fraction * 100)}%`;

const monthFormat = new Intl.DateTimeFormat('en-GB', {
	month: 'short',
	year: 'numeric',
	timeZone: 'UTC'
});
export const monthLabel = (yyyyMm: string) =>
	monthFormat.format(new Date(`${yyyyMm}-01T00:00:00Z`));

export const SECTOR_LABELS: Record<string, string> = {
	local_authority: 'Local authority',
	police: 'Police',
	health: 'Health',
	education: 'Education',
	probation_and_justice: 'Probation and justice',
	fire_and_rescue: 'Fire and rescue',
	faith: 'Faith',
	voluntary: 'Voluntary and community',
	other: 'Other',
	not_recorded: 'Not recorded'
};
export const sectorLabel = (s: string | null) => SECTOR_LABELS[s ?? 'not_recorded'] ?? s ?? '';
