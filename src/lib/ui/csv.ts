import Papa from 'papaparse';

/**
 * A CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line endings,
 * dates and times in UK format, and cells that would start a formula (=, +, -, @, tab,
 * carriage return) prefixed with an apostrophe so a spreadsheet shows them as text.
 */
export function toCsv(rows: Record<string, unknown>[], columns: { key: string; label: string }[]) {
	const data = rows.map((row) => columns.map((c) => cell(row[c.key])));
	return (
		'\uFEFF' +
		Papa.unparse({ fields: columns.map((c) => c.label), data }, { newline: '\r\n', quotes: false })
	);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const uk = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

export function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'boolean') return value ? 'Yes' : 'No';
	if (typeof value === 'number') return String(value);
	const text = String(value);
	if (ISO.test(text) && !Number.isNaN(Date.parse(text)))
		return uk.format(new Date(text)).replace(',', '');
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
