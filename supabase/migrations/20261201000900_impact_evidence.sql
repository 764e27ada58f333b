-- The impact evidence an inspector can trust (supabase/schemas/08_bookings.sql,
-- 10_evaluations.sql, 12_impact_facts.sql, 13_impact_counts.sql, 14_impact_report.sql):
-- * small numbers: impact_min_n(), the smallest group a figure may describe; a trainer's
--   session results show nothing beyond how many answered until that many have, and send
--   the ratings as distributions for the app's one learning-gain function;
-- * comparisons: the report compares with the period the app chose by the calendar
--   (previous_from, previous_to), by default the same dates a year earlier, or as many
--   whole years before as a longer period spans;
-- * the definitions, stated once (impact_place_flags, impact_attended, and in words in
--   docs/impact-definitions.md): places are confirmed places, not every booking row; a
--   cancellation is a confirmed place given up (bookings.confirmed_at, impact_facts.held_place),
--   early or late, and someone promoted from the waiting list who then cancels is one, not
--   unmet demand;
-- * who counts: one person per account, however they came (a walk-in whose email is an
--   account's is that account, and their evaluation counts on the place they attended); an
--   evaluation counts only from a place attended, and someone the register shows did not
--   attend cannot send one.

alter table public.bookings add column confirmed_at timestamptz;
alter table public.impact_facts add column held_place boolean not null default false;
alter table public.impact_place_counts rename column booked to confirmed;
alter table public.impact_place_counts add column cancellations int not null default 0;
drop index public.impact_facts_session_person_idx;
create index impact_facts_session_person_idx on public.impact_facts (session_id, person);

drop function public.impact_place_flags(public.booking_status, boolean, timestamptz, public.attendance_status, timestamptz);


create function public.impact_min_n() returns int
  language sql immutable set search_path = ''
as $$ select 5 $$;

create or replace function public.session_results(p_session_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register(p_session_id);
  v_attended int;
  v_responses int;
  v_shown boolean;
begin
  select count(*) into v_attended from (
    select b.id from public.bookings b where b.session_id = v_session.id
      and public.attendance_status_of(b.id) in ('present', 'late', 'left_early')
    union all
    select w.id from public.walk_in_attendees w where w.session_id = v_session.id
      and (select h.status from public.attendance_heads(null, w.id) h order by h.marked_at desc limit 1)
          in ('present', 'late', 'left_early')
  ) a;
  select count(*) into v_responses from public.evaluations e where e.session_id = v_session.id;
  v_shown := v_responses >= public.impact_min_n();
  return jsonb_build_object(
    'attended', v_attended,
    'responses', v_responses,
    'from_paper', (select count(*) from public.evaluations e where e.session_id = v_session.id and e.from_paper),
    'min_n', public.impact_min_n(),
    'shown', v_shown,
    'overall_mean', case when v_shown then
      (select round(avg(e.overall), 2) from public.evaluations e where e.session_id = v_session.id) end,
    'outcomes', case when v_shown then coalesce((
      select jsonb_agg(jsonb_build_object(
          'outcome_id', o.id, 'position', o.position, 'text', o.text,
          'n', coalesce(r.n, 0), 'sum_before', coalesce(r.sum_before, 0), 'sum_after', coalesce(r.sum_after, 0),
          'changes', coalesce(r.changes, '{}'::jsonb))
        order by o.position)
      from public.session_outcomes(v_session.id) o
      left join lateral (
        select sum(c.n)::int as n, sum(c.sum_before)::int as sum_before, sum(c.sum_after)::int as sum_after,
          jsonb_object_agg(c.change::text, c.n) as changes
        from (select rt.after - rt.before as change, count(*)::int as n,
                sum(rt.before)::int as sum_before, sum(rt.after)::int as sum_after
              from public.evaluation_ratings rt join public.evaluations e on e.id = rt.evaluation_id
              where e.session_id = v_session.id and rt.outcome_id = o.id
              group by rt.after - rt.before) c
      ) r on true), '[]') else '[]' end,
    -- each respondent's mean change across the outcomes, as "sum/count": n
    'person_changes', case when v_shown then coalesce((
      select jsonb_object_agg(d.v, d.n) from (
        select c.change_sum::text || '/' || c.change_n::text as v, count(*)::int as n
        from (select sum(rt.after - rt.before) as change_sum, count(*) as change_n
              from public.evaluations e join public.evaluation_ratings rt on rt.evaluation_id = e.id
              where e.session_id = v_session.id group by e.id) c
        group by c.change_sum, c.change_n) d), '{}') else '{}' end,
    -- comments in a fixed but meaningless order, so they cannot be matched to who came first
    'practice_changes', case when v_shown then coalesce((
      select jsonb_agg(e.practice_change order by md5(e.id::text)) from public.evaluations e
      where e.session_id = v_session.id), '[]') else '[]' end,
    'comments', case when v_shown then coalesce((
      select jsonb_agg(e.comments order by md5(e.id::text)) from public.evaluations e
      where e.session_id = v_session.id and e.comments is not null), '[]') else '[]' end
  );
end
$$;

create function public.impact_attended(p_attendance public.attendance_status) returns boolean
  language sql immutable
as $$ select coalesce(p_attendance in ('present', 'late', 'left_early'), false) $$;

create function public.impact_place_flags(
  p_booking_status public.booking_status, p_waitlisted boolean, p_held_place boolean,
  p_cancelled_at timestamptz, p_attendance public.attendance_status, p_starts_at timestamptz,
  out confirmed int, out attended int, out no_show int, out cancellation int,
  out late_cancellation int, out unmet int)
  -- no SET: it inlines into the queries that read the places (impact_places)
  language sql immutable
as $$
  select coalesce(p_booking_status = 'confirmed', false)::int,
    public.impact_attended(p_attendance)::int,
    coalesce(p_booking_status = 'confirmed' and p_attendance = 'absent', false)::int,
    coalesce(p_booking_status = 'cancelled' and p_held_place, false)::int,
    coalesce(p_booking_status = 'cancelled' and p_held_place
             and p_cancelled_at > p_starts_at - interval '48 hours', false)::int,
    coalesce(p_waitlisted and not p_held_place
             and p_booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
             and p_attendance is null, false)::int
$$;

create function public.booking_confirmed_at() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  if new.status = 'confirmed' and new.confirmed_at is null then
    new.confirmed_at := now();
  end if;
  return new;
end
$$;
create trigger bookings_confirmed_at before insert or update of status on public.bookings
  for each row execute function public.booking_confirmed_at();

create or replace function public.impact_facts_bookings_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, booking_id, person, agency_id, booking_status, waitlisted,
    cancelled_at, held_place)
  select n.session_id, n.id, n.user_id, p.agency_id, n.status, n.waitlisted_at is not null, n.cancelled_at,
    n.confirmed_at is not null
  from new_rows n join public.profiles p on p.id = n.user_id;
  return null;
end
$$;

create or replace function public.impact_facts_bookings_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set booking_status = n.status, waitlisted = n.waitlisted_at is not null, cancelled_at = n.cancelled_at,
    held_place = n.confirmed_at is not null
  from new_rows n
  where f.booking_id = n.id
    and (f.booking_status, f.waitlisted, f.cancelled_at, f.held_place) is distinct from
        (n.status, n.waitlisted_at is not null, n.cancelled_at, n.confirmed_at is not null);
  return null;
end
$$;

create or replace function public.impact_facts_walk_ins_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, walk_in_id, person, agency_id)
  select n.session_id, n.id, coalesce(p.id, public.walk_in_person(n.email, n.id)), n.agency_id
  from new_rows n left join public.profiles p on p.email = lower(n.email);
  return null;
