import Papa from 'papaparse';
import {
	clean,
	earliest,
	latest,
	meetingBlock,
	refuseDamage,
	ReportError,
	tableRows,
	timeReader,
	type Problem
} from './report-table';

export { ReportError } from './report-table';
import { findLegacyHeader, readLegacyList } from './report-legacy';

/** One attendee of a Teams or Zoom report (rejoins by the same email are added up). */
export interface ReportRow {
	/** line number in the file, for messages */
	line: number;
	name: string;
	/** trimmed, lower case; null when the report has none (guests) */
	email: string | null;
	minutes: number;
	/** Organizer / Presenter / Attendee when the report says */
	role: string | null;
	/** first join and last leave (ms since 1970) when the report has them */
	firstJoin: number | null;
	/** null when the report has no leave time, or they were still in the meeting at its end */
	lastLeave: number | null;
	/** a Zoom row for time spent only in the waiting room */
	waitingRoom: boolean;
}

/** What the report says about the meeting itself, for checking it against the session. */
export interface ReportMeeting {
	title: string | null;
	start: number | null;
	end: number | null;
	/** the Zoom account that hosted it */
	hostEmail: string | null;
}

export interface AttendanceReport {
	source: 'Microsoft Teams' | 'Microsoft Teams attendance list' | 'Zoom' | 'CSV';
	rows: ReportRow[];
	meeting: ReportMeeting;
}

export interface ReadOptions {
	/** the session's start: settles day and month order when the file's own dates cannot */
	sessionStart?: number;
}

export const MAX_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 20_000;

const NAME =
	/^(full name|name|name \(original name\)|participant|participant name|attendee|display name)$/;
const EMAIL = /^(email|e-mail|email address|e-mail address|user email|attendee email)$/;
const UPN = /^participant id \(upn\)$|^upn$/;
const DURATION =
	/^(in-meeting duration|duration|duration \(minutes\)|attendance duration|time in session( \(minutes\))?|total duration( \(minutes\))?)$/;
const ROLE = /^role$/;
const JOIN = /^(first join|first join time|join time|joined|join)$/;
const LEAVE = /^(last leave|last leave time|leave time|left|leave)$/;
const WAITING = /^in waiting room$/;

/**
 * Reads a Teams or Zoom attendance report: UTF-8 (with or without a byte-order mark) or
 * UTF-16 as Teams writes it; commas, semicolons or tabs; a summary block above the table;
 * Windows line endings; columns in any order, unknown ones ignored; and the older Teams
 * attendance list (Full Name, User Action, Timestamp). A file with any line it cannot read
 * is refused whole, naming the line: importing the rest would make the person on that line
 * a no-show. Throws ReportError for anything it cannot use.
 */
