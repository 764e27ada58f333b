-- Row Level Security on every table. The app reaches data only through RPC functions;
-- the grants below are what those security-invoker functions need, and RLS decides rows.

create function public.has_staff_role(p_role public.staff_role) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.staff_roles r where r.user_id = auth.uid() and r.role = p_role
  )
$$;

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

create function public.course_is_published(p_course_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.courses c where c.id = p_course_id and c.status = 'published')
$$;

revoke all on all tables in schema public from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;
revoke execute on all functions in schema public from public, anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke execute on functions from anon, authenticated;
-- PUBLIC's default EXECUTE can only be revoked globally, not per schema
alter default privileges revoke execute on functions from public;

grant execute on function public.has_staff_role(public.staff_role),
  public.teaches_session(uuid), public.course_is_published(uuid),
  public.my_trainer_audiences() to anon, authenticated;

alter table public.agencies enable row level security;
alter table public.profiles enable row level security;
alter table public.staff_roles enable row level security;
alter table public.courses enable row level security;
alter table public.learning_outcomes enable row level security;
alter table public.sessions enable row level security;
alter table public.session_trainers enable row level security;
alter table public.bookings enable row level security;
alter table public.walk_in_attendees enable row level security;
alter table public.attendance_events enable row level security;
alter table public.register_closures enable row level security;
alter table public.evaluations enable row level security;
alter table public.evaluation_ratings enable row level security;
alter table public.followups enable row level security;
alter table public.followup_ratings enable row level security;
alter table public.notifications enable row level security;
alter table public.sync_mutations enable row level security;
alter table public.change_log enable row level security;

-- The brochure is public.
grant select on public.agencies, public.courses, public.learning_outcomes, public.sessions,
  public.change_log to anon, authenticated;

create policy agencies_read on public.agencies for select to anon, authenticated using (true);

create policy courses_read_published on public.courses for select to anon, authenticated
  using (status = 'published');
create policy courses_read_admin on public.courses for select to authenticated
  using (public.has_staff_role('admin'));

create policy outcomes_read_published on public.learning_outcomes for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy outcomes_read_admin on public.learning_outcomes for select to authenticated
  using (public.has_staff_role('admin'));

create policy sessions_read_published on public.sessions for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy sessions_read_admin on public.sessions for select to authenticated
  using (public.has_staff_role('admin'));

-- Who hears about a change; whether they may read the row is the row's own policy.
create policy change_log_read on public.change_log for select to anon, authenticated
  using (
    audience = 'public'
    or audience = 'user:' || (select auth.uid())
    or (audience = 'admin' and (select public.has_staff_role('admin')))
    or audience in (select unnest(public.my_trainer_audiences()))
  );

-- A person's own records.
grant select, update (full_name, agency_id, job_role) on public.profiles to authenticated;
create policy profiles_read_own on public.profiles for select to authenticated
  using (id = auth.uid() or public.has_staff_role('admin'));
create policy profiles_update_own on public.profiles for update to authenticated
  using (id = auth.uid()) with check (id = auth.uid());

grant select on public.staff_roles to authenticated;
create policy staff_roles_read on public.staff_roles for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));

grant select on public.session_trainers to authenticated;
create policy session_trainers_read on public.session_trainers for select to authenticated
  using (trainer_id = auth.uid() or public.has_staff_role('admin'));

grant select on public.bookings to authenticated;
create policy bookings_read on public.bookings for select to authenticated
  using (user_id = auth.uid() or public.teaches_session(session_id) or public.has_staff_role('admin'));

grant select on public.walk_in_attendees, public.attendance_events, public.register_closures
  to authenticated;
create policy walk_ins_read on public.walk_in_attendees for select to authenticated
  using (public.teaches_session(session_id) or public.has_staff_role('admin'));
create policy attendance_read on public.attendance_events for select to authenticated
  using (public.teaches_session(session_id) or public.has_staff_role('admin'));
create policy closures_read on public.register_closures for select to authenticated
  using (public.teaches_session(session_id) or public.has_staff_role('admin'));

-- Evaluations are personal: trainers see aggregates through report functions, not rows.
grant select on public.evaluations, public.evaluation_ratings, public.followups,
  public.followup_ratings to authenticated;
create policy evaluations_read on public.evaluations for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));
create policy evaluation_ratings_read on public.evaluation_ratings for select to authenticated
  using (exists (
    select 1 from public.evaluations e where e.id = evaluation_id
      and (e.user_id = auth.uid() or public.has_staff_role('admin'))
  ));
create policy followups_read on public.followups for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));
create policy followup_ratings_read on public.followup_ratings for select to authenticated
  using (exists (
    select 1 from public.followups f where f.id = followup_id
      and (f.user_id = auth.uid() or public.has_staff_role('admin'))
  ));

grant select on public.notifications to authenticated;
create policy notifications_read on public.notifications for select to authenticated
  using (user_id = auth.uid());

-- The ledger: a user records and reads only their own mutations.
grant select, insert on public.sync_mutations to authenticated;
create policy sync_mutations_read on public.sync_mutations for select to authenticated
  using (user_id = auth.uid());
create policy sync_mutations_insert on public.sync_mutations for insert to authenticated
  with check (user_id = auth.uid());
