import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
	Agency,
	AttendanceEvent,
	Booking,
	CheckIn,
	Evaluation,
	EvaluationDraft,
	Followup,
	Course,
	LearningOutcome,
	OutboxEntry,
	Profile,
	Register,
	Session,
	SessionAssignment,
	StaffRoles,
	WalkIn
} from './types';

export interface MetaEntry {
	key: string;
	value: unknown;
}

/** The device copy: cached server rows plus the outbox, in one versioned schema. */
export class TrainingDatabase extends Dexie {
	agencies!: EntityTable<Agency, 'id'>;
	courses!: EntityTable<Course, 'id'>;
	learningOutcomes!: EntityTable<LearningOutcome, 'id'>;
	sessions!: EntityTable<Session, 'id'>;
	profiles!: EntityTable<Profile, 'id'>;
	staffRoles!: EntityTable<StaffRoles, 'id'>;
	bookings!: EntityTable<Booking, 'id'>;
	sessionAssignments!: EntityTable<SessionAssignment, 'id'>;
	registers!: EntityTable<Register, 'session_id'>;
	attendanceEvents!: EntityTable<AttendanceEvent, 'id'>;
	walkIns!: EntityTable<WalkIn, 'id'>;
	checkIns!: EntityTable<CheckIn, 'session_id'>;
	evaluations!: EntityTable<Evaluation, 'id'>;
	followups!: EntityTable<Followup, 'id'>;
	evaluationDrafts!: EntityTable<EvaluationDraft, 'key'>;
	outbox!: EntityTable<OutboxEntry, 'id'>;
	meta!: EntityTable<MetaEntry, 'key'>;

	constructor(name = 'hscp-training') {
		super(name);
		this.version(1).stores({
			agencies: 'id, name',
			courses: 'id, &slug, status, format',
			learningOutcomes: 'id, course_id',
			sessions: 'id, course_id, starts_at',
			profiles: 'id',
			staffRoles: 'id',
			outbox: 'id, [userId+seq], state, [entity+entityId]',
			meta: 'key'
		});
		// Version 2 adds bookings and trainers' assignments. Upgrades only ever add: the
		// outbox is carried across untouched (the e2e test "a new app version upgrades the device database with 200 changes waiting").
		this.version(2).stores({
			bookings: 'id, session_id, user_id',
			sessionAssignments: 'id, session_id, trainer_id'
		});
		// Version 3 adds registers (downloaded per session), their marks and walk-ins, and a
		// practitioner's own check-ins.
		this.version(3).stores({
			registers: 'session_id',
			attendanceEvents: 'id, session_id',
			walkIns: 'id, session_id',
			checkIns: 'session_id'
		});
		// Version 4 adds a person's evaluations and follow-ups, and drafts kept as they type.
		this.version(4).stores({
			evaluations: 'id, session_id',
			followups: 'id, session_id',
			evaluationDrafts: 'key, session_id'
		});
	}
}

export const db = new TrainingDatabase();

/** The Dexie table that holds each entity sync_pull delivers. */
export function tableFor(database: TrainingDatabase, entity: string): Table<object, string> | null {
	return entityTable(database, entity) as Table<object, string> | null;
}

function entityTable(database: TrainingDatabase, entity: string) {
	switch (entity) {
		case 'agency':
			return database.agencies;
		case 'course':
			return database.courses;
		case 'learning_outcome':
			return database.learningOutcomes;
		case 'session':
			return database.sessions;
		case 'profile':
			return database.profiles;
		case 'staff_roles':
			return database.staffRoles;
		case 'booking':
		case 'walk_in_place':
			return database.bookings;
		case 'session_assignment':
			return database.sessionAssignments;
		case 'register':
			return database.registers;
		case 'attendance_event':
			return database.attendanceEvents;
		case 'walk_in':
			return database.walkIns;
		case 'check_in':
			return database.checkIns;
		case 'evaluation':
			return database.evaluations;
		case 'followup':
			return database.followups;
		case 'evaluation_draft':
			return database.evaluationDrafts;
		default:
			return null;
	}
}

export async function getMeta<T>(database: TrainingDatabase, key: string): Promise<T | undefined> {
	return (await database.meta.get(key))?.value as T | undefined;
}

export async function setMeta(database: TrainingDatabase, key: string, value: unknown) {
	await database.meta.put({ key, value });
}
