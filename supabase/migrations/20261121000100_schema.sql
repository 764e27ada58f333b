-- The HSCP Training data model (DESIGN.md §4). Behaviour is added by later migrations;
-- the shape of the data is fixed here.

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
create type public.attendance_source as enum ('register', 'self_checkin', 'import');
create type public.followup_applied as enum ('yes', 'partly', 'no');
create type public.notification_status as enum ('pending', 'sent', 'failed');

create table public.agencies (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (char_length(name) between 2 and 200),
  sector public.sector not null,
  created_at timestamptz not null default now()
);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null unique check (char_length(email) between 3 and 320),
  full_name text check (char_length(full_name) between 1 and 200),
  agency_id uuid references public.agencies (id),
  job_role text check (char_length(job_role) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index profiles_agency_idx on public.profiles (agency_id);

create table public.staff_roles (
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.staff_role not null,
  agency_id uuid references public.agencies (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, role),
  -- an agency lead leads one agency; the other roles are partnership-wide
  check ((role = 'agency_lead') = (agency_id is not null))
);

create table public.courses (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 120),
  title text not null check (char_length(title) between 3 and 200),
  summary text not null check (char_length(summary) between 10 and 600),
  description text not null default '' check (char_length(description) <= 10000),
  audience text not null check (char_length(audience) between 3 and 600),
  level public.course_level not null,
  format public.course_format not null,
  duration_minutes int not null check (duration_minutes between 15 and 2880),
  themes text[] not null default '{}' check (cardinality(themes) between 1 and 10),
  series text check (series ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  -- weeks after a session that the follow-up questionnaire is sent
  followup_weeks int not null default 12 check (followup_weeks between 1 and 52),
  elearning_url text check (elearning_url ~ '^https://'),
  status public.course_status not null default 'draft',
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'published' or published_at is not null),
  check (elearning_url is null or format = 'elearning'),
  check (format <> 'elearning' or status <> 'published' or elearning_url is not null)
);
create index courses_status_idx on public.courses (status);

create table public.learning_outcomes (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references public.courses (id) on delete cascade,
  position int not null check (position > 0),
  text text not null check (char_length(text) between 5 and 500),
  retired_at timestamptz,
  created_at timestamptz not null default now()
);
-- positions are unique among the outcomes still in use
create unique index learning_outcomes_position_idx
  on public.learning_outcomes (course_id, position) where retired_at is null;

create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references public.courses (id) on delete restrict,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- null venue means online
  venue_name text check (char_length(venue_name) between 2 and 200),
  venue_address text check (char_length(venue_address) <= 500),
  join_url text check (join_url ~ '^https://'),
  capacity int not null check (capacity between 1 and 5000),
  waitlist_mode public.waitlist_mode not null default 'offer',
  offer_hours int not null default 48 check (offer_hours between 1 and 336),
  booking_closes_at timestamptz not null,
  status public.session_status not null default 'scheduled',
  cancelled_reason text check (char_length(cancelled_reason) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (ends_at - starts_at <= interval '3 days'),
  check (booking_closes_at <= starts_at),
  check (venue_name is not null or join_url is not null),
  check ((status = 'cancelled') = (cancelled_reason is not null))
);
create index sessions_course_idx on public.sessions (course_id, starts_at);
create index sessions_starts_idx on public.sessions (starts_at);

create table public.session_trainers (
  -- its own id so an assignment can travel to a trainer's device as an entity
  id uuid not null unique default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  trainer_id uuid not null references public.profiles (id) on delete restrict,
  primary key (session_id, trainer_id)
);
create index session_trainers_trainer_idx on public.session_trainers (trainer_id);

create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete restrict,
  user_id uuid not null references public.profiles (id) on delete cascade,
  status public.booking_status not null default 'requested',
  -- arrival order on the waiting list; the position shown is derived from it
  waitlisted_at timestamptz,
  offer_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  cancelled_at timestamptz,
  check ((status = 'offered') = (offer_expires_at is not null)),
  check ((status = 'cancelled') = (cancelled_at is not null)),
  check (status not in ('waitlisted', 'offered') or waitlisted_at is not null)
);
-- one live booking per person per session; cancelled and declined ones stay as history
create unique index bookings_one_live_idx on public.bookings (session_id, user_id)
  where status not in ('cancelled', 'declined');
