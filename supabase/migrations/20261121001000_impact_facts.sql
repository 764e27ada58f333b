-- Impact facts: one row per place on a register (a booking or a walk-in) with everything
-- the impact report counts — who (a pseudonymous person key), their agency, how the booking
-- ended, how they were marked, and their evaluation and follow-up. Kept up to date by
-- statement-level triggers as bookings, marks, evaluations and follow-ups arrive, so the
-- report reads one narrow table instead of working out each person's attendance from the
-- marks every time (ten years of marks took most of a second to sort).
--
-- The person key is the account id while the account exists, a hash of the email for a
-- walk-in; deleting an account or the retention policy replaces it with a random key, the
-- same on every row of that person, so the report's counts of distinct people stand.

create table public.impact_facts (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid unique references public.bookings (id) on delete set null,
  walk_in_id uuid unique references public.walk_in_attendees (id) on delete set null,
  person uuid not null,
  agency_id uuid references public.agencies (id) on delete set null,
  booking_status public.booking_status,
  waitlisted boolean not null default false,
  cancelled_at timestamptz,
  attendance public.attendance_status,
  evaluation_id uuid references public.evaluations (id) on delete set null,
  -- the evaluation's total change over its ratings, and how many ratings: a person's mean change
  change_sum int,
  change_n int,
  followup_id uuid references public.followups (id) on delete set null,
  followup_applied public.followup_applied,
  followup_barriers boolean not null default false
);
create index impact_facts_session_idx on public.impact_facts (session_id);
create index impact_facts_person_idx on public.impact_facts (person);
create unique index impact_facts_evaluation_idx on public.impact_facts (evaluation_id);
create unique index impact_facts_followup_idx on public.impact_facts (followup_id);
create index impact_facts_session_person_idx on public.impact_facts (session_id, person)
  where booking_id is not null;

-- The triggers below see the rows a statement wrote (usually one: a sync mutation; thousands
-- when the demo history is seeded). The planner cannot size those sets, so the triggers
-- look rows up by index, which is right for one row and fast enough for thousands.

-- Read only through the report's functions: no API role may touch it.
alter table public.impact_facts enable row level security;
revoke all on public.impact_facts from anon, authenticated;

create function public.walk_in_person(p_email text, p_id uuid) returns uuid
  language sql immutable set search_path = ''
as $$ select coalesce(md5('walk-in:' || lower(p_email))::uuid, p_id) $$;

create function public.impact_facts_bookings_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, booking_id, person, agency_id, booking_status, waitlisted, cancelled_at)
  select n.session_id, n.id, n.user_id, p.agency_id, n.status, n.waitlisted_at is not null, n.cancelled_at
  from new_rows n join public.profiles p on p.id = n.user_id;
  return null;
end
$$;

create function public.impact_facts_bookings_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set booking_status = n.status, waitlisted = n.waitlisted_at is not null, cancelled_at = n.cancelled_at
  from new_rows n
  where f.booking_id = n.id
    and (f.booking_status, f.waitlisted, f.cancelled_at) is distinct from
        (n.status, n.waitlisted_at is not null, n.cancelled_at);
  return null;
end
$$;

create function public.impact_facts_walk_ins_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, walk_in_id, person, agency_id)
  select n.session_id, n.id, public.walk_in_person(n.email, n.id), n.agency_id from new_rows n;
  return null;
end
$$;

create function public.impact_facts_marks_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- the mark that counts for the report: the latest a person made; closing the register's
  -- no-show only when nobody marked them
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.booking_id) e.booking_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
        from public.attendance_events e
        where e.booking_id in (select n.booking_id from new_rows n)
        order by e.booking_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.booking_id = m.booking_id and f.attendance is distinct from m.status;
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.walk_in_id) e.walk_in_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
        from public.attendance_events e
        where e.walk_in_id in (select n.walk_in_id from new_rows n)
        order by e.walk_in_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.walk_in_id = m.walk_in_id and f.attendance is distinct from m.status;
  return null;
end
$$;

