import type { AttendanceEvent, AttendanceStatus, CheckIn, WalkIn } from '$lib/data';
import { defineMutation } from '$lib/sync';
import { statusLabel } from './register-state';

export interface MarkArgs extends Record<string, unknown> {
	id: string;
	session_id: string;
	booking_id: string | null;
	walk_in_id: string | null;
	/** unmarked: clears the marks it supersedes (undoing "mark everyone present") */
	status: AttendanceStatus | 'unmarked';
	marked_at: string;
	source: 'register' | 'import';
	supersedes: string[];
	/** the offline check-in this mark confirms or overrules */
	checkin_id?: string | null;
	/** for the list of unsynced changes and the register's own display */
	name: string;
	marked_by_name: string;
}

/** One mark on a register: a new event that supersedes the marks the device saw. */
export const markAttendance = defineMutation<MarkArgs>({
	name: 'attendance.mark',
	entity: 'attendance_event',
	entityId: (args) => args.id,
	applyLocally: (database, args) => {
		const event: AttendanceEvent = {
			id: args.id,
			session_id: args.session_id,
			booking_id: args.booking_id,
			walk_in_id: args.walk_in_id,
			status: args.status === 'unmarked' ? null : args.status,
			marked_at: args.marked_at,
			source: args.source,
			supersedes: args.supersedes,
			marked_by_name: args.marked_by_name,
			checkin_id: args.checkin_id ?? null
		};
		return database.attendanceEvents.put(event);
	},
	describe: (args) =>
		`Register: ${args.name} – ${statusLabel(args.status === 'unmarked' ? null : args.status)}`
});

export const addWalkIn = defineMutation<WalkIn & Record<string, unknown>>({
	name: 'attendance.add_walk_in',
	entity: 'walk_in',
	entityId: (args) => args.id,
	applyLocally: (database, args) =>
		database.walkIns.put({
			id: args.id,
			session_id: args.session_id,
			full_name: args.full_name,
			email: args.email,
			agency_id: args.agency_id,
			agency_name: args.agency_name
		}),
	describe: (args) => `Register: add walk-in ${args.full_name}`
});

export const closeRegister = defineMutation<{
	session_id: string;
	closed_at: string;
	title: string;
}>({
	name: 'attendance.close_register',
	entity: 'register',
	entityId: (args) => args.session_id,
	applyLocally: (database, args) =>
		database.registers.update(args.session_id, { closed_at: args.closed_at }),
	describe: (args) => `Close the register: ${args.title}`
});

/** A practitioner's own check-in, checked by the server against the time it was scanned. */
export const checkIn = defineMutation<CheckIn & { title: string } & Record<string, unknown>>({
	name: 'attendance.check_in',
	entity: 'check_in',
	entityId: (args) => args.session_id,
	applyLocally: (database, args) =>
		database.checkIns.put({
			session_id: args.session_id,
			id: args.id,
			scanned_at: args.scanned_at,
			code: args.code,
			step: args.step
		}),
	describe: (args) => `Check in: ${args.title}`
});