end
$$;

create or replace function public.impact_place_of(p_session_id uuid, p_person uuid) returns uuid
  language sql stable set search_path = ''
as $$
  select x.id from public.impact_facts x
  where x.session_id = p_session_id and x.person = p_person
  order by case when x.booking_id is not null and x.booking_status not in ('cancelled', 'declined') then 0
                when x.walk_in_id is not null then 1 else 2 end, x.id
  limit 1
$$;

create or replace function public.impact_session_ratings_added() returns trigger
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
  -- and the session's totals: paper forms, and the evaluations of places attended (a place
  -- marked attended later adds its ratings then: impact_counts_add, 13_impact_counts.sql)
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select e.session_id, n.outcome_id, n.after - n.before, count(*), sum(n.before), sum(n.after)
  from new_rows n join public.evaluations e on e.id = n.evaluation_id
  where e.from_paper or exists (select 1 from public.impact_facts f where f.evaluation_id = e.id
                                  and public.impact_attended(f.attendance))
  group by e.session_id, n.outcome_id, n.after - n.before
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
  return null;
end
$$;

create or replace function public.impact_counts_add(p_new public.impact_facts[], p_old public.impact_facts[]) returns void
  language sql volatile security definer set search_path = ''
as $$
  with d as (
    select 1 as sign, n.* from unnest(p_new) n
    union all
    select -1, o.* from unnest(p_old) o
  ), c as (
    -- a session being deleted is not joined: its counts go with it
    select d.session_id, d.agency_id, sum(d.sign)::int as places,
      sum(d.sign * g.confirmed)::int as confirmed, sum(d.sign * g.attended)::int as attended,
      sum(d.sign * g.no_show)::int as no_shows, sum(d.sign * g.cancellation)::int as cancellations,
      sum(d.sign * g.late_cancellation)::int as late_cancellations,
      sum(d.sign * g.unmet)::int as unmet_demand,
      -- an evaluation counts only from a place attended: a no-show's does not
      coalesce(sum(d.sign) filter (where d.evaluation_id is not null and g.attended = 1), 0)::int as responses,
      coalesce(sum(d.sign) filter (where d.followup_id is not null), 0)::int as followups,
      coalesce(sum(d.sign) filter (where d.followup_applied is not null), 0)::int as followups_answered,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'yes'), 0)::int as applied_yes,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'partly'), 0)::int as applied_partly,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'no'), 0)::int as applied_no
    from d join public.sessions s on s.id = d.session_id
    cross join lateral public.impact_place_flags(d.booking_status, d.waitlisted, d.held_place, d.cancelled_at,
      d.attendance, s.starts_at) g
    group by d.session_id, d.agency_id
  )
  insert into public.impact_place_counts as t (session_id, agency_id, places, confirmed, attended, no_shows,
    cancellations, late_cancellations, unmet_demand, responses, followups, followups_answered, applied_yes,
    applied_partly, applied_no)
  select c.session_id, c.agency_id, c.places, c.confirmed, c.attended, c.no_shows, c.cancellations,
    c.late_cancellations, c.unmet_demand, c.responses, c.followups, c.followups_answered, c.applied_yes,
    c.applied_partly, c.applied_no
  from c
  where (c.places, c.confirmed, c.attended, c.no_shows, c.cancellations, c.late_cancellations, c.unmet_demand,
         c.responses, c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no)
        <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  on conflict (session_id, agency_id) do update set
    places = t.places + excluded.places, confirmed = t.confirmed + excluded.confirmed,
    cancellations = t.cancellations + excluded.cancellations,
    attended = t.attended + excluded.attended, no_shows = t.no_shows + excluded.no_shows,
    late_cancellations = t.late_cancellations + excluded.late_cancellations,
    unmet_demand = t.unmet_demand + excluded.unmet_demand, responses = t.responses + excluded.responses,
    followups = t.followups + excluded.followups, followups_answered = t.followups_answered + excluded.followups_answered,
    applied_yes = t.applied_yes + excluded.applied_yes, applied_partly = t.applied_partly + excluded.applied_partly,
    applied_no = t.applied_no + excluded.applied_no;

  with d as (
    select 1 as sign, n.session_id, n.change_sum, n.change_n from unnest(p_new) n
    where n.evaluation_id is not null and n.change_n > 0 and public.impact_attended(n.attendance)
    union all
    select -1, o.session_id, o.change_sum, o.change_n from unnest(p_old) o
    where o.evaluation_id is not null and o.change_n > 0 and public.impact_attended(o.attendance)
  )
  insert into public.impact_session_changes as t (session_id, change_sum, change_n, n)
  select d.session_id, d.change_sum, d.change_n, sum(d.sign)
  from d join public.sessions s on s.id = d.session_id
  group by d.session_id, d.change_sum, d.change_n
  having sum(d.sign) <> 0
  on conflict (session_id, change_sum, change_n) do update set n = t.n + excluded.n;

  -- the sessions' rating totals follow their places: an evaluation's ratings count while its
  -- place is attended (one marked absent later takes them out, one marked present adds them)
  with d as (
    select 1 as sign, n.session_id, n.evaluation_id from unnest(p_new) n
    where n.evaluation_id is not null and public.impact_attended(n.attendance)
    union all
    select -1, o.session_id, o.evaluation_id from unnest(p_old) o
    where o.evaluation_id is not null and public.impact_attended(o.attendance)
  ), r as (
    select d.session_id, rt.outcome_id, rt.after - rt.before as change, sum(d.sign)::int as n,
      sum(d.sign * rt.before)::int as sum_before, sum(d.sign * rt.after)::int as sum_after
    from d join public.sessions s on s.id = d.session_id
    join public.evaluation_ratings rt on rt.evaluation_id = d.evaluation_id
    group by d.session_id, rt.outcome_id, rt.after - rt.before
  )
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select r.session_id, r.outcome_id, r.change, r.n, r.sum_before, r.sum_after from r
  where (r.n, r.sum_before, r.sum_after) <> (0, 0, 0)
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
$$;

