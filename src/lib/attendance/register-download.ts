import * as v from 'valibot';

const id = v.string();
const optionalId = v.nullable(v.string());
const STATUSES = ['present', 'late', 'left_early', 'absent', 'excused'] as const;

/** A register as get_register sends it, with its walk-ins and marks. */
export const RegisterDownload = v.object({
	session_id: id,
	downloaded_at: v.string(),
	checkin_key: v.string(),
	closed_at: v.nullable(v.string()),
	attendees: v.array(
		v.object({
			booking_id: id,
			user_id: id,
			booking_status: v.picklist([
				'requested',
				'confirmed',
				'waitlisted',
				'offered',
				'cancelled',
				'declined'
			]),
			full_name: v.string(),
			email: v.string(),
			agency: v.nullable(v.string()),
			job_role: v.nullable(v.string()),
			answers: v.optional(
				v.nullable(v.array(v.object({ question: v.string(), answer: v.string() })))
			)
		})
	),
	trainers: v.optional(
		v.array(v.object({ full_name: v.nullable(v.string()), email: v.nullable(v.string()) }))
	),
	offline_checkins: v.optional(
		v.array(
			v.object({
				id,
				booking_id: optionalId,
				walk_in_id: optionalId,
				status: v.picklist(['present', 'late']),
				shown_at: v.string(),
				scanned_at: v.nullable(v.string()),
				received_at: v.string()
			})
		)
	),
	walk_ins: v.array(
		v.object({
			id,
			session_id: id,
			full_name: v.string(),
			email: v.nullable(v.string()),
			agency_id: optionalId,
			agency_name: v.nullable(v.string())
		})
	),
	events: v.array(
		v.object({
			id,
			session_id: id,
			booking_id: optionalId,
			walk_in_id: optionalId,
			status: v.nullable(v.picklist(STATUSES)),
			marked_at: v.string(),
			source: v.picklist(['register', 'self_checkin', 'import', 'closure']),
			supersedes: v.array(id),
			marked_by_name: v.string(),
			checkin_id: v.optional(optionalId)
		})
	)
});
