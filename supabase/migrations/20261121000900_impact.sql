-- Impact analysis (issue 7): one RPC per report. The aggregates are done here, in SQL; the
-- statistics (confidence intervals, effect sizes, Wilcoxon signed-rank tests) are worked out
-- in the app by a statistics library from the distributions this returns, which are small:
-- ratings are whole numbers 1–5, so each paired difference has one of nine values.
--
-- Who sees what: admins the whole partnership; an agency's safeguarding lead only people
-- from their agency, whatever the filters say; a trainer only the sessions they teach. No
-- report carries a name, an email or an id of a person.

create index if not exists bookings_session_status_idx on public.bookings (session_id, status);
create index if not exists evaluations_session_idx on public.evaluations (session_id);
create index if not exists attendance_events_booking_time_idx
  on public.attendance_events (booking_id, marked_at desc) where booking_id is not null;
create index if not exists sessions_starts_idx on public.sessions (starts_at);

-- Everyone on the registers of the sessions in scope: one row per booking or walk-in, with
-- their agency and how they were marked (latest mark a person made; a no-show when the only
-- mark is from closing the register).
create function public.impact_people(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person text, agency_id uuid, booking_id uuid, booking_status public.booking_status,
    waitlisted boolean, late_cancellation boolean, attendance public.attendance_status)
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
begin
  if v_uid is null or not (v_admin or v_lead_agency is not null or v_trainer) then
    raise exception 'Impact reports are for the partnership''s admins, agency safeguarding leads and trainers'
      using errcode = '42501';
  end if;
  return query
  with sessions as (
    select s.id, s.course_id, s.starts_at, s.capacity
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= p_from and s.starts_at < p_to
      and (p_filters ->> 'course_id' is null or c.id = (p_filters ->> 'course_id')::uuid)
      and (p_filters ->> 'format' is null or c.format::text = p_filters ->> 'format')
      and (p_filters ->> 'theme' is null or (p_filters ->> 'theme') = any (c.themes))
      and (v_admin or v_lead_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_uid))
  ), marks as (
    select distinct on (e.booking_id) e.booking_id,
      case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
    from public.attendance_events e join sessions s on s.id = e.session_id
    where e.booking_id is not null
    order by e.booking_id, (e.source = 'closure'), e.marked_at desc, e.id desc
  ), walk_in_marks as (
    select distinct on (e.walk_in_id) e.walk_in_id, e.status
    from public.attendance_events e join sessions s on s.id = e.session_id
    where e.walk_in_id is not null
    order by e.walk_in_id, e.marked_at desc, e.id desc
  ), everyone as (
    select s.id as session_id, s.course_id, s.starts_at, s.capacity, b.user_id::text as person,
      p.agency_id, b.id as booking_id, b.status as booking_status, b.waitlisted_at is not null as waitlisted,
      (b.status = 'cancelled' and b.cancelled_at > s.starts_at - interval '48 hours') as late_cancellation,
      m.status as attendance
    from sessions s
    join public.bookings b on b.session_id = s.id
    join public.profiles p on p.id = b.user_id
    left join marks m on m.booking_id = b.id
    union all
    select s.id, s.course_id, s.starts_at, s.capacity, coalesce('walk-in:' || lower(w.email), 'walk-in:' || w.id),
      w.agency_id, null, null, false, false, m.status
    from sessions s
    join public.walk_in_attendees w on w.session_id = s.id
    left join walk_in_marks m on m.walk_in_id = w.id
  )
  select e.* from everyone e
  left join public.agencies a on a.id = e.agency_id
  where (v_lead_agency is null or e.agency_id = v_lead_agency)
    and (p_filters ->> 'agency_id' is null or e.agency_id = (p_filters ->> 'agency_id')::uuid)
    and (p_filters ->> 'sector' is null or a.sector::text = p_filters ->> 'sector');
end
$$;