-- An evaluation or follow-up belongs to one place: the person's live booking on the session
-- (or, if they cancelled it afterwards, the cancelled one), never to two rows.
create function public.impact_place_of(p_session_id uuid, p_person uuid) returns uuid
  language sql stable set search_path = ''
as $$
  select x.id from public.impact_facts x
  where x.session_id = p_session_id and x.person = p_person and x.booking_id is not null
  order by (x.booking_status in ('cancelled', 'declined')), x.id limit 1
$$;

create function public.impact_facts_evaluations_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set evaluation_id = n.id
  from new_rows n where n.user_id is not null and f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;

create function public.impact_facts_followups_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_id = n.id, followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n where f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;


-- A follow-up rating carries the end-of-course rating it is compared with (retention), so the
-- report need not look it up among every rating.
alter table public.followup_ratings add column end_rating int check (end_rating between 1 and 5);

create function public.followup_rating_end() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  new.end_rating := (select r.after from public.followups f
    join public.evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
    join public.evaluation_ratings r on r.evaluation_id = e.id and r.outcome_id = new.outcome_id
    where f.id = new.followup_id);
  return new;
end
$$;
create trigger followup_rating_end before insert on public.followup_ratings
  for each row execute function public.followup_rating_end();

-- Per-session totals of ratings (evaluations by booked people and paper forms) and of
-- follow-up ratings against the end-of-course ones. Ratings never change once given, so the
-- totals only grow. Reports over the whole partnership or a trainer's sessions read these;
-- reports narrowed to an agency or a sector count the people's own rows.
create table public.impact_session_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_before int not null,
  sum_after int not null,
  primary key (session_id, outcome_id, change)
);
create table public.impact_session_followup_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_end int not null,
  sum_now int not null,
  primary key (session_id, outcome_id, change)
);
alter table public.impact_session_ratings enable row level security;
alter table public.impact_session_followup_ratings enable row level security;
revoke all on public.impact_session_ratings, public.impact_session_followup_ratings from anon, authenticated;

create function public.impact_session_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- each evaluation's total change, on its place
  update public.impact_facts f set change_sum = c.change_sum, change_n = c.change_n
  from (select r.evaluation_id, sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
        from public.evaluation_ratings r
        where r.evaluation_id in (select n.evaluation_id from new_rows n)
        group by r.evaluation_id) c
  where f.evaluation_id = c.evaluation_id;
  -- and the session's totals
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select e.session_id, n.outcome_id, n.after - n.before, count(*), sum(n.before), sum(n.after)
  from new_rows n join public.evaluations e on e.id = n.evaluation_id
  where e.from_paper or exists (select 1 from public.impact_facts f where f.evaluation_id = e.id)
  group by e.session_id, n.outcome_id, n.after - n.before
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
  return null;
end
$$;

create function public.impact_session_followup_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_session_followup_ratings as t (session_id, outcome_id, change, n, sum_end, sum_now)
  select fu.session_id, n.outcome_id, n.now_rating - n.end_rating, count(*), sum(n.end_rating), sum(n.now_rating)
  from new_rows n join public.followups fu on fu.id = n.followup_id
  where n.end_rating is not null and exists (select 1 from public.impact_facts f where f.followup_id = fu.id)
  group by fu.session_id, n.outcome_id, n.now_rating - n.end_rating
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_end = t.sum_end + excluded.sum_end, sum_now = t.sum_now + excluded.sum_now;
  return null;
end
$$;

-- A follow-up's answer, on its place: counted without reading the follow-ups.
create function public.impact_facts_followups_answered() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n
  where f.followup_id = n.id
    and (f.followup_applied, f.followup_barriers) is distinct from (n.applied, n.barriers is not null);
  return null;
end
$$;

-- A person's agency is the one on their profile: moving agency moves their history with them
-- (as the report did when it read profiles directly).
create function public.impact_facts_profiles_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set agency_id = n.agency_id
  from new_rows n join old_rows o on o.id = n.id
  where n.agency_id is distinct from o.agency_id and f.person = n.id and f.booking_id is not null;
  return null;
end
$$;

