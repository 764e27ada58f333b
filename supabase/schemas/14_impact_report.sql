-- The impact report and exports: one RPC per report. The aggregates are done here, in SQL; the
-- statistics (confidence intervals, effect sizes, Wilcoxon signed-rank tests) are worked out
-- in the app by a statistics library from the distributions this returns, which are small:
-- ratings are whole numbers 1–5, so each paired difference has one of nine values.
--
-- Who sees what: admins the whole partnership; an agency's safeguarding lead only people
-- from their agency, whatever the filters say; a trainer only the sessions they teach. No
-- report carries a name, an email or an id of a person.
--
-- How the report reads: it works out the sessions in scope once (an array of ids), and each
-- part reads only the rows it needs of them: the kept counts per session and agency
-- (13_impact_counts.sql) for the sessions' and agencies' figures; the facts of the places
-- attended for the people counted; the quotes and examples by an index in id order, stopping
-- at the first 200 before reading any text; the barriers by their key, kept on the follow-up
-- (followups.barriers_key), and an index of the places that named one. Follow-up ratings are
-- grouped per course (each year's Webinar Wednesdays are separate courses sharing a title).
-- The exports read the places through an inlinable SQL function (impact_places).

-- Impact reports are for the partnership's admins, agency safeguarding leads and trainers.
create function public.require_impact_reader() returns void
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null or not (public.has_staff_role('admin') or public.has_staff_role('agency_lead')
                                or public.has_staff_role('trainer')) then
    raise exception 'Impact reports are for the partnership''s admins, agency safeguarding leads and trainers'
      using errcode = '42501';
  end if;
end
$$;

-- The agency the caller is safeguarding lead for, if any.
create function public.led_agency() returns uuid
  language sql stable security definer set search_path = ''
as $$
  select r.agency_id from public.staff_roles r where r.user_id = auth.uid() and r.role = 'agency_lead'
$$;

-- The agency a report is narrowed to: the one the caller leads, unless the caller is also an
-- admin, whose reports cover the partnership unless they choose their agency's
-- ("scope": "agency" in the filters).
create function public.impact_scope_agency(p_filters jsonb) returns uuid
  language sql stable security definer set search_path = ''
as $$
  select case when public.has_staff_role('admin') and coalesce(p_filters ->> 'scope', '') <> 'agency' then null
    else public.led_agency() end
$$;

-- The report's places in scope: an inlinable SQL function (no SET, invoker), so the
-- caller's query reads the facts directly instead of a copy of them. Only the impact
-- functions (security definer) call it; they check the caller first.
create function public.impact_places(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz,
    ends_at timestamptz, confirmed boolean, cancellation boolean, no_show boolean, unmet boolean)
  language sql stable
as $$
  select s.id, s.course_id, s.starts_at, s.capacity, f.person, f.agency_id, a.sector, f.booking_id, f.walk_in_id,
    f.booking_status, f.waitlisted, g.late_cancellation = 1, f.attendance, g.attended = 1, f.evaluation_id,
    f.change_sum, f.change_n, f.followup_id, f.followup_applied, f.followup_barriers, s.month,
    s.ends_at, g.confirmed = 1, g.cancellation = 1, g.no_show = 1, g.unmet = 1
  from (
    -- the sessions in scope, each with its month worked out once (not once per person);
    -- each "(select …)" is worked out once per call, not once per row
    select s.id, s.course_id, s.starts_at, s.ends_at, s.capacity,
      date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= p_from and s.starts_at < p_to
      and ((select p_filters ->> 'course_id') is null or c.id = (select (p_filters ->> 'course_id')::uuid))
      and ((select p_filters ->> 'format') is null or c.format::text = (select p_filters ->> 'format'))
      and ((select p_filters ->> 'theme') is null or (select p_filters ->> 'theme') = any (c.themes))
      and ((select public.has_staff_role('admin')) or (select public.impact_scope_agency(p_filters)) is not null
           or exists (select 1 from public.session_trainers t
                      where t.session_id = s.id and t.trainer_id = (select auth.uid())))
    offset 0) s
  join public.impact_facts f on f.session_id = s.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, s.starts_at) g
  left join public.agencies a on a.id = f.agency_id
  where ((select public.impact_scope_agency(p_filters)) is null or f.agency_id = (select public.impact_scope_agency(p_filters)))
    and ((select p_filters ->> 'agency_id') is null or f.agency_id = (select (p_filters ->> 'agency_id')::uuid))
    and ((select p_filters ->> 'sector') is null or a.sector::text = (select p_filters ->> 'sector'))