export function parseAttendanceReport(
	bytes: Uint8Array,
	options: ReadOptions = {}
): AttendanceReport {
	if (bytes.length === 0) throw new ReportError('The file is empty.');
	if (bytes.length > MAX_BYTES) {
		throw new ReportError(
			`The file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; an attendance report is at most ${MAX_BYTES / 1024 / 1024} MB. Check it is the right file.`
		);
	}
	const text = decode(bytes);
	const lines = text.split(/\r\n|\n|\r/);
	const legacy = findLegacyHeader(lines);
	if (legacy) return readLegacyList(lines, legacy, options);
	const header = findHeader(lines);
	if (!header) {
		throw new ReportError(
			'Could not find the list of attendees: the file needs a header row with a name column and an email column (as in the Teams or Zoom attendance report). ' +
				`The first line is “${lines[0]!.slice(0, 80)}”.`
		);
	}
	const table = tableRows(lines, header);
	if (table.length > MAX_ROWS) {
		throw new ReportError(
			`The report has ${table.length.toLocaleString('en-GB')} rows; at most ${MAX_ROWS.toLocaleString('en-GB')} can be imported at once.`
		);
	}
	const { columns } = header;
	const problems: Problem[] = [];
	const meetingStamps = meetingBlock(lines.slice(0, header.index), header.delimiter);
	const rowStamps = table.map(({ cells }) => ({
		join: columns.join === -1 ? null : clean(cells[columns.join]) || null,
		leave: columns.leave === -1 ? null : clean(cells[columns.leave]) || null
	}));
	const times = timeReader(
		[meetingStamps.start, meetingStamps.end, ...rowStamps.flatMap((r) => [r.join, r.leave])],
		options
	);
	const byKey = new Map<string, ReportRow>();
	table.forEach(({ line, cells, broken }, i) => {
		if (broken) return problems.push({ line, reason: broken });
		if (cells.every((c) => !clean(c))) return;
		const needed = Math.max(columns.name, columns.email, columns.duration) + 1;
		if (cells.length < needed) {
			return problems.push({
				line,
				reason: `it has ${cells.length} of the ${header.width} columns`
			});
		}
		if (cells.length > header.width && cells.slice(header.width).some((c) => clean(c))) {
			return problems.push({
				line,
				reason: `it has ${cells.length} cells but the header has ${header.width} (a stray separator or quote)`
			});
		}
		const name = clean(cells[columns.name]);
		const rawEmail = clean(columns.email === -1 ? '' : cells[columns.email]).toLowerCase();
		const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(rawEmail) ? rawEmail : null;
		const minutes = parseMinutes(clean(cells[columns.duration]), columns.durationInMinutes);
		if (!name && !email) return problems.push({ line, reason: 'it has no name or email' });
		if (minutes === null) {
			return problems.push({
				line,
				reason: `the duration “${clean(cells[columns.duration]).slice(0, 30)}” is not a length of time`
			});
		}
		const join = times.read(rowStamps[i]!.join);
		const leave = times.read(rowStamps[i]!.leave);
		for (const [label, raw, value] of [
			['join', rowStamps[i]!.join, join],
			['leave', rowStamps[i]!.leave, leave]
		] as const) {
			if (raw && value === null) {
				return problems.push({
					line,
					reason: `the ${label} time “${raw.slice(0, 30)}” is not a date and time`
				});
			}
		}
		const waitingRoom = columns.waiting !== -1 && /^yes$/i.test(clean(cells[columns.waiting]));
		// time in Zoom's waiting room is not time in the session: kept apart, never added up
		const key = (waitingRoom ? 'waiting:' : '') + (email ?? `name:${name.toLowerCase()}`);
		const seen = byKey.get(key);
		if (seen) {
			seen.minutes += minutes;
			seen.firstJoin = earliest(seen.firstJoin, join);
			seen.lastLeave = latest(seen.lastLeave, leave);
		} else {
			byKey.set(key, {
				line,
				name: name.replace(/\s+\(.*\)$/, '') || email!,
				email,
				minutes,
				role: columns.role === -1 ? null : clean(cells[columns.role]) || null,
				firstJoin: join,
				lastLeave: leave,
				waitingRoom
			});
		}
	});
	refuseDamage(problems);
	if (byKey.size === 0) {
		throw new ReportError('The attendee table has no rows with a name or email and a duration.');
	}
	return {
		source: sourceOf(text),
		rows: [...byKey.values()],
		meeting: {
			title: meetingStamps.title,
			start: times.read(meetingStamps.start),
			end: times.read(meetingStamps.end),
			hostEmail: meetingStamps.hostEmail
		}
	};
}

export async function readAttendanceReport(file: Blob, options: ReadOptions = {}) {
	if (file.size > MAX_BYTES) {
		throw new ReportError(
			`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; an attendance report is at most ${MAX_BYTES / 1024 / 1024} MB. Check it is the right file.`
		);
	}
	return parseAttendanceReport(new Uint8Array(await file.arrayBuffer()), options);
}

