import * as v from 'valibot';
import { Constants, type Database } from '$lib/supabase/database.types';

/**
 * The rows sync_pull delivers, typed from the generated description of the database
 * (src/lib/supabase/database.types.ts, `npm run types`), and checked when they arrive: a
 * row the app cannot read stops the pull with a clear error instead of being stored.
 */

type Row<T extends keyof Database['public']['Tables']> = Database['public']['Tables'][T]['Row'];
type Enum<T extends keyof Database['public']['Enums']> = Database['public']['Enums'][T];
/** a row with the columns in K optional: the server fills them; a row made on the device lacks them */
type Synced<R, K extends keyof R> = Omit<R, K> & Partial<Pick<R, K>>;

export type Sector = Enum<'sector'>;
export type CourseFormat = Enum<'course_format'>;
export type CourseLevel = Enum<'course_level'>;
export type BookingStatus = Enum<'booking_status'>;
export type AttendanceStatus = Enum<'attendance_status'>;
export type AttendanceSource = Enum<'attendance_source'>;
export type StaffRole = Enum<'staff_role'>;

/** `to_jsonb(agency) - 'created_at'` */
export type Agency = Omit<Row<'agencies'>, 'created_at'>;
export type Course = Synced<
	Row<'courses'>,
	| 'created_at'
	| 'updated_at'
	| 'published_at'
	| 'followup_weeks'
	| 'renew_years'
	| 'booking_questions'
>;
export type LearningOutcome = Synced<Row<'learning_outcomes'>, 'created_at'>;
/** the session without its joining link (only a confirmed booking carries it), with its counts */
export type Session = Synced<
	Omit<Row<'sessions'>, 'join_url'>,
	'created_at' | 'updated_at' | 'offer_hours' | 'calendar_sequence' | 'cancelled_reason'
> & {
	/** confirmed and offered places (from the server's count) */
	places_taken?: number;
	/** people on the waiting list */
	waiting?: number;
};
export type Profile = Synced<Row<'profiles'>, 'created_at' | 'updated_at'>;
/** a person's roles, one row per person */
export interface StaffRoles {
	id: string;
	roles: { role: StaffRole; agency_id: string | null }[];
}
/** certificate_ref comes from the server: a booking requested on this device has none yet */
export type Booking = Synced<
	Row<'bookings'>,
	'confirmed_at' | 'updated_at' | 'certificate_ref' | 'booked_by'
> & {
	/** only while the place is confirmed */
	join_url?: string | null;
	/** 1 = next in line; only while waitlisted */
	waiting_position?: number | null;
	/** how the register marked them; null until marked */
	attendance?: AttendanceStatus | null;
	/** they checked in while offline and the trainer has not yet confirmed it */
	checkin_awaiting?: boolean;
	/** not a booking: their place on the register as a walk-in, recorded with their email */
	walk_in?: boolean;
	/** answers to the course's questions at booking; for the person, its trainers and admins */
	answers?: BookingAnswer[] | null;
};
/** One answer to a course's question at booking, with the question as it was asked. */
export interface BookingAnswer {
	question: string;
	answer: string;
}
/** A trainer's assignment to a session, with the session's joining link for them. */
export type SessionAssignment = Row<'session_trainers'> & { join_url?: string | null };

export interface OutcomeRating {
	outcome_id: string;
	before: number;
	after: number;
}
/** A submitted evaluation: the person's own (pulled), or one just sent from this device. */
export type Evaluation = Synced<Row<'evaluations'>, 'anonymised' | 'entered_by'> & {
	ratings: OutcomeRating[];
};
/** The follow-up some weeks after a session: requested by the server, answered once. */
export type Followup = Synced<Row<'followups'>, 'anonymised' | 'reminded_at'> & {
	ratings: { outcome_id: string; now: number }[];
};

// The checks, field by field the app reads; other fields pass through as they are.
const enums = Constants.public.Enums;
const id = v.string();
const text = v.string();
const maybeText = v.nullable(v.string());
const instant = v.string();
const count = v.pipe(v.number(), v.integer());