$$;

-- The exports read the places through impact_people: it checks the caller, then returns them.
create function public.impact_people(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz,
    ends_at timestamptz, confirmed boolean, cancellation boolean, no_show boolean, unmet boolean)
  language plpgsql stable security definer set search_path = ''
  rows 20000
as $$
begin
  perform public.require_impact_reader();
  return query select * from public.impact_places(p_from, p_to, p_filters);
end
$$;

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
  v_previous_to timestamptz;
  v_years int;
  v_caller uuid := auth.uid();
  v_admin boolean := public.has_staff_role('admin');
  v_led_agency uuid := public.impact_scope_agency(p_filters);
  -- narrowed to people (an agency or a sector): count their own rows, not the sessions' totals
  v_by_person boolean := v_led_agency is not null or p_filters ->> 'agency_id' is not null or p_filters ->> 'sector' is not null;
  v_quote_search text := p_filters ->> 'quote_search';
  v_format text := p_filters ->> 'format';
  v_theme text := p_filters ->> 'theme';
  v_sector text := p_filters ->> 'sector';
  v_course_id uuid;
  v_agency_id uuid;
  v_result json;
  v_sessions uuid[];
  v_agencies uuid[];
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
  if coalesce(p_filters ->> 'scope', 'partnership') not in ('partnership', 'agency') then
    raise exception 'scope must be "partnership" or "agency" (got "%")', left(p_filters ->> 'scope', 40)
      using errcode = '22023';
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
  if p_filters ->> 'scope' = 'agency' and public.led_agency() is null then
    raise exception 'Only an agency''s safeguarding lead can narrow a report to their agency' using errcode = '42501';
  end if;
  v_course_id := (p_filters ->> 'course_id')::uuid;
  v_agency_id := (p_filters ->> 'agency_id')::uuid;
  -- the sessions in scope, once
  v_sessions := array(
    select s.id from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= v_from and s.starts_at < v_to
      and (v_course_id is null or c.id = v_course_id)
      and (v_format is null or c.format::text = v_format)
      and (v_theme is null or v_theme = any (c.themes))
      and (v_admin or v_led_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_caller)));
  -- the agencies a narrowed report counts people from (the caller's, the one chosen, a
  -- sector's): null when it is not narrowed, and then people with no agency count too
  v_agencies := case when v_by_person then array(
    select a.id from public.agencies a
    where (v_led_agency is null or a.id = v_led_agency)
      and (v_agency_id is null or a.id = v_agency_id)
      and (v_sector is null or a.sector::text = v_sector)) end;

  with scope as materialized (
    -- the sessions in scope, each with its month
    select s.id as session_id, s.course_id, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month,
      extract(epoch from s.ends_at - s.starts_at) / 3600.0 as hours
    from public.sessions s where s.id = any (v_sessions)
  ), place_counts as materialized (
    -- the kept counts per session and agency, summed below either way
    select pc.session_id, pc.agency_id, pc.confirmed, pc.cancellations, pc.attended, pc.no_shows,
      pc.late_cancellations, pc.unmet_demand, pc.responses, pc.followups, pc.followups_answered,
      pc.applied_yes, pc.applied_partly, pc.applied_no
    from public.impact_place_counts pc
    where pc.session_id = any (v_sessions) and pc.places > 0
      and (v_agencies is null or pc.agency_id = any (v_agencies))
  ), places as not materialized (
    -- the places themselves: read for distinct people, and for what a narrowed report
    -- counts from people's own rows
    select f.person, f.agency_id, sc.course_id, sc.month, f.attendance, f.evaluation_id, f.change_sum,
      f.change_n, f.followup_id, f.followup_barriers, f.walk_in_id, f.followup_applied
    from scope sc join public.impact_facts f on f.session_id = sc.session_id
    where (v_agencies is null or f.agency_id = any (v_agencies))
  ), attendees as materialized (
    -- everyone who attended, once per place
    select pe.person, pe.agency_id, pe.month from places pe
    where pe.attendance in ('present', 'late', 'left_early')
  ), attended_people as materialized (
    -- each person once per agency they attended from (one agency, unless a walk-in's differs)
    select d.person, d.agency_id, a.sector
    from (select distinct at.person, at.agency_id from attendees at) d left join public.agencies a on a.id = d.agency_id
  ), agency_people as materialized (
    select ap.agency_id, count(*) as people from attended_people ap group by ap.agency_id
  ), session_counts as materialized (
    select sc.session_id, sc.course_id, sc.capacity, sc.month, sc.hours, g.confirmed, g.cancellations, g.attended,
      g.no_shows, g.late_cancellations, g.unmet_demand, g.responses, g.followups, g.followups_answered,
      g.applied_yes, g.applied_partly, g.applied_no
    from scope sc join (select pc.session_id,
      sum(pc.confirmed)::bigint as confirmed, sum(pc.cancellations)::bigint as cancellations,
      sum(pc.attended)::bigint as attended, sum(pc.no_shows)::bigint as no_shows,
      sum(pc.late_cancellations)::bigint as late_cancellations, sum(pc.unmet_demand)::bigint as unmet_demand,
      sum(pc.responses)::bigint as responses, sum(pc.followups)::bigint as followups,
      sum(pc.followups_answered)::bigint as followups_answered, sum(pc.applied_yes)::bigint as applied_yes,
      sum(pc.applied_partly)::bigint as applied_partly, sum(pc.applied_no)::bigint as applied_no
    from place_counts pc group by pc.session_id) g on g.session_id = sc.session_id
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
  ), walk_ins as (
    -- people who attended without booking (unscheduled attendees), per course
    select s.course_id, count(*) as walk_ins
    from public.impact_facts f join public.sessions s on s.id = f.session_id
    where f.walk_in_id is not null and f.attendance in ('present', 'late', 'left_early') and f.session_id = any (v_sessions)
      and (v_agencies is null or f.agency_id = any (v_agencies))
    group by s.course_id
  ), cancelled_sessions as (
    -- sessions the partnership cancelled in the period; when narrowed to people, those where
    -- some of them had a place
    select s.course_id, count(*) as sessions
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'cancelled' and s.starts_at >= v_from and s.starts_at < v_to
      and (v_course_id is null or c.id = v_course_id)
      and (v_format is null or c.format::text = v_format)
      and (v_theme is null or v_theme = any (c.themes))
      and (v_admin or v_led_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_caller))
      and (not v_by_person or exists (
        select 1 from public.impact_facts f
        where f.session_id = s.id
          and (v_agencies is null or f.agency_id = any (v_agencies))))
    group by s.course_id
  ), barrier_groups as materialized (
    -- the barriers named, counted: answers that differ only in case, spacing or punctuation
    -- are one, shown in the first of their ways of writing in alphabetical order
    select fu.barriers_key as key, regexp_replace(min(btrim(fu.barriers)), '\s+', ' ', 'g') as text,
      count(*) as n
    from public.impact_facts f join public.followups fu on fu.id = f.followup_id
    where f.followup_barriers and f.session_id = any (v_sessions)
      and (v_agencies is null or f.agency_id = any (v_agencies))
    group by 1
  ), course_counts as (
    select sc.course_id, count(*) as sessions, sum(sc.capacity) as capacity, sum(sc.confirmed) as confirmed,
      sum(sc.hours) as hours, sum(sc.hours * sc.attended) as learner_hours,
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
    'scope', case when v_led_agency is not null then 'agency' when v_admin then 'partnership' else 'trainer' end,
    -- the agency a narrowed report is about, and the names of what the filters chose
    'scope_agency', (select a.name from public.agencies a where a.id = v_led_agency),
    'named', json_build_object(
      'course', (select c.title from public.courses c where c.id = v_course_id),
      'agency', (select a.name from public.agencies a where a.id = v_agency_id)),
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
      'walk_ins', (select coalesce(sum(w.walk_ins), 0) from walk_ins w),
      'sessions', count(*),
      'sessions_cancelled', (select coalesce(sum(cs.sessions), 0) from cancelled_sessions cs),
      -- the hours of training delivered (each session's length), and the hours of learning
      -- (each session's length for each person who attended it)
      'hours', coalesce(round(sum(sc.hours), 1), 0),
      'learner_hours', coalesce(round(sum(sc.hours * sc.attended), 1), 0),
      'by_course', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', cc.sessions,
          'sessions_cancelled', coalesce(cs.sessions, 0),
          'capacity', coalesce(cc.capacity, 0), 'confirmed', cc.confirmed, 'attended', cc.attended,
          'walk_ins', coalesce(w.walk_ins, 0),
          'no_shows', cc.no_shows, 'cancellations', cc.cancellations, 'late_cancellations', cc.late_cancellations,
          'unmet_demand', cc.unmet_demand, 'hours', round(cc.hours, 1), 'learner_hours', round(cc.learner_hours, 1))
          order by c.title, c.id)
        from course_counts cc join public.courses c on c.id = cc.course_id
        left join walk_ins w on w.course_id = cc.course_id
        left join cancelled_sessions cs on cs.course_id = cc.course_id), '[]'::json))
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
      -- what changed: up to eight different examples of the learning applied (an example
      -- several people gave is shown once)
      'examples', coalesce((select json_agg(json_build_object('text', x.text, 'course', c.title) order by x.id)
        from (select d.id, d.course_id, d.text from (
                -- of the first 200 by id of those who applied it, picked before reading the examples
                select distinct on (public.impact_same_text(a.text)) a.followup_id as id, a.course_id, a.text
                from (select f.followup_id, (select s.course_id from public.sessions s where s.id = f.session_id) as course_id,
                        (select fu.example from public.followups fu where fu.id = f.followup_id) as text
                      from public.impact_facts f
                      where f.followup_applied in ('yes', 'partly') and f.session_id = any (v_sessions)
                        and (v_agencies is null or f.agency_id = any (v_agencies))
                      order by f.followup_id limit 200) a
                where btrim(a.text) <> ''
                order by public.impact_same_text(a.text), a.followup_id) d
              order by d.id limit 8) x
        join public.courses c on c.id = x.course_id), '[]'::json),
      -- how many people named a barrier, and the barriers counted
      'barriers_named', (select coalesce(sum(bg.n), 0) from barrier_groups bg),
      'barriers', coalesce((select json_agg(json_build_object('text', b.text, 'n', b.n) order by b.n desc, b.text)
        from (select bg.text, bg.n from barrier_groups bg order by bg.n desc, bg.key limit 20) b), '[]'::json))
      from session_counts sc),
    'quotes', coalesce((select json_agg(json_build_object('text', q.text, 'course', c.title) order by q.id)
      from (
        -- up to twelve different answers: of the first 200 by id (picked before reading the
        -- answers; with a search, of the first 200 that match it), the first of each
        select d.id, d.course_id, d.text from (
          select distinct on (public.impact_same_text(c.text)) c.id, c.course_id, c.text
          from (select ev.id, ev.course_id,
                  (select e.practice_change from public.evaluations e where e.id = ev.id) as text
                from (
                  (select f.evaluation_id as id, (select s.course_id from public.sessions s where s.id = f.session_id) as course_id
                   from public.impact_facts f
                   where f.evaluation_id is not null and f.attendance in ('present', 'late', 'left_early')
                     and f.session_id = any (v_sessions)
                     and (v_agencies is null or f.agency_id = any (v_agencies))
                     and (v_quote_search is null
                          or (select e.practice_change from public.evaluations e where e.id = f.evaluation_id)
                             ilike '%' || replace(replace(v_quote_search, '%', '\%'), '_', '\_') || '%')
                   order by f.evaluation_id limit 200)
                  union all
                  (select pa.id, pa.course_id from paper pa
                   where v_quote_search is null
                      or (select e.practice_change from public.evaluations e where e.id = pa.id)
                         ilike '%' || replace(replace(v_quote_search, '%', '\%'), '_', '\_') || '%'
                   order by pa.id limit 200)) ev
                order by ev.id limit 200) c
          where btrim(c.text) <> ''
          order by public.impact_same_text(c.text), c.id) d
        order by d.id limit 12) q
      join public.courses c on c.id = q.course_id), '[]'::json)
  ) into v_result;
  return v_result;
