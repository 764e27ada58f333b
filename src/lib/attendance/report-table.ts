import Papa from 'papaparse';
import { dateOrder, readStamp, toInstant, ukDay, type DateOrder } from './report-times';

/** A file that cannot be used, with what is wrong in words a trainer can act on. */
export class ReportError extends Error {
	override name = 'ReportError';
}

/** A line of a report that could not be read, and why. */
export interface Problem {
	line: number;
	reason: string;
}

/** The earlier of two times, either of which may be unknown. */
export function earliest(a: number | null, b: number | null) {
	return a === null ? b : b === null ? a : Math.min(a, b);
}

/** The later of two times, either of which may be unknown. */
export function latest(a: number | null, b: number | null) {
	return a === null ? b : b === null ? a : Math.max(a, b);
}

export function clean(cell: string | undefined) {
	return (cell ?? '').replace(/^\uFEFF/, '').trim();
}

/** One line's cells, or why they cannot be read (an unclosed quote). */
export function splitLine(line: string, delimiter: string) {
	const parsed = Papa.parse<string[]>(line, { delimiter });
	const broken = parsed.errors.find((e) => e.type === 'Quotes');
	return { cells: parsed.data[0] ?? [], broken: broken ? 'a quote is not closed' : null };
}

/**
 * The attendee table's lines after its header, each with its line number in the file. The
 * table ends at a blank line or at Teams' next numbered section ("3. In-Meeting Activities").
 */
export function tableRows(lines: string[], header: { index: number; delimiter: string }) {
	const rows: { line: number; cells: string[]; broken: string | null }[] = [];
	for (let i = header.index + 1; i < lines.length; i++) {
		const text = lines[i]!;
		if (text.trim() === '' || /^\d+\.\s+\S/.test(text.trim())) break;
		rows.push({ line: i + 1, ...splitLine(text, header.delimiter) });
	}
	return rows;
}

/** Refuses the whole file when any line could not be read, naming the lines. */
export function refuseDamage(problems: Problem[]) {
	if (problems.length === 0) return;
	const listed = problems
		.slice(0, 3)
		.map((p) => `line ${p.line}: ${p.reason}`)
		.join('; ');
	const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
	const what =
		problems.length === 1
			? `Line ${problems[0]!.line} could not be read: ${problems[0]!.reason}.`
			: `${problems.length} lines could not be read — ${listed}${more}.`;
	throw new ReportError(
		`${what} Nothing has been imported, so nobody on those lines is marked absent by mistake: download the report again (or correct the line) and choose the file again.`
	);
}

/**
 * The meeting's own details above the attendee table: Teams' summary ("Meeting title",
 * "Start time", "Meeting Start Time"…) as name–value lines, or Zoom's meeting table
 * (Topic, Start Time, End Time, User Email) as a header and one row.
 */
export function meetingBlock(lines: string[], delimiter: string) {
	const block = {
		title: null as string | null,
		start: null as string | null,
		end: null as string | null,
		hostEmail: null as string | null
	};
	for (let i = 0; i < lines.length; i++) {
		const cells = splitLine(lines[i]!, delimiter).cells.map(clean);
		const names = cells.map((c) => c.toLowerCase());
		if (names.includes('topic') && names.includes('start time')) {
			const values = splitLine(lines[i + 1] ?? '', delimiter).cells.map(clean);
			const value = (name: string) => values[names.indexOf(name)] || null;
			block.title = value('topic');
			block.start = value('start time');
			block.end = value('end time');
			const host = value('user email')?.toLowerCase() ?? null;
			block.hostEmail = host && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(host) ? host : null;
			i++;
			continue;
		}
		if (cells.length < 2 || !cells[1]) continue;
		if (/^(meeting title|title|meeting name)$/.test(names[0]!)) block.title = cells[1];
		else if (/^(meeting start time|start time|meeting start)$/.test(names[0]!))
			block.start = cells[1];
		else if (/^(meeting end time|end time|meeting end)$/.test(names[0]!)) block.end = cells[1];
	}
	return block;
}

/**
 * Reads a file's timestamps in one day–month order, worked out from all of them; when
 * they cannot settle it, the order that puts the meeting on the session's day.
 */
export function timeReader(raw: (string | null)[], options: { sessionStart?: number }) {
	const stamps = raw.flatMap((r) => {
		const stamp = r ? readStamp(r) : null;
		return stamp ? [stamp] : [];
	});
	const decided = dateOrder(stamps);
	let order: DateOrder = decided.order;
	if (!decided.certain && options.sessionStart !== undefined && stamps.length) {
		const day = ukDay(options.sessionStart);
		const fits = (['dmy', 'mdy'] as const).find((o) => {
			const first = toInstant(stamps[0]!, o);
			return first !== null && ukDay(first) === day;
		});
		if (fits) order = fits;
	}
	return {
		order,
		read(text: string | null) {
			if (!text) return null;
			const stamp = readStamp(text);
			return stamp ? toInstant(stamp, order) : null;
		}
	};
}