const AgencyRow = v.looseObject({ id, name: text, sector: v.picklist(enums.sector) });
const CourseRow = v.looseObject({
	id,
	slug: text,
	title: text,
	summary: text,
	description: text,
	audience: text,
	level: v.picklist(enums.course_level),
	format: v.picklist(enums.course_format),
	duration_minutes: count,
	followup_weeks: v.optional(count),
	/** years after completing it that the training falls due again; null when it need not */
	renew_years: v.optional(v.nullable(count)),
	booking_questions: v.optional(v.array(text)),
	themes: v.array(text),
	series: maybeText,
	elearning_url: maybeText,
	status: v.picklist(enums.course_status)
});
const LearningOutcomeRow = v.looseObject({
	id,
	course_id: id,
	position: count,
	text,
	retired_at: v.nullable(instant)
});
const SessionRow = v.looseObject({
	id,
	course_id: id,
	starts_at: instant,
	ends_at: instant,
	venue_name: maybeText,
	venue_address: maybeText,
	capacity: count,
	waitlist_mode: v.picklist(enums.waitlist_mode),
	booking_closes_at: instant,
	status: v.picklist(enums.session_status),
	cancelled_reason: v.optional(maybeText),
	places_taken: v.optional(count),
	waiting: v.optional(count),
	calendar_sequence: v.optional(count)
});
const ProfileRow = v.looseObject({
	id,
	email: text,
	full_name: maybeText,
	agency_id: v.nullable(id),
	job_role: maybeText
});
const StaffRolesRow = v.looseObject({
	id,
	roles: v.array(v.looseObject({ role: v.picklist(enums.staff_role), agency_id: v.nullable(id) }))
});
const BookingRow = v.looseObject({
	id,
	session_id: id,
	user_id: id,
	status: v.picklist(enums.booking_status),
	waitlisted_at: v.nullable(instant),
	offer_expires_at: v.nullable(instant),
	created_at: instant,
	cancelled_at: v.nullable(instant),
	join_url: v.optional(maybeText),
	waiting_position: v.optional(v.nullable(count)),
	attendance: v.optional(v.nullable(v.picklist(enums.attendance_status))),
	checkin_awaiting: v.optional(v.boolean()),
	walk_in: v.optional(v.boolean()),
	answers: v.optional(v.nullable(v.array(v.object({ question: text, answer: text })))),
	certificate_ref: v.optional(v.pipe(text, v.regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)))
});
const SessionAssignmentRow = v.looseObject({
	id,
	session_id: id,
	trainer_id: id,
	join_url: v.optional(maybeText)
});
const rating = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5));
const EvaluationRow = v.looseObject({
	id,
	session_id: id,
	user_id: v.nullable(id),
	overall: rating,
	practice_change: text,
	comments: maybeText,
	submitted_at: instant,
	from_paper: v.boolean(),
	ratings: v.array(v.looseObject({ outcome_id: id, before: rating, after: rating }))
});
const FollowupRow = v.looseObject({
	id,
	session_id: id,
	user_id: v.nullable(id),
	requested_at: instant,
	submitted_at: v.nullable(instant),
	applied: v.nullable(v.picklist(enums.followup_applied)),
	example: maybeText,
	barriers: maybeText,
	ratings: v.array(v.looseObject({ outcome_id: id, now: rating }))
});

/** Each entity sync_pull delivers, and the check its rows pass before they are stored. */
export const PULLED_ROWS = {
	agency: AgencyRow,
	course: CourseRow,
	learning_outcome: LearningOutcomeRow,
	session: SessionRow,
	profile: ProfileRow,
	staff_roles: StaffRolesRow,
	booking: BookingRow,
	walk_in_place: BookingRow,
	session_assignment: SessionAssignmentRow,
	evaluation: EvaluationRow,
	followup: FollowupRow
} as const;

/** The row of a pulled change, checked; a message naming the entity and the field when it fails. */
export function checkPulledRow(entity: string, row: Record<string, unknown>) {
	const schema = PULLED_ROWS[entity as keyof typeof PULLED_ROWS];
	if (!schema) return null;
	const checked = v.safeParse(schema, row);
	if (checked.success) return null;
	const issue = checked.issues[0];
	const where = issue ? v.getDotPath(issue) : null;
	return `the server's ${entity.replace(/_/g, ' ')} ${String(row.id ?? '')} could not be read${where ? ` (at ${where})` : ''}: ${issue?.message ?? 'unknown shape'}`;
}

// Compile-time: every field a check names is a field of its row type, of that type.
type Entries = v.ObjectEntries;
type Fits<S extends v.LooseObjectSchema<Entries, undefined>, R> = [
	| Exclude<keyof S['entries'], keyof R>
	| {
			[K in keyof S['entries'] & keyof R]: v.InferOutput<S['entries'][K]> extends R[K] ? never : K;
	  }[keyof S['entries'] & keyof R]
] extends [never]
	? true
	: false;
export type PulledRowsFit = [
	Fits<typeof AgencyRow, Agency>,
	Fits<typeof CourseRow, Course>,
	Fits<typeof LearningOutcomeRow, LearningOutcome>,
	Fits<typeof SessionRow, Session>,
	Fits<typeof ProfileRow, Profile>,
	Fits<typeof StaffRolesRow, StaffRoles>,
	Fits<typeof BookingRow, Booking>,
	Fits<typeof SessionAssignmentRow, SessionAssignment>,
	Fits<typeof EvaluationRow, Evaluation>,
	Fits<typeof FollowupRow, Followup>
];
const pulledRowsFit: PulledRowsFit = [true, true, true, true, true, true, true, true, true, true];
void pulledRowsFit;