create or replace function public.impact_counts_session_moved() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.impact_place_counts as t (session_id, agency_id, late_cancellations)
  select f.session_id, f.agency_id, sum(moved.late_cancellation - was.late_cancellation)
  from new_rows n join old_rows o on o.id = n.id
  join public.impact_facts f on f.session_id = n.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, n.starts_at) moved
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, o.starts_at) was
  where n.starts_at is distinct from o.starts_at and f.booking_status = 'cancelled'
  group by f.session_id, f.agency_id
  having sum(moved.late_cancellation - was.late_cancellation) <> 0
  on conflict (session_id, agency_id) do update set late_cancellations = t.late_cancellations + excluded.late_cancellations;
  return null;
end
$$;

create or replace function public.impact_places(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz)
  language sql stable
as $$
  select s.id, s.course_id, s.starts_at, s.capacity, f.person, f.agency_id, a.sector, f.booking_id, f.walk_in_id,
    f.booking_status, f.waitlisted, g.late_cancellation = 1, f.attendance, g.attended = 1, f.evaluation_id,
    f.change_sum, f.change_n, f.followup_id, f.followup_applied, f.followup_barriers, s.month
  from (
    -- the sessions in scope, each with its month worked out once (not once per person);
    -- each "(select …)" is worked out once per call, not once per row
    select s.id, s.course_id, s.starts_at, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= p_from and s.starts_at < p_to
      and ((select p_filters ->> 'course_id') is null or c.id = (select (p_filters ->> 'course_id')::uuid))
      and ((select p_filters ->> 'format') is null or c.format::text = (select p_filters ->> 'format'))
      and ((select p_filters ->> 'theme') is null or (select p_filters ->> 'theme') = any (c.themes))
      and ((select public.has_staff_role('admin')) or (select public.led_agency()) is not null
           or exists (select 1 from public.session_trainers t
                      where t.session_id = s.id and t.trainer_id = (select auth.uid())))
    offset 0) s
  join public.impact_facts f on f.session_id = s.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, s.starts_at) g
  left join public.agencies a on a.id = f.agency_id
  where ((select public.led_agency()) is null or f.agency_id = (select public.led_agency()))
    and ((select p_filters ->> 'agency_id') is null or f.agency_id = (select (p_filters ->> 'agency_id')::uuid))
    and ((select p_filters ->> 'sector') is null or a.sector::text = (select p_filters ->> 'sector'))