end
$$;
grant execute on function public.impact_report(jsonb) to authenticated;

-- Reach beside the two years before: for the period and the same dates one and two years
-- earlier (as many whole years as a longer period spans), the people trained from each
-- agency and sector, for the evidence pack's reach tables. The same places and people as
-- the report (impact_places), with the same filters and scope.
create function public.impact_reach_years(p_filters jsonb default '{}') returns json
  language plpgsql stable security definer set search_path = ''
  set work_mem = '32MB'
  set plan_cache_mode = force_custom_plan
as $$
declare
  v_from date;
  v_to date;
  v_years int;
  v_result json;
begin
  if jsonb_typeof(coalesce(p_filters, '{}'::jsonb)) <> 'object' then
    raise exception 'Filters must be a JSON object' using errcode = '22023';
  end if;
  begin
    v_from := (p_filters ->> 'from')::date;
    v_to := (p_filters ->> 'to')::date;
  exception when others then
    raise exception 'from and to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_from is null or v_to is null or v_to < v_from then
    raise exception 'Choose a period: from and to dates, with from before to' using errcode = '22023';
  end if;
  if v_to - v_from > 3660 then
    raise exception 'A report covers at most ten years' using errcode = '22023';
  end if;
  if coalesce(p_filters ->> 'scope', 'partnership') not in ('partnership', 'agency') then
    raise exception 'scope must be "partnership" or "agency" (got "%")', left(p_filters ->> 'scope', 40)
      using errcode = '22023';
  end if;
  perform public.require_impact_reader();
  if p_filters ->> 'scope' = 'agency' and public.led_agency() is null then
    raise exception 'Only an agency''s safeguarding lead can narrow a report to their agency' using errcode = '42501';
  end if;
  v_years := greatest(1, ceil((v_to - v_from + 1) / 366.0))::int;

  with periods as (
    select k, (v_from - make_interval(years => k * v_years))::date as from_date,
      (v_to - make_interval(years => k * v_years))::date as to_date
    from generate_series(0, 2) k
  ), attended as materialized (
    select distinct p.k, pl.person, pl.agency_id, pl.sector
    from periods p
    cross join lateral public.impact_places(p.from_date::timestamp at time zone 'Europe/London',
      (p.to_date + 1)::timestamp at time zone 'Europe/London', p_filters) pl
    where pl.attended
  ), agency_rows as (
    select coalesce(a.name, 'Not recorded') as agency, a.sector,
      array[count(distinct at.person) filter (where at.k = 0), count(distinct at.person) filter (where at.k = 1),
            count(distinct at.person) filter (where at.k = 2)] as people
    from attended at left join public.agencies a on a.id = at.agency_id
    group by a.name, a.sector
  ), sector_rows as (
    select coalesce(at.sector::text, 'not_recorded') as sector,
      array[count(distinct at.person) filter (where at.k = 0), count(distinct at.person) filter (where at.k = 1),
            count(distinct at.person) filter (where at.k = 2)] as people
    from attended at group by at.sector
  )
  select json_build_object(
    'periods', (select json_agg(json_build_object('from', to_char(p.from_date, 'YYYY-MM-DD'),
        'to', to_char(p.to_date, 'YYYY-MM-DD')) order by p.k) from periods p),
    'people', (select json_agg(coalesce(n.people, 0) order by p.k) from periods p
      left join (select at.k, count(distinct at.person) as people from attended at group by at.k) n on n.k = p.k),
    'by_agency', coalesce((select json_agg(json_build_object('agency', r.agency, 'sector', r.sector, 'people', r.people)
      order by r.people[1] desc, r.agency) from agency_rows r), '[]'::json),
    'by_sector', coalesce((select json_agg(json_build_object('sector', r.sector, 'people', r.people)
      order by r.people[1] desc, r.sector) from sector_rows r), '[]'::json)
  ) into v_result;
  return v_result;