-- Counts of each value in a list, as {"value": count}: the shape the app's statistics read.
create function public.value_counts(p_values text[]) returns jsonb
  language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_object_agg(v, n), '{}') from (
    select v, count(*) as n from unnest(p_values) v group by v
  ) c
$$;

create function public.impact_report(p_filters jsonb default '{}') returns jsonb
  language plpgsql stable security definer set search_path = ''
  -- ten years of rows sort and hash in memory rather than on disk, and joins between the
  -- report's intermediate results hash instead of rescanning one for each row of another
  -- (the planner cannot estimate them, and a nested loop over 60,000 rows never ends)
  set work_mem = '32MB'
  set enable_nestloop = off
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_previous_from timestamptz;
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
  v_previous_from := v_from - (v_to - v_from);

  with people as materialized (
    select * from public.impact_people(v_from, v_to, p_filters)
  ), previous as materialized (
    select * from public.impact_people(v_previous_from, v_from, p_filters)
  ), attended as materialized (
    select * from people where attendance in ('present', 'late', 'left_early')
  ), booked_people as materialized (
    -- one row per person booked on a session (hash-joined below, not looked up row by row)
    select distinct pe.session_id, pe.course_id, pe.person from people pe where pe.booking_id is not null
  ), evaluations as materialized (
    -- evaluations by people in scope (an agency lead: their agency's people only)
    select e.id, e.session_id, bp.course_id, e.user_id, e.overall, e.practice_change
    from public.evaluations e
    join booked_people bp on bp.session_id = e.session_id and bp.person = e.user_id::text
    union all
    -- paper forms belong to no agency: they count for the partnership and for trainers
    select e.id, e.session_id, s.course_id, e.user_id, e.overall, e.practice_change
    from public.evaluations e join public.sessions s on s.id = e.session_id
    where e.from_paper and e.session_id in (select pe.session_id from people pe)
      and not exists (select 1 from public.staff_roles r where r.user_id = auth.uid() and r.role = 'agency_lead')
      and p_filters ->> 'agency_id' is null and p_filters ->> 'sector' is null
  ), ratings as materialized (
    select ev.course_id, ev.id as evaluation_id, ev.session_id, ev.user_id, r.outcome_id, r.before, r.after
    from evaluations ev join public.evaluation_ratings r on r.evaluation_id = ev.id
  ), followups as materialized (
    select f.*, bp.course_id
    from public.followups f
    join booked_people bp on bp.session_id = f.session_id and bp.person = f.user_id::text
  ), month_counts as (
    select to_char(pe.starts_at at time zone 'Europe/London', 'YYYY-MM') as month,
      count(distinct pe.person) filter (where pe.attendance in ('present', 'late', 'left_early')) as people,
      count(*) filter (where pe.booking_status is not null) as booked,
      count(*) filter (where pe.attendance in ('present', 'late', 'left_early')) as attended
    from people pe group by 1
  ), course_attendance as (
    select pe.course_id,
      count(distinct pe.session_id) as sessions,
      count(*) filter (where pe.booking_status is not null) as booked,
      count(*) filter (where pe.attendance in ('present', 'late', 'left_early')) as attended,
      count(*) filter (where pe.booking_status = 'confirmed' and pe.attendance = 'absent') as no_shows,
      count(*) filter (where pe.late_cancellation) as late_cancellations,
      count(*) filter (where pe.waitlisted and pe.booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
                       and pe.attendance is null) as unmet_demand
    from people pe group by pe.course_id
  ), course_capacity as (
    select s.course_id, sum(s.capacity) as capacity
    from (select distinct pe.session_id, pe.course_id, pe.capacity from people pe) s group by s.course_id
  ), person_changes as (
    select d.course_id, public.value_counts(array_agg(d.v)) as counts
    from (select r.course_id, sum(r.after - r.before)::text || '/' || count(*)::text as v
          from ratings r group by r.course_id, r.evaluation_id) d
    group by d.course_id
  ), outcome_rows as (
    select o.course_id, jsonb_agg(jsonb_build_object(
        'outcome_id', o.outcome_id, 'position', lo.position, 'text', lo.text, 'n', o.n,
        'sum_before', o.sum_before, 'sum_after', o.sum_after, 'changes', o.changes) order by lo.position) as outcomes
    from (select r.course_id, r.outcome_id, count(*) as n, sum(r.before) as sum_before, sum(r.after) as sum_after,
            public.value_counts(array_agg((r.after - r.before)::text)) as changes
          from ratings r group by r.course_id, r.outcome_id) o
    join public.learning_outcomes lo on lo.id = o.outcome_id
    group by o.course_id
  ), course_responses as (
    select ev.course_id, count(*) as responses from evaluations ev group by ev.course_id
  ), course_attended as (
    select a.course_id, count(*) as attended from attended a group by a.course_id
  )
  select jsonb_build_object(
    'period', jsonb_build_object('from', p_filters ->> 'from', 'to', p_filters ->> 'to',
      'previous_from', to_char(v_previous_from at time zone 'Europe/London', 'YYYY-MM-DD')),
    'scope', case when public.has_staff_role('admin') then 'partnership'
                  when exists (select 1 from public.staff_roles r where r.user_id = auth.uid() and r.role = 'agency_lead') then 'agency'
                  else 'trainer' end,
    'reach', jsonb_build_object(
      'people', (select count(distinct person) from attended),
      'places_booked', (select count(*) from people where booking_status is not null),
      'agencies', (select count(distinct agency_id) from attended),
      'previous', jsonb_build_object(
        'people', (select count(distinct person) from previous where attendance in ('present', 'late', 'left_early')),
        'places_booked', (select count(*) from previous where booking_status is not null)),
      'by_agency', coalesce((select jsonb_agg(x order by x.people desc, x.agency) from (
        select coalesce(a.name, 'Not recorded') as agency, a.sector,
          count(distinct pe.person) filter (where pe.attendance in ('present', 'late', 'left_early')) as people,
          count(*) filter (where pe.booking_status is not null) as booked,
          count(*) filter (where pe.attendance in ('present', 'late', 'left_early')) as attended,
          count(*) filter (where pe.booking_status = 'confirmed' and pe.attendance = 'absent') as no_shows
        from people pe left join public.agencies a on a.id = pe.agency_id
        group by a.name, a.sector) x), '[]'),
      'by_sector', coalesce((select jsonb_agg(x order by x.people desc) from (
        select coalesce(a.sector::text, 'not_recorded') as sector, count(distinct pe.person) as people, count(*) as attended
        from attended pe left join public.agencies a on a.id = pe.agency_id group by a.sector) x), '[]'),
      -- every month of the period, with zeros, so a quiet month shows as one
      'by_month', coalesce((select jsonb_agg(jsonb_build_object('month', m.month,
          'people', coalesce(c.people, 0), 'booked', coalesce(c.booked, 0), 'attended', coalesce(c.attended, 0))
          order by m.month)
        from (select to_char(g, 'YYYY-MM') as month
              from generate_series(date_trunc('month', v_from at time zone 'Europe/London'),
                                   (v_to at time zone 'Europe/London') - interval '1 day', interval '1 month') g) m
        left join month_counts c on c.month = m.month), '[]')),
    'attendance', jsonb_build_object(
      'attended', (select count(*) from attended),
      'no_shows', (select count(*) from people where booking_status = 'confirmed' and attendance = 'absent'),
      'late_cancellations', (select count(*) from people where late_cancellation),
      'unmet_demand', (select count(*) from people where waitlisted and booking_status in ('waitlisted', 'declined', 'cancelled', 'offered') and attendance is null),
      'by_course', coalesce((select jsonb_agg(jsonb_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', ca.sessions,
          'capacity', coalesce(cc.capacity, 0), 'booked', ca.booked, 'attended', ca.attended,
          'no_shows', ca.no_shows, 'late_cancellations', ca.late_cancellations, 'unmet_demand', ca.unmet_demand)
          order by c.title)
        from course_attendance ca join public.courses c on c.id = ca.course_id
        left join course_capacity cc on cc.course_id = ca.course_id), '[]')),
    'learning', jsonb_build_object(
      'responses', (select count(*) from evaluations),
      'courses', coalesce((select jsonb_agg(jsonb_build_object(
          'course_id', c.id, 'title', c.title, 'attended', coalesce(cat.attended, 0), 'responses', cr.responses,
          -- each respondent's mean change across the outcomes, as "sum/count": exact, and small
          'person_changes', coalesce(pc.counts, '{}'), 'outcomes', coalesce(o.outcomes, '[]'))
          order by c.title)
        from course_responses cr join public.courses c on c.id = cr.course_id
        left join course_attended cat on cat.course_id = cr.course_id
        left join person_changes pc on pc.course_id = cr.course_id
        left join outcome_rows o on o.course_id = cr.course_id), '[]')),
    'followup', jsonb_build_object(
      'requested', (select count(*) from followups),
      'answered', (select count(*) from followups where submitted_at is not null),
      'applied', jsonb_build_object(
        'yes', (select count(*) from followups where applied = 'yes'),
        'partly', (select count(*) from followups where applied = 'partly'),
        'no', (select count(*) from followups where applied = 'no')),
      'outcomes', coalesce((select jsonb_agg(x order by x.title, x.position) from (
        select c.title, lo.position, lo.text, count(*) as n,
          sum(er.after) as sum_end, sum(fr.now_rating) as sum_now,
          public.value_counts(array_agg((fr.now_rating - er.after)::text)) as changes
        from followups f
        join public.followup_ratings fr on fr.followup_id = f.id
        join public.evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
        join public.evaluation_ratings er on er.evaluation_id = e.id and er.outcome_id = fr.outcome_id
        join public.learning_outcomes lo on lo.id = fr.outcome_id
        join public.courses c on c.id = f.course_id
        group by c.title, lo.position, lo.text) x), '[]'),
      'barriers', coalesce((select jsonb_agg(b.barriers) from (
        select f.barriers from followups f where f.barriers is not null order by md5(f.id::text) limit 20) b), '[]')),
    'quotes', coalesce((select jsonb_agg(q) from (
        select ev.practice_change as text, c.title as course from evaluations ev
        join public.courses c on c.id = ev.course_id
        where p_filters ->> 'quote_search' is null
           or ev.practice_change ilike '%' || replace(replace(p_filters ->> 'quote_search', '%', '\%'), '_', '\_') || '%'
        order by md5(ev.id::text) limit 12) q), '[]')
  ) into v_result;
  return v_result;
end
$$;

grant execute on function public.impact_report(jsonb) to authenticated;

-- Rows behind the report, for a spreadsheet: bookings, registers, or evaluations (no name,
-- no email, no id: one line per outcome rating with the agency's sector only).
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
      left join public.walk_in_attendees w on pe.booking_id is null and w.session_id = pe.session_id
        and pe.person = coalesce('walk-in:' || lower(w.email), 'walk-in:' || w.id)
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
      where (e.session_id, e.user_id::text) in (
          select pe.session_id, pe.person from public.impact_people(v_from, v_to, p_filters) pe)
        or (e.from_paper and e.session_id in (select pe.session_id from public.impact_people(v_from, v_to, p_filters) pe)
            and not exists (select 1 from public.staff_roles sr where sr.user_id = auth.uid() and sr.role = 'agency_lead'))), '[]');
  end if;
  raise exception 'Export must be bookings, registers or evaluations (got "%")', left(coalesce(p_kind, ''), 40)
    using errcode = '22023';
end
$$;

grant execute on function public.impact_export(text, jsonb) to authenticated;
