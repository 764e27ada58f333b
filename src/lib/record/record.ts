import { differenceInCalendarDays } from 'date-fns';
import { durationLabel, formatLabel, ukDate, ukDateKey } from '$lib/brochure';
import type { AttendedSession, Renewal, TrainingRecord } from './api';

/** How many days before training falls due it shows as due (the reminder email goes then). */
export const DUE_SOON_DAYS = 42;

export const ATTENDANCE_LABELS: Record<AttendedSession['attendance'], string> = {
	present: 'Attended',
	late: 'Attended (arrived late)',
	left_early: 'Left early'
};

/** Sessions attended and the learning time of the training completed. */
export function recordTotals(record: TrainingRecord) {
	return {
		sessions: record.sessions.length,
		learningMinutes: record.sessions.reduce((sum, s) => sum + s.learning_minutes, 0),
		certificates: record.sessions.filter((s) => s.certificate).length
	};
}

export function learningTimeText(minutes: number) {
	return minutes ? durationLabel(minutes) : 'None';
}

export type RenewalState = 'booked' | 'overdue' | 'due' | 'current';

/** The UK calendar date today, as yyyy-mm-dd. */
export function ukToday(now = new Date()) {
	return ukDateKey(now.toISOString());
}

/** "10 February 2027" for a yyyy-mm-dd date. */
export function dayText(isoDate: string) {
	return ukDate(`${isoDate}T12:00:00Z`).replace(/^\S+ /, '');
}

/** Where a piece of training to renew stands on a given UK date. */
export function renewalState(
	renewal: Renewal,
	today: string
): { state: RenewalState; text: string } {
	const days = differenceInCalendarDays(new Date(renewal.due_on), new Date(today));
	const due = dayText(renewal.due_on);
	if (renewal.booked_starts_at)
		return { state: 'booked', text: `Booked for ${ukDate(renewal.booked_starts_at)}` };
	if (days < 0) return { state: 'overdue', text: `Overdue: it was due on ${due}` };
	if (days <= DUE_SOON_DAYS) return { state: 'due', text: `Due by ${due}` };
	return { state: 'current', text: `Up to date until ${due}` };
}

/** The session whose completion a renewal counts from, so the CSV can show when it is due. */
function renewalOf(record: TrainingRecord, s: AttendedSession) {
	return record.renewals.find((r) => r.course_id === s.course_id && r.completed_at === s.starts_at);
}

export const RECORD_COLUMNS = [
	{ key: 'date', label: 'Date' },
	{ key: 'course', label: 'Course' },
	{ key: 'format', label: 'Format' },
	{ key: 'attendance', label: 'Attendance' },
	{ key: 'learning_minutes', label: 'Learning time (minutes)' },
	{ key: 'evaluated', label: 'Evaluation sent' },
	{ key: 'certificate', label: 'Certificate reference' },
	{ key: 'renew_by', label: 'Renew by' }
];

/** One row per session attended, in the columns above (dates as yyyy-mm-dd, UK time). */
export function recordRows(record: TrainingRecord) {
	return record.sessions.map((s) => ({
		date: ukDateKey(s.starts_at),
		course: s.course,
		format: formatLabel(s.format),
		attendance: ATTENDANCE_LABELS[s.attendance],
		learning_minutes: s.learning_minutes,
		evaluated: s.evaluated,
		certificate: s.certificate?.reference ?? '',
		renew_by: renewalOf(record, s)?.due_on ?? ''
	}));
}

/** "training-record-sam-record-2026-12-02" */
export function recordFileName(record: TrainingRecord, now = new Date()) {
	const who = (record.name ?? 'my')
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `training-record-${who || 'my'}-${ukToday(now)}`;
}
