import type { SyncedTableName } from './entities';

export type {
	Sector,
	CourseFormat,
	CourseLevel,
	BookingStatus,
	AttendanceStatus,
	AttendanceSource,
	StaffRole,
	Agency,
	Course,
	LearningOutcome,
	Session,
	Profile,
	StaffRoles,
	Booking,
	BookingAnswer,
	SessionAssignment,
	OutcomeRating,
	Evaluation,
	Followup
} from './rows';
import type {
	Agency,
	AttendanceSource,
	AttendanceStatus,
	Booking,
	BookingAnswer,
	BookingStatus,
	Course,
	Evaluation,
	Followup,
	LearningOutcome,
	Profile,
	Session,
	SessionAssignment,
	StaffRoles
} from './rows';

// Rows the device keeps besides the pulled ones (the register's download, its own rows).

/** Someone on a register who booked (confirmed, or waiting, shown for information). */
export interface RegisterAttendee {
	booking_id: string;
	user_id: string;
	booking_status: BookingStatus;
	full_name: string;
	email: string;
	agency: string | null;
	job_role: string | null;
	/** answers to the course's questions at booking (access needs), if they gave any */
	answers?: BookingAnswer[] | null;
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
	/** when a screen last asked for it (the trainer opened it): kept a day from then */
	opened_at?: string;
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