$$;

create or replace function public.impact_report(p_filters jsonb default '{}') returns json
  language plpgsql stable security definer set search_path = ''
  -- the report's intermediate results hash in memory; the planner cannot estimate them,
  -- and a nested loop over tens of thousands of rows never ends
  set work_mem = '32MB'
  set enable_nestloop = off
  -- planned for each call's own filters: a plan cached for "any filters" guesses one row
  -- everywhere and sorts where it should hash
  set plan_cache_mode = force_custom_plan
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_previous_from timestamptz;
  v_previous_to timestamptz;
  v_years int;
  v_caller uuid := auth.uid();
  v_admin boolean := public.has_staff_role('admin');
  v_led_agency uuid := public.led_agency();
  -- narrowed to people (an agency or a sector): count their own rows, not the sessions' totals
  v_by_person boolean := v_led_agency is not null or p_filters ->> 'agency_id' is not null or p_filters ->> 'sector' is not null;
  v_quote_search text := p_filters ->> 'quote_search';
  v_format text := p_filters ->> 'format';
  v_theme text := p_filters ->> 'theme';
  v_sector text := p_filters ->> 'sector';
  v_course_id uuid;
  v_agency_id uuid;
  v_result json;
begin
  if jsonb_typeof(coalesce(p_filters, '{}'::jsonb)) <> 'object' then
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
  -- the period compared with: as the app chose it by the calendar (the previous financial
  -- year or quarter, or the same part of it while this one runs), else the same dates a
  -- year earlier, or as many whole years earlier as they span, so the two never overlap;
  -- never "the same number of days before", which drifts after a leap year
  v_years := greatest(1, ceil(((p_filters ->> 'to')::date - (p_filters ->> 'from')::date + 1) / 366.0))::int;
  begin
    v_previous_from := coalesce(((p_filters ->> 'previous_from')::date)::timestamp at time zone 'Europe/London',
      ((p_filters ->> 'from')::date - make_interval(years => v_years))::timestamp at time zone 'Europe/London');
    v_previous_to := coalesce((((p_filters ->> 'previous_to')::date) + 1)::timestamp at time zone 'Europe/London',
      (((p_filters ->> 'to')::date + 1) - make_interval(years => v_years))::timestamp at time zone 'Europe/London');
  exception when others then
    raise exception 'previous_from and previous_to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_previous_to <= v_previous_from or v_previous_to - v_previous_from > interval '11 years' then
    raise exception 'The period compared with must run forwards and cover at most ten years'
      using errcode = '22023';
  end if;
  perform public.require_impact_reader();
  v_course_id := (p_filters ->> 'course_id')::uuid;
  v_agency_id := (p_filters ->> 'agency_id')::uuid;

  with scope as materialized (
    -- the sessions in scope, each with its month
    select s.id as session_id, s.course_id, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= v_from and s.starts_at < v_to
      and (v_course_id is null or c.id = v_course_id)
      and (v_format is null or c.format::text = v_format)
      and (v_theme is null or v_theme = any (c.themes))
      and (v_admin or v_led_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_caller))
  ), place_counts as materialized (
    -- the kept counts per session and agency, summed below either way
    select sc.session_id, sc.course_id, sc.capacity, sc.month, pc.agency_id, pc.confirmed, pc.cancellations, pc.attended, pc.no_shows,
      pc.late_cancellations, pc.unmet_demand, pc.responses, pc.followups, pc.followups_answered,
      pc.applied_yes, pc.applied_partly, pc.applied_no
    from scope sc join public.impact_place_counts pc on pc.session_id = sc.session_id
    left join public.agencies a on a.id = pc.agency_id
    where pc.places > 0
      and (v_led_agency is null or pc.agency_id = v_led_agency)
      and (v_agency_id is null or pc.agency_id = v_agency_id)
      and (v_sector is null or a.sector::text = v_sector)
  ), places as not materialized (
    -- the places themselves: read for distinct people, and for what a narrowed report
    -- counts from people's own rows
    select f.person, f.agency_id, a.sector, sc.course_id, sc.month, f.attendance, f.evaluation_id, f.change_sum,
      f.change_n, f.followup_id, f.followup_barriers
    from scope sc join public.impact_facts f on f.session_id = sc.session_id
    left join public.agencies a on a.id = f.agency_id
    where (v_led_agency is null or f.agency_id = v_led_agency)
      and (v_agency_id is null or f.agency_id = v_agency_id)
      and (v_sector is null or a.sector::text = v_sector)
  ), attendees as materialized (
    -- everyone who attended, once per place
    select pe.person, pe.agency_id, pe.sector, pe.month from places pe
    where pe.attendance in ('present', 'late', 'left_early')
  ), attended_people as materialized (
    -- each person once per agency they attended from (one agency, unless a walk-in's differs)
    select distinct at.person, at.agency_id, at.sector from attendees at
  ), agency_people as materialized (
    select ap.agency_id, count(*) as people from attended_people ap group by ap.agency_id
  ), session_counts as materialized (
    select pc.session_id, pc.course_id, pc.capacity, pc.month,
      sum(pc.confirmed)::bigint as confirmed, sum(pc.cancellations)::bigint as cancellations,
      sum(pc.attended)::bigint as attended, sum(pc.no_shows)::bigint as no_shows,
      sum(pc.late_cancellations)::bigint as late_cancellations, sum(pc.unmet_demand)::bigint as unmet_demand,
      sum(pc.responses)::bigint as responses, sum(pc.followups)::bigint as followups,
      sum(pc.followups_answered)::bigint as followups_answered, sum(pc.applied_yes)::bigint as applied_yes,
      sum(pc.applied_partly)::bigint as applied_partly, sum(pc.applied_no)::bigint as applied_no
    from place_counts pc group by pc.session_id, pc.course_id, pc.capacity, pc.month
  ), agency_counts as materialized (
    select pc.agency_id, sum(pc.confirmed)::bigint as confirmed, sum(pc.attended)::bigint as attended,
      sum(pc.no_shows)::bigint as no_shows
    from place_counts pc group by pc.agency_id
  ), month_people as (
    select m.month, count(*) as people from (select distinct at.month, at.person from attendees at) m
    group by m.month
  ), month_counts as (
    select to_char(sc.month at time zone 'Europe/London', 'YYYY-MM') as month,
      coalesce(mp.people, 0) as people, sum(sc.confirmed) as confirmed, sum(sc.attended) as attended
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
    from places pe join public.evaluation_ratings r on r.evaluation_id = pe.evaluation_id
    where v_by_person and public.impact_attended(pe.attendance)
  ), responses as (
    -- the evaluations in scope: the people's from places attended, and the paper forms
    select pe.evaluation_id as id, pe.course_id from places pe
    where pe.evaluation_id is not null and public.impact_attended(pe.attendance)
    union all
    select pa.id, pa.course_id from paper pa
  ), change_counts as (
    -- each respondent's mean change across the outcomes, as sum and count: from the
    -- sessions' kept distributions, or from the people's own rows when narrowed
    select sc.course_id, ch.change_sum, ch.change_n, ch.n
    from public.impact_session_changes ch join session_counts sc on sc.session_id = ch.session_id
    where not v_by_person and ch.n > 0
    union all
    select pe.course_id, pe.change_sum, pe.change_n, 1 from places pe
    where v_by_person and pe.evaluation_id is not null and pe.change_n > 0 and public.impact_attended(pe.attendance)
    union all
    select pa.course_id, pa.change_sum, pa.change_n, 1 from paper pa where pa.change_n > 0
  ), person_changes as (
    -- as "sum/count": exact, and small
    select d.course_id, json_object_agg(d.v, d.n) as counts from (
      select cc.course_id, cc.change_sum::text || '/' || cc.change_n::text as v, sum(cc.n) as n
      from change_counts cc group by cc.course_id, cc.change_sum, cc.change_n) d
    group by d.course_id
  ), outcome_rows as (
    select o.course_id, json_agg(json_build_object(
        'outcome_id', o.outcome_id, 'position', lo.position, 'text', lo.text, 'n', o.n,
        'sum_before', o.sum_before, 'sum_after', o.sum_after, 'changes', o.changes) order by lo.position) as outcomes
    from (select c.course_id, c.outcome_id, sum(c.n) as n, sum(c.sum_before) as sum_before, sum(c.sum_after) as sum_after,
            json_object_agg(c.change::text, c.n) as changes
          from (select r.course_id, r.outcome_id, r.change, sum(r.n) as n,
                  sum(r.sum_before) as sum_before, sum(r.sum_after) as sum_after
                from ratings r group by r.course_id, r.outcome_id, r.change) c
          group by c.course_id, c.outcome_id) o
    join public.learning_outcomes lo on lo.id = o.outcome_id
    group by o.course_id
  ), course_counts as (
    select sc.course_id, count(*) as sessions, sum(sc.capacity) as capacity, sum(sc.confirmed) as confirmed,
      sum(sc.cancellations) as cancellations,
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
    from places pe join public.followup_ratings fr on fr.followup_id = pe.followup_id
    where v_by_person and fr.end_rating is not null
  )
  select json_build_object(
    'period', json_build_object('from', p_filters ->> 'from', 'to', p_filters ->> 'to',
      'previous_from', to_char(v_previous_from at time zone 'Europe/London', 'YYYY-MM-DD'),
      'previous_to', to_char((v_previous_to at time zone 'Europe/London') - interval '1 day', 'YYYY-MM-DD')),
    'scope', case when v_admin then 'partnership' when v_led_agency is not null then 'agency' else 'trainer' end,
    'reach', json_build_object(
      'people', (select count(*) from (select distinct ap.person from attended_people ap) d),
      'confirmed_places', (select coalesce(sum(sc.confirmed), 0) from session_counts sc),
      'agencies', (select count(*) from agency_people ap where ap.agency_id is not null),
      'previous', (select json_build_object(
          'people', count(distinct pv.person) filter (where pv.attended),
          'confirmed_places', count(*) filter (where pv.booking_status = 'confirmed'))
        from public.impact_places(v_previous_from, v_previous_to, p_filters) pv),
      'by_agency', coalesce((select json_agg(x order by x.people desc, x.agency) from (
        select coalesce(a.name, 'Not recorded') as agency, a.sector, coalesce(max(ap.people), 0) as people,
          sum(g.confirmed) as confirmed, sum(g.attended) as attended, sum(g.no_shows) as no_shows
        from agency_counts g
        left join agency_people ap
          on ap.agency_id is not distinct from g.agency_id
        left join public.agencies a on a.id = g.agency_id
        group by a.name, a.sector) x), '[]'::json),
      'by_sector', coalesce((select json_agg(x order by x.people desc, x.sector) from (
        select coalesce(s.sector::text, 'not_recorded') as sector, s.people, c.attended
        from (select d.sector, count(*) as people from (select distinct ap.sector, ap.person from attended_people ap) d
              group by d.sector) s
        join (select a.sector, sum(g.attended) as attended
              from agency_counts g left join public.agencies a on a.id = g.agency_id group by a.sector) c
          on c.sector is not distinct from s.sector) x), '[]'::json),
      -- every month of the period, with zeros, so a quiet month shows as one
      'by_month', coalesce((select json_agg(json_build_object('month', m.month,
          'people', coalesce(c.people, 0), 'confirmed', coalesce(c.confirmed, 0), 'attended', coalesce(c.attended, 0))
          order by m.month)
        from (select to_char(g, 'YYYY-MM') as month
              from generate_series(date_trunc('month', v_from at time zone 'Europe/London'),
                                   (v_to at time zone 'Europe/London') - interval '1 day', interval '1 month') g) m
        left join month_counts c on c.month = m.month), '[]'::json)),
    'attendance', (select json_build_object(
      'attended', coalesce(sum(sc.attended), 0),
      'no_shows', coalesce(sum(sc.no_shows), 0),
      'cancellations', coalesce(sum(sc.cancellations), 0),
      'late_cancellations', coalesce(sum(sc.late_cancellations), 0),
      'unmet_demand', coalesce(sum(sc.unmet_demand), 0),
      'by_course', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', cc.sessions,
          'capacity', coalesce(cc.capacity, 0), 'confirmed', cc.confirmed, 'attended', cc.attended,
          'no_shows', cc.no_shows, 'cancellations', cc.cancellations, 'late_cancellations', cc.late_cancellations,
          'unmet_demand', cc.unmet_demand)
          order by c.title, c.id)
        from course_counts cc join public.courses c on c.id = cc.course_id), '[]'::json))
      from session_counts sc),
    'learning', json_build_object(
      'responses', (select coalesce(sum(sc.responses), 0) from session_counts sc) + (select count(*) from paper),
      'courses', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'attended', coalesce(cc.attended, 0), 'responses', cr.responses,
          'person_changes', coalesce(pc.counts, '{}'::json), 'outcomes', coalesce(o.outcomes, '[]'::json))
          order by c.title, c.id)
        from course_responses cr join public.courses c on c.id = cr.course_id
        left join course_counts cc on cc.course_id = cr.course_id
        left join person_changes pc on pc.course_id = cr.course_id
        left join outcome_rows o on o.course_id = cr.course_id), '[]'::json)),
    'followup', (select json_build_object(
      'requested', coalesce(sum(sc.followups), 0),
      'answered', coalesce(sum(sc.followups_answered), 0),
      'applied', json_build_object(
        'yes', coalesce(sum(sc.applied_yes), 0),
        'partly', coalesce(sum(sc.applied_partly), 0),
        'no', coalesce(sum(sc.applied_no), 0)),
      -- per course (each year's webinars are courses of the same title), in a stable order
      'outcomes', coalesce((select json_agg(x order by x.title, x.course_id, x.position) from (
        select c.id as course_id, c.title, lo.position, lo.text, sum(g.n) as n, sum(g.sum_end) as sum_end,
          sum(g.sum_now) as sum_now, json_object_agg(g.change::text, g.n) as changes
        from (select fr.course_id, fr.outcome_id, fr.change, sum(fr.n) as n, sum(fr.sum_end) as sum_end,
                sum(fr.sum_now) as sum_now
              from followup_ratings fr group by fr.course_id, fr.outcome_id, fr.change) g
        join public.learning_outcomes lo on lo.id = g.outcome_id
        join public.courses c on c.id = g.course_id
        group by c.id, c.title, lo.position, lo.text) x), '[]'::json),
      'barriers', coalesce((select json_agg(fu.barriers order by fu.id) from (
        -- the first twenty by id, picked before reading the answers
        select p2.followup_id from places p2 where p2.followup_barriers order by p2.followup_id limit 20) b
        join public.followups fu on fu.id = b.followup_id), '[]'::json))
      from session_counts sc),
    'quotes', coalesce((select json_agg(json_build_object('text', e.practice_change, 'course', c.title) order by q.id)
      from (
        -- the first twelve by id; with a search, the first twelve that match it
        select ev.id, ev.course_id from responses ev
        where v_quote_search is null
           or (select e.practice_change from public.evaluations e where e.id = ev.id)
              ilike '%' || replace(replace(v_quote_search, '%', '\%'), '_', '\_') || '%'
        order by ev.id limit 12) q
      join public.evaluations e on e.id = q.id
      join public.courses c on c.id = q.course_id), '[]'::json)
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
      where e.id in (select pe.evaluation_id from public.impact_people(v_from, v_to, p_filters) pe where pe.attended)
        or (e.from_paper and e.session_id in (select pe.session_id from public.impact_people(v_from, v_to, p_filters) pe)
            and not exists (select 1 from public.staff_roles sr where sr.user_id = auth.uid() and sr.role = 'agency_lead'))), '[]');
  end if;
  raise exception 'Export must be bookings, registers or evaluations (got "%")', left(coalesce(p_kind, ''), 40)
    using errcode = '22023';