end
$$;
grant execute on function public.impact_reach_years(jsonb) to authenticated;

-- The rows behind the report, as codes (the app labels them). Bookings and registers name
-- people: they are for those who may see them (the people's own agency's lead, or the
-- partnership's admins; a trainer's own sessions). The evaluations export is anonymised:
-- no name, email or id, a respondent number that means nothing outside the file, the
-- session's month rather than its date, and nothing that describes fewer than
-- impact_min_n() people (see impact_anonymised_evaluations).
create function public.impact_export(p_kind text, p_filters jsonb default '{}') returns jsonb
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
  if coalesce(p_filters ->> 'scope', 'partnership') not in ('partnership', 'agency') then
    raise exception 'scope must be "partnership" or "agency" (got "%")', left(p_filters ->> 'scope', 40)
      using errcode = '22023';
  end if;
  if p_kind = 'bookings' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'format', c.format, 'session_starts', pe.starts_at,
        'name', pr.full_name, 'email', pr.email, 'agency', a.name, 'sector', a.sector,
        'status', b.status, 'booked_at', b.created_at, 'joined_waiting_list', b.waitlisted_at is not null,
        'had_place', b.confirmed_at is not null, 'cancelled_at', b.cancelled_at,
        'late_cancellation', pe.late_cancellation, 'attendance', pe.attendance)
        order by pe.starts_at, c.title, pr.full_name, b.id)
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.bookings b on b.id = pe.booking_id
      join public.profiles pr on pr.id = b.user_id
      join public.courses c on c.id = pe.course_id
      left join public.agencies a on a.id = pe.agency_id), '[]');
  elsif p_kind = 'registers' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'session_starts', pe.starts_at,
        'name', coalesce(pr.full_name, w.full_name), 'email', coalesce(pr.email, w.email),
        'agency', coalesce(a.name, w.agency_name), 'sector', a.sector,
        'booked', pe.booking_id is not null, 'attendance', coalesce(pe.attendance::text, 'not_marked'))
        order by pe.starts_at, c.title, coalesce(pr.full_name, w.full_name), pe.booking_id, pe.walk_in_id)
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.courses c on c.id = pe.course_id
      left join public.bookings b on b.id = pe.booking_id
      left join public.profiles pr on pr.id = b.user_id
      left join public.walk_in_attendees w on w.id = pe.walk_in_id
      left join public.agencies a on a.id = pe.agency_id
      where pe.booking_status is null or pe.booking_status in ('confirmed', 'cancelled') or pe.attendance is not null), '[]');
  elsif p_kind = 'evaluations' then
    return public.impact_anonymised_evaluations(v_from, v_to, p_filters);
  end if;
  raise exception 'Export must be bookings, registers or evaluations (got "%")', left(coalesce(p_kind, ''), 40)
    using errcode = '22023';
