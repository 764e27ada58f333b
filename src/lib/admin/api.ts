import * as v from 'valibot';
import { answerSchema, jsonArg } from '$lib/supabase';
import { adminCall } from '$lib/sync';
import type { courseArgs } from './course-form';
import { EmailsOverviewSchema, EmailStatusSchema, type EmailStatus } from './emails';
import { STAFF_ROLES, type StaffRole } from './staff';
import type { webinarWednesdayArgs } from './webinar-wednesday';

/** The admins' calls to the SQL API, each reply checked: they need a connection, and throw SyncError. */

const SavedCourse = v.object({ id: v.string(), title: v.string() });

/** Saves a course and its outcomes, and publishes or unpublishes it when asked. */
export async function saveCourse(
	args: ReturnType<typeof courseArgs>,
	status: 'draft' | 'published' | null
) {
	let saved = await adminCall('admin_save_course', { p_course: jsonArg(args.course) }, SavedCourse);
	await adminCall(
		'admin_save_outcomes',
		{ p_course_id: saved.id, p_outcomes: jsonArg(args.outcomes) },
		v.unknown()
	);
	if (status) {
		saved = await adminCall(
			'admin_set_course_status',
			{ p_course_id: saved.id, p_status: status },
			SavedCourse
		);
	}
	return saved;
}

export async function createWebinarWednesday(args: ReturnType<typeof webinarWednesdayArgs>) {
	await adminCall('admin_create_webinar_wednesday', args, v.unknown());
}

/** Adds or changes a session; how many booked people were emailed the change. */
/** `changes`: the session's fields (admin_save_session), with `id` for an existing one. */
export async function saveSession(changes: Record<string, string | number | null>) {
	const saved = await adminCall(
		'admin_save_session',
		{ p_changes: jsonArg(changes) },
		v.object({ people_told: v.number() })
	);
	return saved.people_told;
}

/** Cancels a session; how many people were emailed. */
export function cancelSession(sessionId: string, reason: string) {
	return adminCall(
		'admin_cancel_session',
		{ p_session_id: sessionId, p_reason: reason },
		v.number()
	);
}

export async function assignTrainer(sessionId: string, trainerId: string, assigned: boolean) {
	await adminCall(
		'admin_assign_trainer',
		{ p_session_id: sessionId, p_trainer_id: trainerId, p_assigned: assigned },
		v.unknown()
	);
}

/** Gives a role by email address; `changed` is false when they already held it. */
export function grantRole(args: {
	email: string;
	role: StaffRole | null;
	agency_id: string | null;
}) {
	return adminCall(
		'admin_grant_role',
		{ p_args: args },
		answerSchema(v.object({ changed: v.boolean() }))
	);
}

/** Removes a role; a trainer is taken off the sessions still to come. */
export function removeRole(userId: string, role: StaffRole) {
	return adminCall(
		'admin_remove_role',
		{ p_args: { user_id: userId, role } },
		answerSchema(v.object({ sessions_unassigned: v.optional(v.number()) }))
	);
}

const RoleChangeSchema = v.object({
	changed_at: v.string(),
	change: v.picklist(['granted', 'removed', 'agency_changed']),
	role: v.picklist(STAFF_ROLES),
	agency: v.nullable(v.string()),
	person: v.string(),
	changed_by: v.string()
});
export type RoleChange = v.InferOutput<typeof RoleChangeSchema>;

/** The latest changes to staff roles: who, what, by whom, when. */
export function staffRoleChanges(limit = 50) {
	return adminCall('admin_staff_role_changes', { p_limit: limit }, v.array(RoleChangeSchema));
}

export function loadEmails(status: EmailStatus | '') {
	return adminCall('admin_emails', { p_status: status || undefined }, EmailsOverviewSchema);
}

export function resendEmail(id: string) {
	return adminCall(
		'admin_resend_email',
		{ p_id: id },
		v.object({ id: v.string(), status: EmailStatusSchema, to_email: v.string() })
	);
}
