import type { AttendanceStatus } from '$lib/data';
import type { AttendanceReport, ReportRow } from './attendance-report';
import { foldName, leftOutReason, type SessionPeople } from './report-people';
import { earliest, latest } from './report-table';
import type { RegisterLine } from './register-state';

/** How a report's times become marks; the trainer can change each before applying. */
export interface ImportRules {
	/** present needs at least this share of the time (of the session, or between their join and leave) */
	sharePercent: number;
	/** late: joined more than this many minutes after the start */
	lateMinutes: number;
	/** left early: left more than this many minutes before the end */
	earlyMinutes: number;
}

export const DEFAULT_RULES: ImportRules = { sharePercent: 75, lateMinutes: 10, earlyMinutes: 10 };

export interface ImportSession extends SessionPeople {
	starts_at: string;
	ends_at: string;
}

/** What the times say: late, left early, or both (marked left early, shown as both). */
export type Timing = 'late' | 'early' | 'both' | null;

export interface PlannedMark {
	line: RegisterLine;
	row: ReportRow;
	status: AttendanceStatus;
	timing: Timing;
	/** email: certain; name: the same name, for the trainer to check; hand: the trainer chose */
	matchedBy: 'email' | 'name' | 'hand';
	/** false when the register already says this: importing again changes nothing */
	change: boolean;
}

export interface ImportPlan {
	marks: PlannedMark[];
	/** people the report lists who are not on the register: match by hand or add as walk-ins */
	unmatched: ReportRow[];
	/** never suggested as walk-ins: organisers, the session's trainers, dial-ins, devices, the waiting room */
	leftOut: { row: ReportRow; reason: string }[];
}

/**
 * The mark for one person's time. With join and leave times: late when they joined more
 * than `lateMinutes` after the start, left early when they left more than `earlyMinutes`
 * before the end or were away for more than the rest of the share between joining and
 * leaving; both is marked left early. Without times, by the share of the session alone.
 */
export function statusFor(
	row: Pick<ReportRow, 'minutes' | 'firstJoin' | 'lastLeave'>,
	session: { starts_at: string; ends_at: string },
	rules: ImportRules
): { status: AttendanceStatus; timing: Timing } {
	const start = Date.parse(session.starts_at);
	const end = Date.parse(session.ends_at);
	const share = rules.sharePercent / 100;
	if (row.firstJoin === null) {
		const enough = row.minutes >= ((end - start) / 60_000) * share;
		return enough ? { status: 'present', timing: null } : { status: 'left_early', timing: 'early' };
	}
	const late = row.firstJoin > start + rules.lateMinutes * 60_000;
	let early = row.lastLeave !== null && row.lastLeave < end - rules.earlyMinutes * 60_000;
	if (row.lastLeave !== null) {
		const span = (Math.min(row.lastLeave, end) - Math.max(row.firstJoin, start)) / 60_000;
		if (span > 0 && row.minutes < span * share) early = true;
	}
	if (late && early) return { status: 'left_early', timing: 'both' };
	if (early) return { status: 'left_early', timing: 'early' };
	if (late) return { status: 'late', timing: 'late' };
	return { status: 'present', timing: null };
}

/**
 * Matches report rows to the register: the trainer's own choice first (`manual`: report
 * line → register line key), then by email (trimmed, any case), then by
 * name when exactly one person on the register has it (case, accents and "Surname, First"
 * order aside). Organisers, the session's trainers, dial-ins, devices and waiting-room rows
 * are left out, never offered as walk-ins.
 */
export function planImport(
	report: AttendanceReport,
	lines: RegisterLine[],
	session: ImportSession,
	rules: ImportRules,
	manual: ReadonlyMap<number, string> = new Map()
): ImportPlan {
	const byEmail = new Map(
		lines.filter((l) => l.email).map((l) => [l.email!.trim().toLowerCase(), l])
	);
	const byKey = new Map(lines.map((l) => [l.key, l]));
	const byName = new Map<string, RegisterLine[]>();
	for (const l of lines) {
		const key = foldName(l.full_name);
		byName.set(key, [...(byName.get(key) ?? []), l]);
	}
	const plan: ImportPlan = { marks: [], unmatched: [], leftOut: [] };
	const planned = new Map<string, PlannedMark>();
	const place = (line: RegisterLine, row: ReportRow, matchedBy: PlannedMark['matchedBy']) => {
		const previous = planned.get(line.key);
		const merged = previous ? mergeRows(previous.row, row) : row;
		const { status, timing } = statusFor(merged, session, rules);
		planned.set(line.key, {
			line,
			row: merged,
			status,
			timing,
			matchedBy: previous?.matchedBy === 'hand' ? 'hand' : matchedBy,
			change: line.status !== status || line.conflict
		});
	};
	const byNameLater: ReportRow[] = [];
	for (const row of report.rows) {
		const chosen = manual.get(row.line) && byKey.get(manual.get(row.line)!);
		if (chosen) {
			place(chosen, row, 'hand');
			continue;
		}
		const reason = leftOutReason(row, report.meeting, session);
		if (reason) {
			plan.leftOut.push({ row, reason });
			continue;
		}
		const line = row.email ? byEmail.get(row.email) : undefined;
		if (line) place(line, row, 'email');
		else byNameLater.push(row);
	}
	// by name only among those no email matched, and only when the name is one person's
	for (const row of byNameLater) {
		const candidates = (byName.get(foldName(row.name)) ?? []).filter(
			(l) => !planned.has(l.key) || planned.get(l.key)!.matchedBy === 'name'
		);
		if (candidates.length === 1 && !row.waitingRoom) place(candidates[0]!, row, 'name');
		else plan.unmatched.push(row);
	}
	plan.marks = [...planned.values()];
	return plan;
}

/** Two rows for one person: time added up; still in the meeting at the end if either was. */
function mergeRows(a: ReportRow, b: ReportRow): ReportRow {
	return {
		...a,
		minutes: a.minutes + b.minutes,
		firstJoin: earliest(a.firstJoin, b.firstJoin),
		lastLeave:
			a.lastLeave === null || b.lastLeave === null ? null : latest(a.lastLeave, b.lastLeave)
	};
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
