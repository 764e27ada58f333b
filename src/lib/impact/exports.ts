import { statusLabel } from '$lib/attendance/register-state';
import { formatLabel } from '$lib/brochure/format';
import type { AttendanceStatus, BookingStatus, CourseFormat } from '$lib/data';
import { toCsv } from '$lib/ui/csv';
import { monthLabel, sectorLabel } from './format';

export type ExportKind = 'bookings' | 'registers' | 'evaluations';
type Row = Record<string, unknown>;
interface Column {
	key: string;
	label: string;
	/** the words people read for the code the server sends */
	text?: (value: unknown) => unknown;
}

/** What the anonymised export says where a figure would describe fewer than five people. */
export const NOT_SHOWN = 'Not shown (fewer than 5)';

const BOOKING_STATUS: Record<BookingStatus, string> = {
	requested: 'Requested',
	confirmed: 'Confirmed',
	waitlisted: 'On the waiting list',
	offered: 'Offered a place',
	cancelled: 'Cancelled',
	declined: 'Declined the offer'
};

const attendance = (v: unknown) =>
	v === 'not_marked' || v === null || v === undefined
		? 'Not marked'
		: statusLabel(v as AttendanceStatus);
const sector = (v: unknown) => (v === 'not_shown' ? NOT_SHOWN : sectorLabel(v as string | null));

export const EXPORT_COLUMNS: Record<ExportKind, Column[]> = {
	bookings: [
		{ key: 'course', label: 'Course' },
		{ key: 'format', label: 'Format', text: (v) => formatLabel(v as CourseFormat) ?? v },
		{ key: 'session_starts', label: 'Session' },
		{ key: 'name', label: 'Name' },
		{ key: 'email', label: 'Email' },
		{ key: 'agency', label: 'Agency' },
		{ key: 'sector', label: 'Sector', text: sector },
		{
			key: 'status',
			label: 'Booking status',
			text: (v) => BOOKING_STATUS[v as BookingStatus] ?? v
		},
		{ key: 'booked_at', label: 'Booked' },
		{ key: 'joined_waiting_list', label: 'Joined the waiting list' },
		{ key: 'had_place', label: 'Had a confirmed place' },
		{ key: 'cancelled_at', label: 'Cancelled' },
		{ key: 'late_cancellation', label: 'Cancelled within 48 hours' },
		{ key: 'attendance', label: 'Attendance', text: attendance }
	],
	registers: [
		{ key: 'course', label: 'Course' },
		{ key: 'session_starts', label: 'Session' },
		{ key: 'name', label: 'Name' },
		{ key: 'email', label: 'Email' },
		{ key: 'agency', label: 'Agency' },
		{ key: 'sector', label: 'Sector', text: sector },
		{ key: 'booked', label: 'Booked or walk-in', text: (v) => (v ? 'Booked' : 'Walk-in') },
		{ key: 'attendance', label: 'Attendance', text: attendance }
	],
	evaluations: [
		{ key: 'respondent', label: 'Respondent' },
		{ key: 'course', label: 'Course' },
		{ key: 'month', label: 'Month', text: (v) => (v ? monthLabel(String(v)) : NOT_SHOWN) },
		{ key: 'sector', label: 'Sector', text: sector },
		{ key: 'outcome', label: 'Learning outcome' },
		{ key: 'before', label: 'Confidence before (1-5)' },
		{ key: 'after', label: 'Confidence after (1-5)' },
		{ key: 'usefulness', label: 'Usefulness (1-5)' },
		{ key: 'practice_change', label: 'How it will inform practice' },
		{ key: 'from_paper', label: 'From a paper form' }
	]
};

/** The rows the server exported, as a CSV people read: labels, not codes. */
export function exportCsv(kind: ExportKind, rows: Row[]) {
	const columns = EXPORT_COLUMNS[kind];
	const labelled = rows.map((row) =>
		Object.fromEntries(columns.map((c) => [c.key, c.text ? c.text(row[c.key]) : row[c.key]]))
	);
	return toCsv(labelled, columns);
}