end
$$;
grant execute on function public.impact_export(text, jsonb) to authenticated;

-- The anonymised evaluations: one row per rating, of the evaluations the report counts
-- (from people who attended, and paper forms for the partnership and trainers). Nothing
-- describes fewer than impact_min_n() people:
-- * a course with fewer answers than that is left out;
-- * the session is given as its month, and only when every month of the course has that
--   many answers (otherwise no month for that course);
-- * an answer's sector is given only where that many answered from the sector (on the course,
--   and in the month when months are given); the smaller sectors together read
--   "not_shown", and if even they are fewer, no sector is given for that course (and month).
create function public.impact_anonymised_evaluations(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns jsonb
  language sql stable security definer set search_path = ''
as $$
  with counted as materialized (
    select e.id, e.session_id from public.evaluations e
    where e.id in (select pe.evaluation_id from public.impact_people(p_from, p_to, p_filters) pe where pe.attended)
      or (e.from_paper and e.session_id in (select pe.session_id from public.impact_people(p_from, p_to, p_filters) pe)
          and public.impact_scope_agency(p_filters) is null
          and p_filters ->> 'agency_id' is null and p_filters ->> 'sector' is null)
  ), answers as (
    select e.id, s.course_id, c.title, to_char(s.starts_at at time zone 'Europe/London', 'YYYY-MM') as month,
      coalesce(a.sector::text, 'not_recorded') as sector
    from counted k join public.evaluations e on e.id = k.id
    join public.sessions s on s.id = e.session_id
    join public.courses c on c.id = s.course_id
    left join public.profiles pr on pr.id = e.user_id
    left join public.agencies a on a.id = pr.agency_id
  ), by_month as (
    select an.*, count(*) over (partition by an.course_id) as course_n,
      count(*) over (partition by an.course_id, an.month) as month_n
    from answers an
  ), months as (
    select bm.*, case when min(bm.month_n) over (partition by bm.course_id) >= public.impact_min_n()
      then bm.month end as shown_month
    from by_month bm where bm.course_n >= public.impact_min_n()
  ), sectors as (
    select m.*, count(*) over (partition by m.course_id, m.shown_month, m.sector) as sector_n
    from months m
  ), grouped as (
    select sc.*, case when sc.sector_n >= public.impact_min_n() then sc.sector else 'not_shown' end as grouped_sector
    from sectors sc
  ), shown as (
    select g.*, case when count(*) filter (where g.grouped_sector = 'not_shown')
        over (partition by g.course_id, g.shown_month) between 1 and public.impact_min_n() - 1
      then 'not_shown' else g.grouped_sector end as shown_sector
    from grouped g
  ), numbered as (
    select sh.*, row_number() over (order by sh.title, sh.shown_month nulls first, md5(sh.id::text)) as respondent
    from shown sh
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'respondent', n.respondent, 'course', n.title, 'month', n.shown_month, 'sector', n.shown_sector,
      'outcome', lo.text, 'before', r.before, 'after', r.after, 'usefulness', e.overall,
      'practice_change', e.practice_change, 'from_paper', e.from_paper)
      order by n.respondent, lo.position), '[]')
  from numbered n
  join public.evaluations e on e.id = n.id
  join public.evaluation_ratings r on r.evaluation_id = n.id
  join public.learning_outcomes lo on lo.id = r.outcome_id
$$;