function decode(bytes: Uint8Array) {
	const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
	if (starts(0x50, 0x4b, 0x03, 0x04)) {
		throw new ReportError(
			'This is an Excel workbook (.xlsx), not a CSV file. Download the attendance report as CSV, or in Excel choose Save As › CSV UTF-8.'
		);
	}
	if (starts(0x25, 0x50, 0x44, 0x46)) {
		throw new ReportError('This is a PDF, not a CSV file. Download the attendance report as CSV.');
	}
	let text: string;
	if (starts(0xff, 0xfe)) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
	else if (starts(0xfe, 0xff)) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
	else if (bytes.length > 3 && bytes[1] === 0 && bytes[3] === 0)
		text = new TextDecoder('utf-16le').decode(bytes);
	else text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
	const sample = text.slice(0, 4000);
	let odd = 0;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		// control characters other than tab and line breaks, and undecodable bytes
		if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) odd++;
	}
	if (odd > sample.length / 100) {
		throw new ReportError(
			'This file is not text: it may be a spreadsheet or an image. Choose the attendance report saved as CSV.'
		);
	}
	return text;
}

interface Header {
	index: number;
	delimiter: string;
	/** how many columns the header names */
	width: number;
	columns: {
		name: number;
		email: number;
		duration: number;
		durationInMinutes: boolean;
		role: number;
		join: number;
		leave: number;
		waiting: number;
	};
}

function findHeader(lines: string[]): Header | null {
	for (let index = 0; index < Math.min(lines.length, 200); index++) {
		for (const delimiter of ['\t', ';', ',']) {
			const cells = Papa.parse<string[]>(lines[index]!, { delimiter }).data[0] ?? [];
			if (cells.length < 2) continue;
			const names = cells.map((c) => clean(c).toLowerCase());
			const name = names.findIndex((c) => NAME.test(c));
			const email = names.findIndex((c) => EMAIL.test(c));
			const upn = names.findIndex((c) => UPN.test(c));
			const duration = names.findIndex((c) => DURATION.test(c));
			if (name === -1 || (email === -1 && upn === -1)) continue;
			if (duration === -1) {
				throw new ReportError(
					`The attendee table (line ${index + 1}) has no duration column, so time attended cannot be worked out. Expected a column such as “In-Meeting Duration” (Teams) or “Duration (Minutes)” (Zoom).`
				);
			}
			return {
				index,
				delimiter,
				width: cells.length,
				columns: {
					name,
					email: email === -1 ? upn : email,
					duration,
					durationInMinutes: /minutes/.test(names[duration]!),
					role: names.findIndex((c) => ROLE.test(c)),
					join: names.findIndex((c) => JOIN.test(c)),
					leave: names.findIndex((c) => LEAVE.test(c)),
					waiting: names.findIndex((c) => WAITING.test(c))
				}
			};
		}
	}
	return null;
}

/** "1h 5m 28s", "58m", "45s", "01:05:28", "65" (minutes where the column says so). */
export function parseMinutes(text: string, inMinutes: boolean): number | null {
	if (!text) return null;
	if (/^\d+([.,]\d+)?$/.test(text)) {
		const n = Number(text.replace(',', '.'));
		return inMinutes ? n : n / 60;
	}
	const clock = /^(\d{1,3}):(\d{2})(?::(\d{2}))?$/.exec(text);
	if (clock) {
		const [, a, b, c] = clock;
		return c === undefined
			? Number(a) + Number(b) / 60
			: Number(a) * 60 + Number(b) + Number(c) / 60;
	}
	const parts =
		/^(?:(\d+)\s*h(?:r|rs|ours?)?)?\s*(?:(\d+)\s*m(?:in|ins|inutes?)?)?\s*(?:(\d+)\s*s(?:ec|ecs|econds?)?)?$/i.exec(
			text
		);
	if (parts && (parts[1] || parts[2] || parts[3])) {
		return Number(parts[1] ?? 0) * 60 + Number(parts[2] ?? 0) + Number(parts[3] ?? 0) / 60;
	}
	return null;
}

function sourceOf(text: string): AttendanceReport['source'] {
	if (/Participant ID \(UPN\)|In-Meeting Duration|Meeting Summary/.test(text))
		return 'Microsoft Teams';
	if (/Name \(Original Name\)|User Email/.test(text)) return 'Zoom';
	return 'CSV';
}
