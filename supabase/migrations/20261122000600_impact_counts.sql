-- Impact report, third pass: counts kept as the facts change, so the report reads the
-- places only to count distinct people.
--
-- * impact_place_counts: per session and agency, how many places were booked, attended,
--   not attended, cancelled late, left waiting, evaluated and followed up. Kept by
--   statement-level triggers on the facts, which add each statement's change (new rows
--   minus old rows) with an upsert, so concurrent writers to one session add up rather
--   than overwrite each other. A late cancellation depends on the session's start, so
--   moving a session adds the difference too.
-- * impact_session_changes: per session, how many respondents had each mean change
--   across the outcomes (as sum and count). Reports over the partnership or a trainer's
--   sessions read it; reports narrowed to an agency or a sector count people's own rows.
--
-- Ten years of the partnership (63,000 places) make 11,500 rows of counts and 5,900 of
-- changes. The report reads those, the attended places once for the distinct people, and
-- the per-session ratings it already read.

create table public.impact_place_counts (
  session_id uuid not null references public.sessions (id) on delete cascade,
  -- no reference: a derived count, moved to "no agency" with its places if one is deleted
  agency_id uuid,
  places int not null default 0,
  booked int not null default 0,
  attended int not null default 0,
  no_shows int not null default 0,
  late_cancellations int not null default 0,
  unmet_demand int not null default 0,
  responses int not null default 0,
  followups int not null default 0,
  followups_answered int not null default 0,
  applied_yes int not null default 0,
  applied_partly int not null default 0,
  applied_no int not null default 0
);
create unique index impact_place_counts_key on public.impact_place_counts (session_id, agency_id) nulls not distinct;

create table public.impact_session_changes (
  session_id uuid not null references public.sessions (id) on delete cascade,
  change_sum int not null,
  change_n int not null,
  n int not null,
  primary key (session_id, change_sum, change_n)
);

alter table public.impact_place_counts enable row level security;
alter table public.impact_session_changes enable row level security;
revoke all on public.impact_place_counts, public.impact_session_changes from anon, authenticated;

-- What one place counts for, given its session's start. The report's definitions, in one place.
create function public.impact_place_flags(
  p_booking_status public.booking_status, p_waitlisted boolean, p_cancelled_at timestamptz,
  p_attendance public.attendance_status, p_starts_at timestamptz,
  out booked int, out attended int, out no_show int, out late_cancellation int, out unmet int)
  language sql immutable set search_path = ''
as $$
  select (p_booking_status is not null)::int,
    coalesce(p_attendance in ('present', 'late', 'left_early'), false)::int,
    coalesce(p_booking_status = 'confirmed' and p_attendance = 'absent', false)::int,
    coalesce(p_booking_status = 'cancelled' and p_cancelled_at > p_starts_at - interval '48 hours', false)::int,
    coalesce(p_waitlisted and p_booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
             and p_attendance is null, false)::int
$$;

-- Adds a statement's change to the counts: the places it wrote (new) count +1, the places
-- as they were (old) -1; an update is both, and what it did not change cancels out.
create function public.impact_counts_add(p_new public.impact_facts[], p_old public.impact_facts[]) returns void
  language sql volatile security definer set search_path = ''