end
$$;

create or replace function public.submit_evaluation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions;
  v_existing public.evaluations;
begin
  if v_uid is null then
    raise exception 'Sign in to send your evaluation' using errcode = '42501';
  end if;
  if v_id is null then
    raise exception 'An evaluation needs an id' using errcode = '22023', detail = 'id';
  end if;
  select * into v_existing from public.evaluations where id = v_id;
  if found then
    if v_existing.user_id = v_uid then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
    end if;
    raise exception 'Evaluation % already exists', v_id using errcode = '23505';
  end if;
  select * into v_session from public.sessions where id = (p_args ->> 'session_id')::uuid;
  if not found then
    raise exception 'Session % does not exist', p_args ->> 'session_id' using errcode = '22023', detail = 'session_id';
  end if;
  if not exists (
    select 1 from public.bookings b where b.session_id = v_session.id and b.user_id = v_uid
      and (b.status not in ('cancelled', 'declined')
           or exists (select 1 from public.attendance_events e where e.booking_id = b.id))
  ) and not exists (
    select 1 from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where w.session_id = v_session.id and p.id = v_uid
  ) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Only people booked on this session or marked at it can evaluate it.');
  end if;
  if now() < v_session.starts_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You can give your evaluation once the session has started.');
  end if;
  -- who may evaluate is who counts: not someone the register shows did not attend
  if exists (select 1 from public.bookings b where b.session_id = v_session.id and b.user_id = v_uid
               and public.attendance_status_of(b.id) in ('absent', 'excused'))
     and not exists (select 1 from public.bookings b where b.session_id = v_session.id and b.user_id = v_uid
               and public.attendance_status_of(b.id) in ('present', 'late', 'left_early')) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'The register shows you did not attend this session, so you cannot evaluate it. If that is wrong, ask the trainer to correct the register.');
  end if;
  if exists (select 1 from public.evaluations e where e.session_id = v_session.id and e.user_id = v_uid) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You have already sent your evaluation of this session. Thank you.');
  end if;
  perform public.insert_evaluation(v_session, p_args, v_uid);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
