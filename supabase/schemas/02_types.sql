-- The domain's vocabularies, shared by the tables of several files.

create type public.sector as enum (
  'local_authority', 'police', 'health', 'education', 'probation_and_justice',
  'fire_and_rescue', 'faith', 'voluntary', 'other'
);
create type public.staff_role as enum ('trainer', 'agency_lead', 'admin');
create type public.course_format as enum ('face_to_face', 'webinar', 'elearning', 'conference');
create type public.course_level as enum ('introductory', 'intermediate', 'advanced');
create type public.course_status as enum ('draft', 'published', 'archived');
create type public.waitlist_mode as enum ('auto', 'offer');
create type public.session_status as enum ('scheduled', 'cancelled');
create type public.booking_status as enum (
  'requested', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'declined'
);
create type public.attendance_status as enum ('present', 'late', 'left_early', 'absent', 'excused');

-- 'closure': the no-show recorded for an unmarked booking when the register is closed
create type public.attendance_source as enum ('register', 'self_checkin', 'import', 'closure');
create type public.followup_applied as enum ('yes', 'partly', 'no');
-- 'sending': claimed by the email sender, not yet recorded as sent or failed
create type public.notification_status as enum ('pending', 'sending', 'sent', 'failed');
