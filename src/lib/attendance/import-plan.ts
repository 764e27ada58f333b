import type { AttendanceStatus } from '$lib/data';
import type { AttendanceReport, ReportRow } from './attendance-report';
import type { RegisterLine } from './register-state';

export const DEFAULT_SHARE = 75;

export interface PlannedMark {
	line: RegisterLine;
	row: ReportRow;
	status: AttendanceStatus;
	/** false when the register already says this: importing again changes nothing */
	change: boolean;
}

export interface ImportPlan {
	marks: PlannedMark[];
	/** attendees the report lists who are not on the register: match by hand or add as walk-ins */
	unmatched: ReportRow[];
	/** the meeting's organisers and presenters */
	hosts: ReportRow[];
}

/** Present when they stayed at least `sharePercent` of the session, otherwise left early. */
export function statusFor(minutes: number, sessionMinutes: number, sharePercent: number) {
	return minutes >= (sessionMinutes * sharePercent) / 100 ? 'present' : 'left_early';
}

/**
 * Matches report rows to the register by email (trimmed, any case) and works out each
 * attendee's mark. `manual` holds the trainer's own matches: report line → register line key.
 */
export function planImport(
	report: AttendanceReport,
	lines: RegisterLine[],
	sessionMinutes: number,
	sharePercent: number,
	manual: ReadonlyMap<number, string> = new Map()
): ImportPlan {
	const byEmail = new Map(
		lines.filter((l) => l.email).map((l) => [l.email!.trim().toLowerCase(), l])
	);
	const byKey = new Map(lines.map((l) => [l.key, l]));
	const plan: ImportPlan = { marks: [], unmatched: [], hosts: [] };
	const planned = new Map<string, PlannedMark>();
	for (const row of report.rows) {
		if (row.role && /organi[sz]er|presenter|host|co-host/i.test(row.role)) {
			plan.hosts.push(row);
			continue;
		}
		const manualKey = manual.get(row.line);
		const line = (manualKey && byKey.get(manualKey)) || (row.email && byEmail.get(row.email));
		if (!line) {
			plan.unmatched.push(row);
			continue;
		}
		const previous = planned.get(line.key);
		const minutes = row.minutes + (previous?.row.minutes ?? 0);
		const status = statusFor(minutes, sessionMinutes, sharePercent);
		const mark: PlannedMark = {
			line,
			row: previous ? { ...row, minutes } : row,
			status,
			change: line.status !== status || line.conflict
		};
		planned.set(line.key, mark);
	}
	plan.marks = [...planned.values()];
	return plan;
}

/** A UUID derived from its parts, so the same import gives the same ids (SHA-256 based). */
export async function stableId(...parts: string[]) {
	const hash = new Uint8Array(
		await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u001f')))
	);
	hash[6] = (hash[6]! & 0x0f) | 0x80; // version 8: custom
	hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
	const hex = [...hash.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