create trigger impact_facts_bookings_inserted after insert on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_inserted();
create trigger impact_facts_bookings_updated after update on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_updated();
create trigger impact_facts_walk_ins_inserted after insert on public.walk_in_attendees
  referencing new table as new_rows for each statement execute function public.impact_facts_walk_ins_inserted();
create trigger impact_facts_marks_inserted after insert on public.attendance_events
  referencing new table as new_rows for each statement execute function public.impact_facts_marks_inserted();
create trigger impact_facts_evaluations_inserted after insert on public.evaluations
  referencing new table as new_rows for each statement execute function public.impact_facts_evaluations_inserted();
create trigger impact_facts_followups_answered after update on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_answered();
create trigger impact_session_ratings_added after insert on public.evaluation_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_ratings_added();
create trigger impact_session_followup_ratings_added after insert on public.followup_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_followup_ratings_added();
create trigger impact_facts_followups_inserted after insert on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_inserted();
create trigger impact_facts_profiles_updated after update on public.profiles
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.impact_facts_profiles_updated();

-- Whatever is already there (the migration runs before the seed, but a database that has
-- data gets its facts too).
insert into public.impact_facts (session_id, booking_id, person, agency_id, booking_status, waitlisted, cancelled_at)
select b.session_id, b.id, b.user_id, p.agency_id, b.status, b.waitlisted_at is not null, b.cancelled_at
from public.bookings b join public.profiles p on p.id = b.user_id;
insert into public.impact_facts (session_id, walk_in_id, person, agency_id)
select w.session_id, w.id, public.walk_in_person(w.email, w.id), w.agency_id from public.walk_in_attendees w;
update public.impact_facts f set attendance = m.status
from (select distinct on (coalesce(e.booking_id, e.walk_in_id)) coalesce(e.booking_id, e.walk_in_id) as attendee,
        case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
      from public.attendance_events e
      order by coalesce(e.booking_id, e.walk_in_id), (e.source = 'closure'), e.marked_at desc, e.id desc) m
where coalesce(f.booking_id, f.walk_in_id) = m.attendee;
update public.impact_facts f set evaluation_id = e.id
from public.evaluations e where e.user_id is not null and f.id = public.impact_place_of(e.session_id, e.user_id);
update public.impact_facts f set change_sum = c.change_sum, change_n = c.change_n
from (select r.evaluation_id, sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
      from public.evaluation_ratings r group by r.evaluation_id) c
where f.evaluation_id = c.evaluation_id;
alter table public.followup_ratings disable trigger followup_ratings_immutable;
update public.followup_ratings fr set end_rating = r.after
from public.followups f
join public.evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
join public.evaluation_ratings r on r.evaluation_id = e.id
where f.id = fr.followup_id and r.outcome_id = fr.outcome_id;
alter table public.followup_ratings enable trigger followup_ratings_immutable;
update public.impact_facts f
set followup_id = fu.id, followup_applied = fu.applied, followup_barriers = fu.barriers is not null
from public.followups fu where f.id = public.impact_place_of(fu.session_id, fu.user_id);
insert into public.impact_session_ratings (session_id, outcome_id, change, n, sum_before, sum_after)
select e.session_id, r.outcome_id, r.after - r.before, count(*), sum(r.before), sum(r.after)
from public.evaluation_ratings r join public.evaluations e on e.id = r.evaluation_id
where e.from_paper or exists (select 1 from public.impact_facts f where f.evaluation_id = e.id)
group by e.session_id, r.outcome_id, r.after - r.before;
insert into public.impact_session_followup_ratings (session_id, outcome_id, change, n, sum_end, sum_now)
select fu.session_id, r.outcome_id, r.now_rating - r.end_rating, count(*), sum(r.end_rating), sum(r.now_rating)
from public.followup_ratings r join public.followups fu on fu.id = r.followup_id
where r.end_rating is not null and exists (select 1 from public.impact_facts f where f.followup_id = fu.id)
group by fu.session_id, r.outcome_id, r.now_rating - r.end_rating;

