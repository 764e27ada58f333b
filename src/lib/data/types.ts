import type { SyncedTableName } from './entities';

// Rows as the server sends them through sync_pull (snake_case, as in the database).

export type Sector =
	| 'local_authority'
	| 'police'
	| 'health'
	| 'education'
	| 'probation_and_justice'
	| 'fire_and_rescue'
	| 'faith'
	| 'voluntary'
	| 'other';

export interface Agency {
	id: string;
	name: string;
	sector: Sector;
}

export type CourseFormat = 'face_to_face' | 'webinar' | 'elearning' | 'conference';
export type CourseLevel = 'introductory' | 'intermediate' | 'advanced';

export interface Course {
	id: string;
	slug: string;
	title: string;
	summary: string;
	description: string;
	audience: string;
	level: CourseLevel;
	format: CourseFormat;
	duration_minutes: number;
	/** weeks after a session that the follow-up is asked for */
	followup_weeks?: number;
	themes: string[];
	series: string | null;
	elearning_url: string | null;
	status: 'draft' | 'published' | 'archived';
}

export interface LearningOutcome {
	id: string;
	course_id: string;
	position: number;
	text: string;
	retired_at: string | null;
}

export interface Session {
	id: string;
	course_id: string;
	starts_at: string;
	ends_at: string;
	venue_name: string | null;
	venue_address: string | null;
	capacity: number;
	waitlist_mode: 'auto' | 'offer';
	booking_closes_at: string;
	status: 'scheduled' | 'cancelled';
	cancelled_reason?: string | null;
	/** confirmed and offered places (from the server's count) */
	places_taken?: number;
	/** people on the waiting list */
	waiting?: number;
	/** how many times its date, time, venue or joining link has changed (calendar SEQUENCE) */
	calendar_sequence?: number;
}

export interface Profile {
	id: string;
	email: string;
	full_name: string | null;
	agency_id: string | null;
	job_role: string | null;
}

export interface StaffRoles {
	id: string;
	roles: { role: 'trainer' | 'agency_lead' | 'admin'; agency_id: string | null }[];
}

export type BookingStatus =
	'requested' | 'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'declined';

export interface Booking {
	id: string;
	session_id: string;
	user_id: string;
	status: BookingStatus;
	waitlisted_at: string | null;
	offer_expires_at: string | null;
	created_at: string;
	cancelled_at: string | null;
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
}

/** A trainer's assignment to a session. */
export interface SessionAssignment {
	id: string;
	session_id: string;
	trainer_id: string;
}

export type AttendanceStatus = 'present' | 'late' | 'left_early' | 'absent' | 'excused';
export type AttendanceSource = 'register' | 'self_checkin' | 'import' | 'closure';

/** Someone on a register who booked (confirmed, or waiting, shown for information). */
export interface RegisterAttendee {
	booking_id: string;
	user_id: string;
	booking_status: BookingStatus;
	full_name: string;
	email: string;
	agency: string | null;
	job_role: string | null;
}

/** A register on this device: who is expected, whether it is closed, the check-in key. */
export interface Register {
	session_id: string;
	downloaded_at: string;
	/** base64 secret behind the session's check-in codes */
	checkin_key: string;
	closed_at: string | null;
	attendees: RegisterAttendee[];
	/** the session's trainers: an import leaves their rows out */
	trainers?: { full_name: string | null; email: string | null }[];
	/** check-ins that reached the server after their code expired, for a trainer to decide */
	offline_checkins?: OfflineCheckIn[];
	/** the server's clock minus this device's, measured at download: codes follow the server */
	clock_offset_ms?: number;
	/** kept on the device by the trainer's choice, beyond the next 7 days */
	pinned?: boolean;
}

/**
 * A self check-in whose code had expired when it reached the server (made with no signal,
 * or from a photo of the code). It counts once a trainer confirms it with a mark.
 */
export interface OfflineCheckIn {
	id: string;
	booking_id: string | null;
	walk_in_id: string | null;
	/** what it would have recorded when the code was on the screen */
	status: 'present' | 'late';
	/** when the code was on the trainer's screen (the code itself proves it) */
	shown_at: string;
	/** what the phone's clock said; for information only */
	scanned_at: string | null;
	received_at: string;
}

