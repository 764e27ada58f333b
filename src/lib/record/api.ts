import * as v from 'valibot';
import { syncEngine } from '$lib/sync';

/** The training record's calls to the SQL API; the record is worked out on the server. */

const CertificateSchema = v.object({
	reference: v.string(),
	issued_at: v.string(),
	outcomes: v.array(v.string())
});

const AttendedSchema = v.object({
	session_id: v.string(),
	course_id: v.string(),
	course: v.string(),
	slug: v.string(),
	/** false once the course is no longer in the brochure */
	published: v.boolean(),
	format: v.picklist(['face_to_face', 'webinar', 'elearning', 'conference']),
	starts_at: v.string(),
	ends_at: v.string(),
	attendance: v.picklist(['present', 'late', 'left_early']),
	/** the course's length when completed (present or late); none for leaving early */
	learning_minutes: v.number(),
	evaluated: v.boolean(),
	/** once earned: completed, evaluation sent, a name on the account */
	certificate: v.nullable(CertificateSchema)
});

const RenewalSchema = v.object({
	course_id: v.string(),
	course: v.string(),
	slug: v.string(),
	published: v.boolean(),
	renew_years: v.number(),
	/** the start of the session that last completed it */
	completed_at: v.string(),
	/** yyyy-mm-dd: the UK date it falls due */
	due_on: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
	/** the next session of the course the person has a place on (or is waiting for) */
	booked_starts_at: v.nullable(v.string())
});

export const TrainingRecordSchema = v.object({
	name: v.nullable(v.string()),
	agency: v.nullable(v.string()),
	sessions: v.array(AttendedSchema),
	renewals: v.array(RenewalSchema)
});
export type TrainingRecord = v.InferOutput<typeof TrainingRecordSchema>;
export type AttendedSession = TrainingRecord['sessions'][number];
export type Renewal = TrainingRecord['renewals'][number];

/** The signed-in person's own record. */
export function myTrainingRecord() {
	return syncEngine.call('my_training_record', {}, TrainingRecordSchema);
}