-- The report's rows now come from the facts: one row per place on a register in scope.
drop function public.impact_people(timestamptz, timestamptz, jsonb);
create function public.impact_people(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz)
  language plpgsql stable security definer set search_path = ''
  -- a year of the partnership is some 6,000 rows: tell the planner, so it hashes its joins
  rows 20000
as $$
declare
  v_uid uuid := auth.uid();
  v_admin boolean := public.has_staff_role('admin');
  v_lead_agency uuid := (select r.agency_id from public.staff_roles r
                         where r.user_id = auth.uid() and r.role = 'agency_lead');
  v_trainer boolean := public.has_staff_role('trainer');
  -- the filters, read once (not once per row)
  v_course uuid := (p_filters ->> 'course_id')::uuid;
  v_format text := p_filters ->> 'format';
  v_theme text := p_filters ->> 'theme';
  v_agency uuid := (p_filters ->> 'agency_id')::uuid;
  v_sector text := p_filters ->> 'sector';
begin
  if v_uid is null or not (v_admin or v_lead_agency is not null or v_trainer) then
    raise exception 'Impact reports are for the partnership''s admins, agency safeguarding leads and trainers'
      using errcode = '42501';
  end if;
  return query
  select s.id, s.course_id, s.starts_at, s.capacity, f.person, f.agency_id, a.sector, f.booking_id, f.walk_in_id,
    f.booking_status, f.waitlisted,
    coalesce(f.booking_status = 'cancelled' and f.cancelled_at > s.starts_at - interval '48 hours', false),
    f.attendance, coalesce(f.attendance in ('present', 'late', 'left_early'), false), f.evaluation_id,
    f.change_sum, f.change_n, f.followup_id, f.followup_applied, f.followup_barriers, s.month
  from (
    -- the sessions in scope, each with its month worked out once (not once per person)
    select s.id, s.course_id, s.starts_at, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= p_from and s.starts_at < p_to
      and (v_course is null or c.id = v_course)
      and (v_format is null or c.format::text = v_format)
      and (v_theme is null or v_theme = any (c.themes))
      and (v_admin or v_lead_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_uid))
    offset 0) s
  join public.impact_facts f on f.session_id = s.id
  left join public.agencies a on a.id = f.agency_id
  where (v_lead_agency is null or f.agency_id = v_lead_agency)
    and (v_agency is null or f.agency_id = v_agency)
    and (v_sector is null or a.sector::text = v_sector);
end
$$;

-- The same report (same shape) from the facts, each figure from as few passes as it needs.
create or replace function public.impact_report(p_filters jsonb default '{}') returns jsonb
  language plpgsql stable security definer set search_path = ''
  -- the report's intermediate results hash in memory; the planner cannot estimate them,
  -- and a nested loop over tens of thousands of rows never ends
  set work_mem = '32MB'
  set enable_nestloop = off
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_previous_from timestamptz;
  v_lead boolean := exists (select 1 from public.staff_roles r where r.user_id = auth.uid() and r.role = 'agency_lead');
  -- narrowed to people (an agency or a sector): count their own rows, not the sessions' totals
  v_by_person boolean := v_lead or p_filters ->> 'agency_id' is not null or p_filters ->> 'sector' is not null;
  v_result jsonb;
