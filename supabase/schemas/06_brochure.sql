-- The brochure: courses with their learning outcomes, their sessions, and the trainers
-- who run each session. Published courses are public; drafts and archived courses are
-- the admins'. A session's joining link is the one thing about it that is not public: it
-- is read only through session_join_url, never from the table.

-- A course's questions at booking: at most 5, each 5 to 300 characters.
create function public.booking_questions_valid(p_questions text[]) returns boolean
  language sql immutable set search_path = ''
as $$
  select cardinality(p_questions) <= 5
    and coalesce((select bool_and(char_length(q) between 5 and 300) from unnest(p_questions) q), true)
$$;

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
  -- training that must be renewed: years after someone completes it that it falls due again
  renew_years int check (renew_years between 1 and 10),
  -- asked when booking (access needs, reasonable adjustments); answers are optional
  booking_questions text[] not null default '{}' check (public.booking_questions_valid(booking_questions)),
  check (status <> 'published' or published_at is not null),
  check (elearning_url is null or format = 'elearning'),
  check (format <> 'elearning' or status <> 'published' or elearning_url is not null)
);
create index courses_status_idx on public.courses (status);
alter table public.courses enable row level security;
grant select on public.courses to anon, authenticated;
create policy courses_read_published on public.courses for select to anon, authenticated
  using (status = 'published');
create policy courses_read_admin on public.courses for select to authenticated
  using (public.has_staff_role('admin'));
create trigger courses_track after insert or update or delete on public.courses
  for each row execute function public.track_row_change('course', 'id', 'public');
create trigger courses_updated_at before update on public.courses
  for each row execute function public.touch_updated_at();

create function public.course_is_published(p_course_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.courses c where c.id = p_course_id and c.status = 'published')
$$;
grant execute on function public.course_is_published(uuid) to anon, authenticated;

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
alter table public.learning_outcomes enable row level security;
grant select on public.learning_outcomes to anon, authenticated;
create policy outcomes_read_published on public.learning_outcomes for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy outcomes_read_admin on public.learning_outcomes for select to authenticated
  using (public.has_staff_role('admin'));
create trigger learning_outcomes_track after insert or update or delete on public.learning_outcomes
  for each row execute function public.track_row_change('learning_outcome', 'id', 'public');

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
  -- how many times its date, time, venue or joining link has changed: the SEQUENCE of the
  -- calendar entries the app makes for it, so a calendar replaces the entry it holds
  calendar_sequence int not null default 0 check (calendar_sequence >= 0),
  check (ends_at > starts_at),
  check (ends_at - starts_at <= interval '3 days'),
  check (booking_closes_at <= starts_at),
  check (venue_name is not null or join_url is not null),
  check ((status = 'cancelled') = (cancelled_reason is not null))
);
create index sessions_course_idx on public.sessions (course_id, starts_at);
create index sessions_starts_idx on public.sessions (starts_at);
alter table public.sessions enable row level security;
create policy sessions_read_published on public.sessions for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy sessions_read_admin on public.sessions for select to authenticated
  using (public.has_staff_role('admin'));
create trigger sessions_track after insert or update or delete on public.sessions
  for each row execute function public.track_row_change('session', 'id', 'public');
create trigger sessions_updated_at before update on public.sessions
  for each row execute function public.touch_updated_at();

-- Publishing or unpublishing a course changes who may read its outcomes and sessions too.
create function public.track_course_visibility() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform public.track_change('learning_outcome', lo.id, array['public'])
      from public.learning_outcomes lo where lo.course_id = new.id;
    perform public.track_change('session', s.id, array['public'])
      from public.sessions s where s.course_id = new.id;
  end if;
  return null;
end
$$;
create trigger courses_track_visibility after update on public.courses
  for each row execute function public.track_course_visibility();