as $$
  with d as (
    select 1 as sign, n.* from unnest(p_new) n
    union all
    select -1, o.* from unnest(p_old) o
  ), c as (
    -- a session being deleted is not joined: its counts go with it
    select d.session_id, d.agency_id, sum(d.sign)::int as places,
      sum(d.sign * g.booked)::int as booked, sum(d.sign * g.attended)::int as attended,
      sum(d.sign * g.no_show)::int as no_shows, sum(d.sign * g.late_cancellation)::int as late_cancellations,
      sum(d.sign * g.unmet)::int as unmet_demand,
      coalesce(sum(d.sign) filter (where d.evaluation_id is not null), 0)::int as responses,
      coalesce(sum(d.sign) filter (where d.followup_id is not null), 0)::int as followups,
      coalesce(sum(d.sign) filter (where d.followup_applied is not null), 0)::int as followups_answered,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'yes'), 0)::int as applied_yes,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'partly'), 0)::int as applied_partly,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'no'), 0)::int as applied_no
    from d join public.sessions s on s.id = d.session_id
    cross join lateral public.impact_place_flags(d.booking_status, d.waitlisted, d.cancelled_at, d.attendance, s.starts_at) g
    group by d.session_id, d.agency_id
  )
  insert into public.impact_place_counts as t (session_id, agency_id, places, booked, attended, no_shows,
    late_cancellations, unmet_demand, responses, followups, followups_answered, applied_yes, applied_partly, applied_no)
  select c.session_id, c.agency_id, c.places, c.booked, c.attended, c.no_shows, c.late_cancellations, c.unmet_demand,
    c.responses, c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no
  from c
  where (c.places, c.booked, c.attended, c.no_shows, c.late_cancellations, c.unmet_demand, c.responses,
         c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no)
        <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  on conflict (session_id, agency_id) do update set
    places = t.places + excluded.places, booked = t.booked + excluded.booked,
    attended = t.attended + excluded.attended, no_shows = t.no_shows + excluded.no_shows,
    late_cancellations = t.late_cancellations + excluded.late_cancellations,
    unmet_demand = t.unmet_demand + excluded.unmet_demand, responses = t.responses + excluded.responses,
    followups = t.followups + excluded.followups, followups_answered = t.followups_answered + excluded.followups_answered,
    applied_yes = t.applied_yes + excluded.applied_yes, applied_partly = t.applied_partly + excluded.applied_partly,
    applied_no = t.applied_no + excluded.applied_no;

  with d as (
    select 1 as sign, n.session_id, n.change_sum, n.change_n from unnest(p_new) n
    where n.evaluation_id is not null and n.change_n > 0
    union all
    select -1, o.session_id, o.change_sum, o.change_n from unnest(p_old) o
    where o.evaluation_id is not null and o.change_n > 0
  )
  insert into public.impact_session_changes as t (session_id, change_sum, change_n, n)
  select d.session_id, d.change_sum, d.change_n, sum(d.sign)
  from d join public.sessions s on s.id = d.session_id
  group by d.session_id, d.change_sum, d.change_n
  having sum(d.sign) <> 0
  on conflict (session_id, change_sum, change_n) do update set n = t.n + excluded.n;
$$;

-- Transition tables need one trigger per event: an INSERT has no old rows, a DELETE no new ones.
create function public.impact_counts_inserted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), '{}');
  return null;
end
$$;
create function public.impact_counts_updated() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;
create function public.impact_counts_deleted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add('{}', array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;

create trigger impact_counts_inserted after insert on public.impact_facts
  referencing new table as new_rows for each statement execute function public.impact_counts_inserted();
create trigger impact_counts_updated after update on public.impact_facts
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_updated();
create trigger impact_counts_deleted after delete on public.impact_facts
  referencing old table as old_rows for each statement execute function public.impact_counts_deleted();

-- Moving a session moves the line for a late cancellation (48 hours before it starts).
create function public.impact_counts_session_moved() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.impact_place_counts as t (session_id, agency_id, late_cancellations)
  select f.session_id, f.agency_id, sum(moved.late_cancellation - was.late_cancellation)
  from new_rows n join old_rows o on o.id = n.id
  join public.impact_facts f on f.session_id = n.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.cancelled_at, f.attendance, n.starts_at) moved
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.cancelled_at, f.attendance, o.starts_at) was
  where n.starts_at is distinct from o.starts_at and f.booking_status = 'cancelled'
  group by f.session_id, f.agency_id
  having sum(moved.late_cancellation - was.late_cancellation) <> 0
  on conflict (session_id, agency_id) do update set late_cancellations = t.late_cancellations + excluded.late_cancellations;
  return null;
end
$$;
create trigger impact_counts_session_moved after update on public.sessions
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_session_moved();

-- The counts for what is already there, added the same way.
select public.impact_counts_add(array(select f from public.impact_facts f), '{}');