begin
  if jsonb_typeof(coalesce(p_filters, '{}')) <> 'object' then
    raise exception 'Filters must be a JSON object' using errcode = '22023';
  end if;
  begin
    v_from := ((p_filters ->> 'from')::date)::timestamp at time zone 'Europe/London';
    v_to := (((p_filters ->> 'to')::date) + 1)::timestamp at time zone 'Europe/London';
  exception when others then
    raise exception 'from and to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_from is null or v_to is null or v_to <= v_from then
    raise exception 'Choose a period: from and to dates, with from before to' using errcode = '22023';
  end if;
  if v_to - v_from > interval '11 years' then
    raise exception 'A report covers at most ten years' using errcode = '22023';
  end if;
  if p_filters ->> 'sector' is not null
     and p_filters ->> 'sector' not in (select unnest(enum_range(null::public.sector))::text) then
    raise exception 'Unknown sector "%"', left(p_filters ->> 'sector', 40) using errcode = '22023';
  end if;
  if p_filters ->> 'format' is not null
     and p_filters ->> 'format' not in (select unnest(enum_range(null::public.course_format))::text) then
    raise exception 'Unknown format "%"', left(p_filters ->> 'format', 40) using errcode = '22023';
  end if;
  if coalesce(p_filters ->> 'course_id', p_filters ->> 'agency_id') is not null
     and not (coalesce(p_filters ->> 'course_id', '00000000-0000-0000-0000-000000000000') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
              and coalesce(p_filters ->> 'agency_id', '00000000-0000-0000-0000-000000000000') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$') then
    raise exception 'course_id and agency_id must be ids from the brochure and the agency list' using errcode = '22023';
  end if;
  v_previous_from := v_from - (v_to - v_from);

  with people as materialized (
    -- the places in scope, narrowed to what the figures need
    select pe.session_id, pe.course_id, pe.capacity, pe.month, pe.person, pe.agency_id,
      pe.booking_status is not null as booked, pe.attended,
      pe.booking_status = 'confirmed' and pe.attendance = 'absent' as no_show,
      pe.late_cancellation,
      pe.waitlisted and pe.booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
        and pe.attendance is null as unmet,
      pe.evaluation_id, pe.change_sum, pe.change_n, pe.followup_id, pe.followup_applied, pe.followup_barriers
    from public.impact_people(v_from, v_to, p_filters) pe
  ), attended_people as materialized (
    -- each person once per agency they attended from (one agency, unless a walk-in's differs)
    select distinct pe.person, pe.agency_id from people pe where pe.attended
  ), session_counts as materialized (
    select pe.session_id, pe.course_id, pe.capacity, pe.month,
      count(*) filter (where pe.booked) as booked,
      count(*) filter (where pe.attended) as attended,
      count(*) filter (where pe.no_show) as no_shows,
      count(*) filter (where pe.late_cancellation) as late_cancellations,
      count(*) filter (where pe.unmet) as unmet_demand,
      count(pe.evaluation_id) as responses,
      count(pe.followup_id) as followups,
      count(pe.followup_applied) as followups_answered,
      count(*) filter (where pe.followup_applied = 'yes') as applied_yes,
      count(*) filter (where pe.followup_applied = 'partly') as applied_partly,
      count(*) filter (where pe.followup_applied = 'no') as applied_no
    from people pe group by pe.session_id, pe.course_id, pe.capacity, pe.month
  ), agency_counts as materialized (
    select pe.agency_id, count(*) filter (where pe.booked) as booked, count(*) filter (where pe.attended) as attended,
      count(*) filter (where pe.no_show) as no_shows
    from people pe group by pe.agency_id
  ), month_people as (
    select m.month, count(*) as people from (
      select distinct pe.month, pe.person from people pe where pe.attended) m
    group by m.month
  ), month_counts as (
    select to_char(sc.month at time zone 'Europe/London', 'YYYY-MM') as month,
      coalesce(mp.people, 0) as people, sum(sc.booked) as booked, sum(sc.attended) as attended
    from session_counts sc left join month_people mp on mp.month = sc.month
    group by sc.month, mp.people
  ), paper as materialized (
    -- paper forms belong to no agency: they count for the partnership and for trainers
    select e.id, s.course_id, c.change_sum, c.change_n
    from public.evaluations e join public.sessions s on s.id = e.session_id
    cross join lateral (select sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
                        from public.evaluation_ratings r where r.evaluation_id = e.id) c
    where e.from_paper and e.session_id in (select sc.session_id from session_counts sc)
      and not v_by_person
  ), ratings as materialized (
    -- each course's ratings as (outcome, change): n, sum before, sum after — from the
    -- sessions' totals, or from the people's own evaluations when narrowed to an agency
    select sc.course_id, r.outcome_id, r.change, r.n, r.sum_before, r.sum_after
    from public.impact_session_ratings r join session_counts sc on sc.session_id = r.session_id
    where not v_by_person
    union all
    select pe.course_id, r.outcome_id, r.after - r.before, 1, r.before, r.after
    from people pe join public.evaluation_ratings r on r.evaluation_id = pe.evaluation_id
    where v_by_person
  ), person_changes as (
    -- each respondent's mean change across the outcomes, as "sum/count": exact, and small
    select d.course_id, jsonb_object_agg(d.v, d.n) as counts from (
      select ev.course_id, ev.change_sum::text || '/' || ev.change_n::text as v, count(*) as n
      from (select pe.course_id, pe.change_sum, pe.change_n from people pe where pe.evaluation_id is not null
            union all
            select pa.course_id, pa.change_sum, pa.change_n from paper pa) ev
      where ev.change_n > 0
      group by ev.course_id, ev.change_sum, ev.change_n) d
    group by d.course_id
  ), outcome_rows as (
    select o.course_id, jsonb_agg(jsonb_build_object(
        'outcome_id', o.outcome_id, 'position', lo.position, 'text', lo.text, 'n', o.n,
        'sum_before', o.sum_before, 'sum_after', o.sum_after, 'changes', o.changes) order by lo.position) as outcomes
    from (select c.course_id, c.outcome_id, sum(c.n) as n, sum(c.sum_before) as sum_before, sum(c.sum_after) as sum_after,
            jsonb_object_agg(c.change::text, c.n) as changes
          from (select r.course_id, r.outcome_id, r.change, sum(r.n) as n,
                  sum(r.sum_before) as sum_before, sum(r.sum_after) as sum_after
                from ratings r group by r.course_id, r.outcome_id, r.change) c
          group by c.course_id, c.outcome_id) o
    join public.learning_outcomes lo on lo.id = o.outcome_id
    group by o.course_id
  ), course_counts as (
    select sc.course_id, count(*) as sessions, sum(sc.capacity) as capacity, sum(sc.booked) as booked,
      sum(sc.attended) as attended, sum(sc.no_shows) as no_shows, sum(sc.late_cancellations) as late_cancellations,
      sum(sc.unmet_demand) as unmet_demand, sum(sc.responses) as responses
    from session_counts sc group by sc.course_id
  ), course_responses as (
    select r.course_id, sum(r.responses) as responses from (
      select cc.course_id, cc.responses from course_counts cc
      union all
      select pa.course_id, count(*) from paper pa group by pa.course_id) r
    group by r.course_id having sum(r.responses) > 0
  ), followup_ratings as (
    select sc.course_id, r.outcome_id, r.change, r.n, r.sum_end, r.sum_now
    from public.impact_session_followup_ratings r join session_counts sc on sc.session_id = r.session_id
    where not v_by_person
    union all
    select pe.course_id, fr.outcome_id, fr.now_rating - fr.end_rating, 1, fr.end_rating, fr.now_rating
    from people pe join public.followup_ratings fr on fr.followup_id = pe.followup_id
    where v_by_person and fr.end_rating is not null
  )
  select jsonb_build_object(
    'period', jsonb_build_object('from', p_filters ->> 'from', 'to', p_filters ->> 'to',
      'previous_from', to_char(v_previous_from at time zone 'Europe/London', 'YYYY-MM-DD')),
    'scope', case when public.has_staff_role('admin') then 'partnership' when v_lead then 'agency' else 'trainer' end,
    'reach', jsonb_build_object(
      'people', (select count(*) from (select distinct ap.person from attended_people ap) d),
      'places_booked', (select coalesce(sum(sc.booked), 0) from session_counts sc),
      'agencies', (select count(distinct ap.agency_id) from attended_people ap),
      'previous', (select jsonb_build_object(
          'people', count(distinct pv.person) filter (where pv.attended),
          'places_booked', count(*) filter (where pv.booking_status is not null))
        from public.impact_people(v_previous_from, v_from, p_filters) pv),
      'by_agency', coalesce((select jsonb_agg(x order by x.people desc, x.agency) from (
        select coalesce(a.name, 'Not recorded') as agency, a.sector, coalesce(max(ap.people), 0) as people,
          sum(g.booked) as booked, sum(g.attended) as attended, sum(g.no_shows) as no_shows
        from agency_counts g
        left join (select ap.agency_id, count(*) as people from attended_people ap group by ap.agency_id) ap
          on ap.agency_id is not distinct from g.agency_id
        left join public.agencies a on a.id = g.agency_id
        group by a.name, a.sector) x), '[]'),
      'by_sector', coalesce((select jsonb_agg(x order by x.people desc) from (
        select coalesce(s.sector::text, 'not_recorded') as sector, s.people, c.attended
        from (select a.sector, count(distinct ap.person) as people
              from attended_people ap left join public.agencies a on a.id = ap.agency_id group by a.sector) s
        join (select a.sector, sum(g.attended) as attended
              from agency_counts g left join public.agencies a on a.id = g.agency_id group by a.sector) c
          on c.sector is not distinct from s.sector) x), '[]'),
      -- every month of the period, with zeros, so a quiet month shows as one
      'by_month', coalesce((select jsonb_agg(jsonb_build_object('month', m.month,
          'people', coalesce(c.people, 0), 'booked', coalesce(c.booked, 0), 'attended', coalesce(c.attended, 0))
          order by m.month)
        from (select to_char(g, 'YYYY-MM') as month
              from generate_series(date_trunc('month', v_from at time zone 'Europe/London'),
                                   (v_to at time zone 'Europe/London') - interval '1 day', interval '1 month') g) m
        left join month_counts c on c.month = m.month), '[]')),
    'attendance', (select jsonb_build_object(
      'attended', coalesce(sum(sc.attended), 0),
      'no_shows', coalesce(sum(sc.no_shows), 0),
      'late_cancellations', coalesce(sum(sc.late_cancellations), 0),
      'unmet_demand', coalesce(sum(sc.unmet_demand), 0),
      'by_course', coalesce((select jsonb_agg(jsonb_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', cc.sessions,
          'capacity', coalesce(cc.capacity, 0), 'booked', cc.booked, 'attended', cc.attended,
          'no_shows', cc.no_shows, 'late_cancellations', cc.late_cancellations, 'unmet_demand', cc.unmet_demand)
          order by c.title)
        from course_counts cc join public.courses c on c.id = cc.course_id), '[]'))
      from session_counts sc),
    'learning', jsonb_build_object(
      'responses', (select coalesce(sum(sc.responses), 0) from session_counts sc) + (select count(*) from paper),
      'courses', coalesce((select jsonb_agg(jsonb_build_object(
          'course_id', c.id, 'title', c.title, 'attended', coalesce(cc.attended, 0), 'responses', cr.responses,
          'person_changes', coalesce(pc.counts, '{}'), 'outcomes', coalesce(o.outcomes, '[]'))
          order by c.title)
        from course_responses cr join public.courses c on c.id = cr.course_id
        left join course_counts cc on cc.course_id = cr.course_id
        left join person_changes pc on pc.course_id = cr.course_id
        left join outcome_rows o on o.course_id = cr.course_id), '[]')),
    'followup', (select jsonb_build_object(
      'requested', coalesce(sum(sc.followups), 0),
      'answered', coalesce(sum(sc.followups_answered), 0),
      'applied', jsonb_build_object(
        'yes', coalesce(sum(sc.applied_yes), 0),
        'partly', coalesce(sum(sc.applied_partly), 0),
        'no', coalesce(sum(sc.applied_no), 0)),
      'outcomes', coalesce((select jsonb_agg(x order by x.title, x.position) from (
        select c.title, lo.position, lo.text, sum(g.n) as n, sum(g.sum_end) as sum_end, sum(g.sum_now) as sum_now,
          jsonb_object_agg(g.change::text, g.n) as changes
        from (select fr.course_id, fr.outcome_id, fr.change, sum(fr.n) as n, sum(fr.sum_end) as sum_end,
                sum(fr.sum_now) as sum_now
              from followup_ratings fr group by fr.course_id, fr.outcome_id, fr.change) g
        join public.learning_outcomes lo on lo.id = g.outcome_id
        join public.courses c on c.id = g.course_id
        group by c.title, lo.position, lo.text) x), '[]'),
      'barriers', coalesce((select jsonb_agg(b.barriers) from (
        select fu.barriers from public.followups fu
        where fu.id in (select p2.followup_id from people p2 where p2.followup_barriers)
        order by fu.id limit 20) b), '[]'))
      from session_counts sc),
    'quotes', coalesce((select jsonb_agg(q) from (
        select e.practice_change as text, c.title as course
        from (select pe.evaluation_id as id, pe.course_id from people pe where pe.evaluation_id is not null
              union all
              select pa.id, pa.course_id from paper pa) ev
        join public.evaluations e on e.id = ev.id
        join public.courses c on c.id = ev.course_id
        where p_filters ->> 'quote_search' is null
           or e.practice_change ilike '%' || replace(replace(p_filters ->> 'quote_search', '%', '\%'), '_', '\_') || '%'
        order by ev.id limit 12) q), '[]')
  ) into v_result;
  return v_result;
end
$$;

create or replace function public.impact_export(p_kind text, p_filters jsonb default '{}') returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  begin
    v_from := ((p_filters ->> 'from')::date)::timestamp at time zone 'Europe/London';
    v_to := (((p_filters ->> 'to')::date) + 1)::timestamp at time zone 'Europe/London';
  exception when others then
    raise exception 'from and to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_from is null or v_to is null or v_to <= v_from then
    raise exception 'Choose a period: from and to dates, with from before to' using errcode = '22023';
  end if;
  if p_kind = 'bookings' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'format', c.format, 'session_starts', pe.starts_at,
        'name', pr.full_name, 'email', pr.email, 'agency', a.name, 'sector', a.sector,
        'status', b.status, 'booked_at', b.created_at, 'cancelled_at', b.cancelled_at,
        'late_cancellation', pe.late_cancellation, 'attendance', pe.attendance)
        order by pe.starts_at, c.title, pr.full_name)
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.bookings b on b.id = pe.booking_id
      join public.profiles pr on pr.id = b.user_id
      join public.courses c on c.id = pe.course_id
      left join public.agencies a on a.id = pe.agency_id), '[]');
  elsif p_kind = 'registers' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'session_starts', pe.starts_at,
        'name', coalesce(pr.full_name, w.full_name), 'agency', coalesce(a.name, w.agency_name),
        'booked', pe.booking_id is not null, 'attendance', coalesce(pe.attendance::text, 'not marked'))
        order by pe.starts_at, c.title, coalesce(pr.full_name, w.full_name))
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.courses c on c.id = pe.course_id
      left join public.bookings b on b.id = pe.booking_id
      left join public.profiles pr on pr.id = b.user_id
      left join public.walk_in_attendees w on w.id = pe.walk_in_id
      left join public.agencies a on a.id = pe.agency_id
      where pe.booking_status is null or pe.booking_status in ('confirmed', 'cancelled') or pe.attendance is not null), '[]');
  elsif p_kind = 'evaluations' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'session_starts', s.starts_at, 'sector', a.sector,
        'outcome', lo.text, 'before', r.before, 'after', r.after, 'usefulness', e.overall,
        'practice_change', e.practice_change, 'from_paper', e.from_paper)
        order by s.starts_at, c.title, md5(e.id::text), lo.position)
      from public.evaluations e
      join public.sessions s on s.id = e.session_id
      join public.courses c on c.id = s.course_id
      join public.evaluation_ratings r on r.evaluation_id = e.id
      join public.learning_outcomes lo on lo.id = r.outcome_id
      left join public.profiles pr on pr.id = e.user_id
      left join public.agencies a on a.id = pr.agency_id
      where e.id in (select pe.evaluation_id from public.impact_people(v_from, v_to, p_filters) pe)
        or (e.from_paper and e.session_id in (select pe.session_id from public.impact_people(v_from, v_to, p_filters) pe)
            and not exists (select 1 from public.staff_roles sr where sr.user_id = auth.uid() and sr.role = 'agency_lead'))), '[]');
  end if;
  raise exception 'Export must be bookings, registers or evaluations (got "%")', left(coalesce(p_kind, ''), 40)
    using errcode = '22023';
end
$$;