/** One mark on a register. Never changed: a later mark supersedes it. */
export interface AttendanceEvent {
	id: string;
	session_id: string;
	booking_id: string | null;
	walk_in_id: string | null;
	/** null: clears the marks it supersedes (an undo): not marked */
	status: AttendanceStatus | null;
	marked_at: string;
	source: AttendanceSource;
	/** the marks the marking device saw as current */
	supersedes: string[];
	marked_by_name: string;
	/** the offline check-in this mark decides (kept on the device until the register refreshes) */
	checkin_id?: string | null;
}

/** Someone who came without a booking. */
export interface WalkIn {
	id: string;
	session_id: string;
	full_name: string;
	email: string | null;
	agency_id: string | null;
	agency_name: string | null;
}

/** A practitioner's own check-in to a session, kept until the server has answered. */
export interface CheckIn {
	session_id: string;
	id: string;
	scanned_at: string;
	code: string;
	step: number | null;
}

export interface OutcomeRating {
	outcome_id: string;
	before: number;
	after: number;
}

/** A submitted evaluation: the person's own (pulled), or one just sent from this device. */
export interface Evaluation {
	id: string;
	session_id: string;
	user_id: string | null;
	overall: number;
	practice_change: string;
	comments: string | null;
	submitted_at: string;
	from_paper: boolean;
	ratings: OutcomeRating[];
}

/** The follow-up some weeks after a session: requested by the server, answered once. */
export interface Followup {
	id: string;
	session_id: string;
	user_id: string;
	requested_at: string;
	submitted_at: string | null;
	applied: 'yes' | 'partly' | 'no' | null;
	example: string | null;
	barriers: string | null;
	ratings: { outcome_id: string; now: number }[];
}

/** Answers being given on this device, saved as the person goes (never synced). */
export interface EvaluationDraft {
	/** the session id, or 'paper:<session>:<n>' for a paper form being typed in */
	key: string;
	session_id: string;
	step: number;
	ratings: Record<string, { before?: number; after?: number }>;
	overall?: number;
	practice_change: string;
	comments: string;
	updated_at: string;
}

/** Entities sync_pull delivers, by the name the server uses. */
export interface EntityRows {
	agency: Agency;
	course: Course;
	learning_outcome: LearningOutcome;
	session: Session;
	profile: Profile;
	staff_roles: StaffRoles;
	booking: Booking;
	/** a place as a walk-in with the person's account: kept with their bookings */
	walk_in_place: Booking;
	session_assignment: SessionAssignment;
	// written by the register feature's own download and mutations, not by sync_pull
	register: Register;
	attendance_event: AttendanceEvent;
	walk_in: WalkIn;
	check_in: CheckIn;
	evaluation: Evaluation;
	followup: Followup;
	evaluation_draft: EvaluationDraft;
}
export type EntityName = keyof EntityRows;

/** A user action waiting to reach the server (docs/architecture.md, sync guarantee 1). */
export interface OutboxEntry {
	id: string;
	deviceId: string;
	seq: number;
	userId: string;
	name: string;
	args: Record<string, unknown>;
	/** what the change is, in the user's words, for the list of unsynced changes */
	description?: string;
	/** the local row the optimistic change touched; pulls leave it alone until acknowledged */
	entity: EntityName;
	entityId: string;
	/** the row before the change, kept by versions before 5 (read only by their upgrade) */
	previous?: object | null;
	createdAt: string;
	attempts: number;
	nextAttemptAt: number;
	lastError: string | null;
	/**
	 * pending: waiting to be sent. attention: the server could not take it; kept until the
	 * user retries, exports or removes it. rejected: the server said no for a reason the
	 * user must hear (the device shows the server's row again); kept until dismissed.
	 */
	state: 'pending' | 'attention' | 'rejected';
	/** the version the server already holds under this id, when it answered 'conflict' */
	conflict?: { name: string; args: Record<string, unknown> | null; receivedAt: string };
}

/**
 * A change the server has applied, still replayed on the device until a pull confirms it:
 * until a completed pull whose horizon has passed the push's transaction (txid).
 */
export interface SentChange extends OutboxEntry {
	txid: string | null;
}

/**
 * The server's copy of one synced row, apart from the device's (which replays changes).
 * For a device-only table it is the row as confirmed before the changes still waiting on
 * it, kept only while some are; row null: there was none.
 */
export interface ServerCopy {
	table: SyncedTableName;
	id: string;
	row: object | null;
}

export interface SignedInUser {
	id: string;
	email: string;
}
