import * as v from 'valibot';
import { syncEngine } from '$lib/sync';
import { TrainingRecordSchema } from './api';

/** An agency safeguarding lead's calls: their agency's staff, and booking for them. */

const RenewalSummary = v.object({
	course_id: v.string(),
	course: v.string(),
	due_on: v.string(),
	completed_at: v.string(),
	renew_years: v.number(),
	slug: v.string(),
	published: v.boolean(),
	booked_starts_at: v.nullable(v.string())
});

const StaffMember = v.object({
	user_id: v.string(),
	full_name: v.nullable(v.string()),
	email: v.string(),
	job_role: v.nullable(v.string()),
	attended: v.number(),
	learning_minutes: v.number(),
	renewals: v.array(RenewalSummary),
	bookings: v.array(
		v.object({
			booking_id: v.string(),
			session_id: v.string(),
			course: v.string(),
			starts_at: v.string(),
			status: v.picklist(['requested', 'confirmed', 'waitlisted', 'offered']),
			booked_by_lead: v.boolean()
		})
	)
});
const AgencyStaffSchema = v.object({ agency: v.string(), staff: v.array(StaffMember) });
export type AgencyStaff = v.InferOutput<typeof AgencyStaffSchema>;
export type StaffMember = v.InferOutput<typeof StaffMember>;

const BookingAnswer = v.object({
	status: v.picklist(['applied', 'rejected']),
	reason: v.optional(v.string()),
	data: v.optional(v.object({ id: v.string(), status: v.string() }))
});
export type StaffBookingAnswer = v.InferOutput<typeof BookingAnswer>;

export function agencyStaff() {
	return syncEngine.call('agency_staff', {}, AgencyStaffSchema);
}

export function staffTrainingRecord(userId: string) {
	return syncEngine.call('staff_training_record', { p_user_id: userId }, TrainingRecordSchema);
}

export function bookForColleague(userId: string, sessionId: string) {
	return syncEngine.call(
		'book_for_colleague',
		{ p_user_id: userId, p_session_id: sessionId, p_booking_id: crypto.randomUUID() },
		BookingAnswer
	);
}

export function releaseForColleague(bookingId: string) {
	return syncEngine.call('release_for_colleague', { p_booking_id: bookingId }, BookingAnswer);
}