create index bookings_user_idx on public.bookings (user_id);
create index bookings_waitlist_idx on public.bookings (session_id, waitlisted_at)
  where status in ('waitlisted', 'offered');

-- People who attended without an account or a booking (walk-ins, paper registers)
create table public.walk_in_attendees (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  full_name text not null check (char_length(full_name) between 1 and 200),
  email text check (char_length(email) between 3 and 320),
  agency_id uuid references public.agencies (id),
  agency_name text check (char_length(agency_name) <= 200),
  added_by uuid not null references public.profiles (id),
  created_at timestamptz not null default now()
);

create table public.attendance_events (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid references public.bookings (id),
  walk_in_id uuid references public.walk_in_attendees (id),
  status public.attendance_status not null,
  marked_by uuid not null references public.profiles (id),
  marked_at timestamptz not null,
  source public.attendance_source not null,
  device_id uuid,
  received_at timestamptz not null default now(),
  check (num_nonnulls(booking_id, walk_in_id) = 1)
);
create index attendance_events_session_idx on public.attendance_events (session_id, marked_at);

create table public.register_closures (
  session_id uuid primary key references public.sessions (id) on delete cascade,
  closed_by uuid not null references public.profiles (id),
  closed_at timestamptz not null default now()
);

create table public.evaluations (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete restrict,
  -- null for evaluations entered from paper, which are not tied to an account
  user_id uuid references public.profiles (id) on delete set null,
  entered_by uuid references public.profiles (id),
  from_paper boolean not null default false,
  overall int not null check (overall between 1 and 5),
  practice_change text not null check (char_length(practice_change) between 1 and 5000),
  comments text check (char_length(comments) <= 5000),
  submitted_at timestamptz not null default now(),
  check (from_paper = (user_id is null)),
  check (not from_paper or entered_by is not null)
);
create unique index evaluations_one_per_person_idx on public.evaluations (session_id, user_id)
  where user_id is not null;

create table public.evaluation_ratings (
  evaluation_id uuid not null references public.evaluations (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete restrict,
  before int not null check (before between 1 and 5),
  after int not null check (after between 1 and 5),
  primary key (evaluation_id, outcome_id)
);
create index evaluation_ratings_outcome_idx on public.evaluation_ratings (outcome_id);

create table public.followups (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete restrict,
  user_id uuid not null references public.profiles (id) on delete cascade,
  requested_at timestamptz not null,
  reminded_at timestamptz,
  submitted_at timestamptz,
  applied public.followup_applied,
  example text check (char_length(example) <= 5000),
  barriers text check (char_length(barriers) <= 5000),
  unique (session_id, user_id),
  check ((submitted_at is null) = (applied is null))
);

create table public.followup_ratings (
  followup_id uuid not null references public.followups (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete restrict,
  now_rating int not null check (now_rating between 1 and 5),
  primary key (followup_id, outcome_id)
);

-- Outbox of emails; a sender (GOV.UK Notify in production, the mailbox locally) drains it.
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references public.profiles (id) on delete cascade,
  to_email text not null check (char_length(to_email) between 3 and 320),
  kind text not null check (kind ~ '^[a-z_]+$'),
  subject text not null check (char_length(subject) between 1 and 300),
  body text not null check (char_length(body) <= 20000),
  -- same key twice is the same email: scheduled jobs may run more than once
  dedupe_key text unique,
  status public.notification_status not null default 'pending',
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  error text,
  check ((status = 'sent') = (sent_at is not null))
);
create index notifications_pending_idx on public.notifications (created_at) where status = 'pending';

-- The idempotency ledger: one row per client mutation id, written in the same transaction
-- as the mutation's effect, so a retried mutation returns its stored result.
create table public.sync_mutations (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  device_id uuid not null,
  seq bigint not null check (seq >= 0),
  name text not null check (name ~ '^[a-z_]+\.[a-z_]+$'),
  -- clock time, not transaction time: the order mutations of one batch were applied in
  received_at timestamptz not null default clock_timestamp(),
  result jsonb not null
);
create index sync_mutations_device_idx on public.sync_mutations (user_id, device_id, seq);