end
$$;

-- What is known of the bookings so far: a confirmed one holds its place; a cancelled one
-- that was never on a waiting list was confirmed when it was made (a booking is confirmed
-- or waitlisted at once). One promoted from the list and then cancelled cannot be told
-- from one that left the list, and stays as it was counted: unmet demand. Written without
-- the bookings' triggers (no change is announced to devices).
alter table public.bookings disable trigger user;
update public.bookings set confirmed_at = created_at
  where status = 'confirmed' or (status = 'cancelled' and waitlisted_at is null);
alter table public.bookings enable trigger user;
alter table public.bookings
  add constraint bookings_confirmed_check check (status <> 'confirmed' or confirmed_at is not null);

-- The places as they are now counted, written without the facts' triggers, then every
-- count again from them.
alter table public.impact_facts disable trigger user;
update public.impact_facts f set held_place = true
  from public.bookings b where b.id = f.booking_id and b.confirmed_at is not null;
update public.impact_facts f set person = p.id
  from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
  where f.walk_in_id = w.id and f.person <> p.id;
update public.impact_facts f set evaluation_id = e.id, change_sum = c.change_sum, change_n = c.change_n
  from public.evaluations e
  cross join lateral (select sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
                      from public.evaluation_ratings r where r.evaluation_id = e.id) c
  where e.user_id is not null and f.evaluation_id is null
    and not exists (select 1 from public.impact_facts x where x.evaluation_id = e.id)
    and f.id = public.impact_place_of(e.session_id, e.user_id);
alter table public.impact_facts enable trigger user;
truncate public.impact_place_counts, public.impact_session_changes, public.impact_session_ratings;
insert into public.impact_session_ratings (session_id, outcome_id, change, n, sum_before, sum_after)
select e.session_id, r.outcome_id, r.after - r.before, count(*), sum(r.before), sum(r.after)
from public.evaluations e join public.evaluation_ratings r on r.evaluation_id = e.id
where e.from_paper
group by e.session_id, r.outcome_id, r.after - r.before;
select public.impact_counts_add(array(select f from public.impact_facts f), '{}');