-- The report, reading the counts. It now returns json, built as text in the order written,
-- rather than jsonb: the same document to every client, without sorting and re-encoding
-- 900 KB of keys for a ten-year report (about a fifth of its time).
drop function public.impact_report(jsonb);
create function public.impact_report(p_filters jsonb default '{}') returns json
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
  v_previous_from := v_from - (v_to - v_from);
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
    select sc.session_id, sc.course_id, sc.capacity, sc.month, pc.agency_id, pc.booked, pc.attended, pc.no_shows,
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
      sum(pc.booked)::bigint as booked, sum(pc.attended)::bigint as attended, sum(pc.no_shows)::bigint as no_shows,
      sum(pc.late_cancellations)::bigint as late_cancellations, sum(pc.unmet_demand)::bigint as unmet_demand,
      sum(pc.responses)::bigint as responses, sum(pc.followups)::bigint as followups,
      sum(pc.followups_answered)::bigint as followups_answered, sum(pc.applied_yes)::bigint as applied_yes,
      sum(pc.applied_partly)::bigint as applied_partly, sum(pc.applied_no)::bigint as applied_no
    from place_counts pc group by pc.session_id, pc.course_id, pc.capacity, pc.month
  ), agency_counts as materialized (
    select pc.agency_id, sum(pc.booked)::bigint as booked, sum(pc.attended)::bigint as attended,
      sum(pc.no_shows)::bigint as no_shows
    from place_counts pc group by pc.agency_id
  ), month_people as (
    select m.month, count(*) as people from (select distinct at.month, at.person from attendees at) m
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
    from places pe join public.evaluation_ratings r on r.evaluation_id = pe.evaluation_id
    where v_by_person
  ), responses as (
    -- the evaluations in scope: the people's and the paper forms
    select pe.evaluation_id as id, pe.course_id from places pe where pe.evaluation_id is not null
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
    where v_by_person and pe.evaluation_id is not null and pe.change_n > 0
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
    from places pe join public.followup_ratings fr on fr.followup_id = pe.followup_id
    where v_by_person and fr.end_rating is not null
  )
  select json_build_object(
    'period', json_build_object('from', p_filters ->> 'from', 'to', p_filters ->> 'to',
      'previous_from', to_char(v_previous_from at time zone 'Europe/London', 'YYYY-MM-DD')),
    'scope', case when v_admin then 'partnership' when v_led_agency is not null then 'agency' else 'trainer' end,
    'reach', json_build_object(
      'people', (select count(*) from (select distinct ap.person from attended_people ap) d),
      'places_booked', (select coalesce(sum(sc.booked), 0) from session_counts sc),
      'agencies', (select count(*) from agency_people ap where ap.agency_id is not null),
      'previous', (select json_build_object(
          'people', count(distinct pv.person) filter (where pv.attended),
          'places_booked', count(*) filter (where pv.booking_status is not null))
        from public.impact_places(v_previous_from, v_from, p_filters) pv),
      'by_agency', coalesce((select json_agg(x order by x.people desc, x.agency) from (
        select coalesce(a.name, 'Not recorded') as agency, a.sector, coalesce(max(ap.people), 0) as people,
          sum(g.booked) as booked, sum(g.attended) as attended, sum(g.no_shows) as no_shows
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
          'people', coalesce(c.people, 0), 'booked', coalesce(c.booked, 0), 'attended', coalesce(c.attended, 0))
          order by m.month)
        from (select to_char(g, 'YYYY-MM') as month
              from generate_series(date_trunc('month', v_from at time zone 'Europe/London'),
                                   (v_to at time zone 'Europe/London') - interval '1 day', interval '1 month') g) m
        left join month_counts c on c.month = m.month), '[]'::json)),
    'attendance', (select json_build_object(
      'attended', coalesce(sum(sc.attended), 0),
      'no_shows', coalesce(sum(sc.no_shows), 0),
      'late_cancellations', coalesce(sum(sc.late_cancellations), 0),
      'unmet_demand', coalesce(sum(sc.unmet_demand), 0),
      'by_course', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', cc.sessions,
          'capacity', coalesce(cc.capacity, 0), 'booked', cc.booked, 'attended', cc.attended,
          'no_shows', cc.no_shows, 'late_cancellations', cc.late_cancellations, 'unmet_demand', cc.unmet_demand)
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
grant execute on function public.impact_report(jsonb) to authenticated;
