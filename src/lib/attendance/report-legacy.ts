import type { AttendanceReport, ReadOptions, ReportRow } from './attendance-report';
import {
	clean,
	refuseDamage,
	ReportError,
	splitLine,
	tableRows,
	timeReader,
	type Problem
} from './report-table';

/**
 * The older Teams attendance list ("meetingAttendanceList.csv"): one line per join or
 * leave — Full Name, User Action (Joined, Joined before, Left), Timestamp — and no email.
 * Each person's time is added up from their joins and leaves; someone still in the meeting
 * when the list was downloaded has no leave time, and counts to the list's last time.
 */
export function findLegacyHeader(lines: string[]) {
	for (let index = 0; index < Math.min(lines.length, 50); index++) {
		for (const delimiter of ['\t', ',', ';']) {
			const names = splitLine(lines[index]!, delimiter).cells.map((c) => clean(c).toLowerCase());
			const name = names.indexOf('full name');
			const action = names.indexOf('user action');
			const time = names.indexOf('timestamp');
			if (name !== -1 && action !== -1 && time !== -1) {
				return { index, delimiter, name, action, time };
			}
		}
	}
	return null;
}

type LegacyHeader = NonNullable<ReturnType<typeof findLegacyHeader>>;

export function readLegacyList(
	lines: string[],
	header: LegacyHeader,
	options: ReadOptions
): AttendanceReport {
	const table = tableRows(lines, header);
	const times = timeReader(
		table.map((r) => clean(r.cells[header.time]) || null),
		options
	);
	const problems: Problem[] = [];
	const actions: { line: number; name: string; kind: 'join' | 'leave'; at: number }[] = [];
	for (const { line, cells, broken } of table) {
		if (broken) {
			problems.push({ line, reason: broken });
			continue;
		}
		if (cells.every((c) => !clean(c))) continue;
		const name = clean(cells[header.name]);
		const action = clean(cells[header.action]).toLowerCase();
		const raw = clean(cells[header.time]);
		const at = times.read(raw || null);
		if (!name) problems.push({ line, reason: 'it has no name' });
		else if (!/^(joined|joined before|left)$/.test(action)) {
			problems.push({
				line,
				reason: `the action “${action.slice(0, 30)}” is not Joined, Joined before or Left`
			});
		} else if (at === null) {
			problems.push({ line, reason: `the time “${raw.slice(0, 30)}” is not a date and time` });
		} else actions.push({ line, name, kind: action === 'left' ? 'leave' : 'join', at });
	}
	refuseDamage(problems);
	if (actions.length === 0) {
		throw new ReportError('The attendance list has no joins or leaves.');
	}
	const first = Math.min(...actions.map((a) => a.at));
	const last = Math.max(...actions.map((a) => a.at));
	const people = new Map<string, ReportRow & { since: number | null }>();
	for (const a of actions.toSorted((x, y) => x.at - y.at || x.line - y.line)) {
		const key = a.name.toLowerCase();
		let person = people.get(key);
		if (!person) {
			person = {
				line: a.line,
				name: a.name,
				email: null,
				minutes: 0,
				role: null,
				// a leave with no join before it: they were there when the list began
				firstJoin: a.kind === 'join' ? a.at : first,
				lastLeave: null,
				waitingRoom: false,
				since: a.kind === 'join' ? a.at : first
			};
			people.set(key, person);
		}
		if (a.kind === 'join') person.since ??= a.at;
		else {
			if (person.since !== null) person.minutes += (a.at - person.since) / 60_000;
			person.since = null;
			person.lastLeave = a.at;
		}
	}
	const rows = [...people.values()].map(({ since, ...row }) => {
		if (since === null) return row;
		// still in the meeting when the list was downloaded
		return { ...row, minutes: row.minutes + (last - since) / 60_000, lastLeave: null };
	});
	return {
		source: 'Microsoft Teams attendance list',
		rows,
		meeting: { title: null, start: first, end: null, hostEmail: null }
	};
}
