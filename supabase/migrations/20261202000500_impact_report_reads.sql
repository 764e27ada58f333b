-- The impact report reads less: the sessions in scope worked out once, the quotes and examples
-- read by an index in id order up to the first 200, each follow-up's barriers keyed once when
-- written, and the walk-ins and paper forms read by index rather than from every place.

-- Two answers say the same when they differ only in case, spacing or punctuation: the impact
-- pack lists each barrier, quote and example once. No SET: it inlines where it is used, and
-- a follow-up keeps its barriers' key worked out by it (followups.barriers_key).
create or replace function public.impact_same_text(p_text text) returns text
  language sql immutable
as $$ select btrim(regexp_replace(lower(p_text), '[[:space:][:punct:]]+', ' ', 'g')) $$;

alter table public.followups
  add column barriers_key text generated always as (public.impact_same_text(barriers)) stored;

-- the key is derived from the barriers: a submitted follow-up's check and its sync row leave it out
create or replace function public.forbid_submission_change() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'Submitted answers cannot be deleted' using errcode = '42501';
  end if;
  if tg_table_name = 'followups' and (to_jsonb(old) ->> 'submitted_at') is null then
    return new;
  end if;
  -- barriers_key is worked out from barriers, after this trigger (null in it)
  if (to_jsonb(new) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised' - 'barriers_key') is distinct from
     (to_jsonb(old) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised' - 'barriers_key') then
    raise exception 'Submitted answers cannot be changed' using errcode = '42501';
  end if;
  return new;
end
$$;

create or replace function public.followup_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  -- not the barriers' key: it is the impact report's, worked out from the barriers
  select (to_jsonb(f) - 'barriers_key') || jsonb_build_object('ratings', coalesce((
    select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'now', r.now_rating))
    from public.followup_ratings r where r.followup_id = f.id), '[]'))
  from public.followups f where f.id = p_id
$$;

-- the places whose follow-up named a barrier, which the impact report counts
create index impact_facts_barriers_idx on public.impact_facts (followup_id) where followup_barriers;
-- the paper forms of the sessions an impact report covers
create index evaluations_paper_idx on public.evaluations (session_id) where from_paper;

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