create table public.session_trainers (
  -- its own id so an assignment can travel to a trainer's device as an entity
  id uuid not null unique default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  trainer_id uuid not null references public.profiles (id) on delete restrict,
  primary key (session_id, trainer_id)
);
create index session_trainers_trainer_idx on public.session_trainers (trainer_id);
alter table public.session_trainers enable row level security;
grant select on public.session_trainers to authenticated;
create policy session_trainers_read on public.session_trainers for select to authenticated
  using (trainer_id = auth.uid() or public.has_staff_role('admin'));
create trigger session_trainers_track after insert or update or delete on public.session_trainers
  for each row execute function public.track_row_change(
    'session_assignment', 'id', 'user:trainer_id', 'admin');

-- A trainer added to a session gains its bookings; one removed loses them. Either way
-- each booking is announced to that trainer, whose pull then reads it or a tombstone.
create function public.track_trainer_access() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_assignment public.session_trainers := coalesce(new, old);
begin
  perform public.track_change('booking', b.id, array['user:' || v_assignment.trainer_id])
    from public.bookings b where b.session_id = v_assignment.session_id;
  return null;
end
$$;
create trigger session_trainers_access after insert or delete on public.session_trainers
  for each row execute function public.track_trainer_access();

create function public.teaches_session(p_session_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.session_trainers t
    where t.session_id = p_session_id and t.trainer_id = auth.uid()
  )
$$;

-- The 'session:<id>' audiences of the sessions the caller teaches.
create function public.my_trainer_audiences() returns text[]
  language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg('session:' || t.session_id), '{}')
  from public.session_trainers t where t.trainer_id = auth.uid()
$$;
-- (run by the policies, as the caller)
grant execute on function public.teaches_session(uuid) to authenticated;
grant execute on function public.my_trainer_audiences() to anon, authenticated;

-- Who hears about a change; whether they may read the row is the row's own policy.
create policy change_log_read on public.change_log for select to anon, authenticated
  using (
    audience = 'public'
    or audience = 'user:' || (select auth.uid())
    or (audience = 'admin' and (select public.has_staff_role('admin')))
    or audience in (select unnest(public.my_trainer_audiences()))
  );

-- Everything about a session but its joining link is as public as its course.
grant select (id, course_id, starts_at, ends_at, venue_name, venue_address, capacity,
  waitlist_mode, offer_hours, booking_closes_at, status, cancelled_reason, created_at, updated_at,
  calendar_sequence)
  on public.sessions to anon, authenticated;

-- The joining link, for those who may join: people with a confirmed place, the session's
-- trainers and the partnership's admins. Null for everyone else.
create function public.session_join_url(p_session_id uuid) returns text
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return (
    select s.join_url from public.sessions s
    where s.id = p_session_id
      and (public.teaches_session(s.id) or public.has_staff_role('admin') or exists (
        select 1 from public.bookings b
        where b.session_id = s.id and b.user_id = auth.uid() and b.status = 'confirmed'))
  );
end
$$;
grant execute on function public.session_join_url(uuid) to authenticated;

-- The rows devices hold. A session's row, with its places, is built in 08_bookings.sql.
create function public.course_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(c) from public.courses c where c.id = p_id
$$;

create function public.learning_outcome_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(lo) from public.learning_outcomes lo where lo.id = p_id
$$;

-- A trainer's assignment carries the joining link of the session they run.
create function public.session_assignment_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object('id', t.id, 'session_id', t.session_id, 'trainer_id', t.trainer_id,
    'join_url', public.session_join_url(t.session_id))
  from public.session_trainers t where t.id = p_id
$$;
grant execute on function public.course_sync_row(uuid), public.learning_outcome_sync_row(uuid)
  to anon, authenticated;
grant execute on function public.session_assignment_sync_row(uuid) to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('course', 'public.course_sync_row(uuid)'),
  ('learning_outcome', 'public.learning_outcome_sync_row(uuid)'),
  ('session_assignment', 'public.session_assignment_sync_row(uuid)');
