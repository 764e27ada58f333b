-- The training record: every session a person attended, its learning time and
-- certificate, and training that must be renewed (a course's renew_years), with a reminder
-- email before it falls due (the refresher-reminders job).

alter table public.courses add column renew_years int check (renew_years between 1 and 10);

create or replace function public.admin_save_course(p_course jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_course public.courses;
  v_id uuid := coalesce((p_course ->> 'id')::uuid, gen_random_uuid());
  v_title text := public.checked_text(p_course ->> 'title', 'Title', 200);
  v_slug text := coalesce(nullif(p_course ->> 'slug', ''),
    trim(both '-' from regexp_replace(lower(v_title), '[^a-z0-9]+', '-', 'g')));
  -- training that must be renewed: every 1 to 10 years; empty when it need not be
  v_renew text := nullif(p_course ->> 'renew_years', '');
begin
  perform public.require_admin();
  if jsonb_typeof(p_course -> 'themes') is distinct from 'array' or jsonb_array_length(p_course -> 'themes') = 0 then
    raise exception 'Choose at least one theme' using errcode = '22023', detail = 'Themes';
  end if;
  if coalesce((p_course ->> 'duration_minutes')::int, 0) not between 15 and 2880 then
    raise exception 'Duration must be between 15 minutes and 2 days' using errcode = '22023', detail = 'Duration';
  end if;
  if v_renew !~ '^([1-9]|10)$' then
    raise exception 'Renewal must be every 1 to 10 years, or left empty' using errcode = '22023', detail = 'Renew every';
  end if;
  insert into public.courses as c (id, slug, title, summary, description, audience, level, format,
    duration_minutes, themes, series, elearning_url, followup_weeks, renew_years)
  values (v_id, v_slug, v_title,
    public.checked_text(p_course ->> 'summary', 'Summary', 600),
    coalesce(public.checked_text(p_course ->> 'description', 'Description', 10000, false), ''),
    public.checked_text(p_course ->> 'audience', 'Audience', 600),
    (p_course ->> 'level')::public.course_level,
    (p_course ->> 'format')::public.course_format,
    (p_course ->> 'duration_minutes')::int,
    array(select jsonb_array_elements_text(p_course -> 'themes')),
    nullif(p_course ->> 'series', ''),
    nullif(p_course ->> 'elearning_url', ''),
    coalesce((p_course ->> 'followup_weeks')::int, 12),
    v_renew::int)
  on conflict (id) do update set
    slug = excluded.slug, title = excluded.title, summary = excluded.summary,
    description = excluded.description, audience = excluded.audience, level = excluded.level,
    format = excluded.format, duration_minutes = excluded.duration_minutes, themes = excluded.themes,
    series = excluded.series, elearning_url = excluded.elearning_url,
    followup_weeks = excluded.followup_weeks, renew_years = excluded.renew_years
  returning * into v_course;
  return to_jsonb(v_course);
end
$$;

-- The training record: the sessions a person attended, booked or as a walk-in with their
-- email. Attended is present, late or left early, as in the impact figures; a session the
-- partnership cancelled is no one's training.
create function public.attended_sessions(p_user uuid)
  returns table (user_id uuid, session_id uuid, attendance public.attendance_status, certificate_ref text)
  language sql stable security definer set search_path = ''
as $$
  select distinct on (x.user_id, x.session_id) x.user_id, x.session_id, x.attendance, x.certificate_ref
  from (
    select b.user_id, b.session_id, public.attendance_status_of(b.id) as attendance, b.certificate_ref
    from public.bookings b where b.user_id = p_user
    union all
    select p.id, w.session_id, public.walk_in_attendance_status(w.id), w.certificate_ref
    from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where p.id = p_user and not w.anonymised
  ) x
  join public.sessions s on s.id = x.session_id
  where x.attendance in ('present', 'late', 'left_early') and s.status <> 'cancelled'
  order by x.user_id, x.session_id, x.attendance
$$;

-- When training must be renewed: the UK date it was last completed (present or late; leaving
-- early does not complete it) plus the course's renewal years.
create function public.renewal_due_on(p_completed_at timestamptz, p_renew_years int) returns date
  language sql immutable set search_path = ''
as $$
  select ((p_completed_at at time zone 'Europe/London')::date
    + make_interval(years => p_renew_years))::date
$$;

-- A person's record as the app shows it: every attended session with the learning time it
-- counts (the course's length when completed, none when they left early), the certificate
-- when it has been earned (as verify_certificate decides), and each course to renew with
-- its due date and any place booked to renew it. For the person's own page and their
-- agency lead's; no API role calls it directly.
create function public.training_record_of(p_user uuid) returns jsonb
  language sql stable security definer set search_path = ''
as $$
  with attended as (
    select a.session_id, a.attendance, a.attendance in ('present', 'late') as completed,
      s.starts_at, s.ends_at, c.id as course_id, c.title, c.slug, c.format, c.duration_minutes,
      c.renew_years, c.status = 'published' as published,
      (select min(e.submitted_at) from public.evaluations e
       where e.session_id = a.session_id and e.user_id = p_user) as evaluated_at,
      a.certificate_ref
    from public.attended_sessions(p_user) a
    join public.sessions s on s.id = a.session_id
    join public.courses c on c.id = s.course_id
  ), renewals as (
    select distinct on (t.course_id) t.course_id, t.title, t.slug, t.published, t.renew_years,
      t.starts_at as completed_at, public.renewal_due_on(t.starts_at, t.renew_years) as due_on
    from attended t where t.completed and t.renew_years is not null
    order by t.course_id, t.starts_at desc
  )
  select jsonb_build_object(
    'name', p.full_name,
    'agency', ag.name,
    'sessions', coalesce((
      select jsonb_agg(jsonb_build_object(
        'session_id', t.session_id, 'course_id', t.course_id, 'course', t.title, 'slug', t.slug,
        'published', t.published, 'format', t.format, 'starts_at', t.starts_at, 'ends_at', t.ends_at,
        'attendance', t.attendance,
        'learning_minutes', case when t.completed then t.duration_minutes else 0 end,
        'evaluated', t.evaluated_at is not null,
        'certificate', case when t.completed and t.evaluated_at is not null and p.full_name is not null
          then jsonb_build_object('reference', t.certificate_ref, 'issued_at', t.evaluated_at,
            'outcomes', coalesce((
              select jsonb_agg(lo.text order by lo.position) from public.learning_outcomes lo
              where lo.course_id = t.course_id and (lo.retired_at is null or lo.retired_at > t.starts_at)),
              '[]'::jsonb)) end)
        order by t.starts_at desc)
      from attended t), '[]'::jsonb),
    'renewals', coalesce((
      select jsonb_agg(jsonb_build_object(
        'course_id', r.course_id, 'course', r.title, 'slug', r.slug, 'published', r.published,
        'renew_years', r.renew_years, 'completed_at', r.completed_at, 'due_on', r.due_on,
        'booked_starts_at', (
          select min(s.starts_at) from public.bookings b join public.sessions s on s.id = b.session_id
          where b.user_id = p_user and s.course_id = r.course_id and s.status = 'scheduled'
            and s.starts_at > now() and b.status in ('confirmed', 'waitlisted', 'offered')))
        order by r.due_on)
      from renewals r), '[]'::jsonb))
  from public.profiles p left join public.agencies ag on ag.id = p.agency_id
  where p.id = p_user
$$;

-- The caller's own training record.
create function public.my_training_record() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Sign in to see your training record' using errcode = '42501';
  end if;
  return public.training_record_of(auth.uid());
end
$$;
grant execute on function public.my_training_record() to authenticated;

-- Training to renew: one email to each person whose training falls due within six weeks,
-- or fell due in the last 90 days (a course given a renewal period after the fact does not
-- email everyone who ever took it), unless they already have a place on a later session
-- of the course. The due date is in the key: renewing it makes a new due date and so a
-- new reminder in time.
create function public.send_refresher_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_today date := (p_now at time zone 'Europe/London')::date;
  v_count int;
begin
  -- only sessions whose completion falls due in the window are looked at; one that a later
  -- completion has renewed is left out below
  with renewing as (
    select s.id, s.course_id, s.starts_at, c.renew_years
    from public.sessions s join public.courses c on c.id = s.course_id
    where c.renew_years is not null and s.status <> 'cancelled' and s.starts_at <= p_now
      and public.renewal_due_on(s.starts_at, c.renew_years) between v_today - 90 and v_today + 42
  ), completed as (
    select distinct on (x.user_id, r.course_id) x.user_id, r.course_id, r.starts_at
    from (
      select b.user_id, b.session_id, public.attendance_status_of(b.id) as attendance
      from public.bookings b where b.session_id in (select id from renewing)
      union all
      select p.id, w.session_id, public.walk_in_attendance_status(w.id)
      from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
      where w.session_id in (select id from renewing) and not w.anonymised
    ) x join renewing r on r.id = x.session_id
    where x.attendance in ('present', 'late')
    order by x.user_id, r.course_id, r.starts_at desc
  ), due as (
    select d.user_id, c.id as course_id, c.title, c.slug, c.status, c.renew_years, d.starts_at,
      public.renewal_due_on(d.starts_at, c.renew_years) as due_on
    from completed d join public.courses c on c.id = d.course_id
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'refresher_due',
      'Time to renew: ' || d.title,
      'Your ' || d.title || ' training '
        || case when d.due_on < v_today then 'was due for renewal on ' else 'is due for renewal by ' end
        || to_char(d.due_on, 'FMDD FMMonth YYYY') || '. You last completed it on '
        || to_char(d.starts_at at time zone 'Europe/London', 'FMDD FMMonth YYYY')
        || ', and it is renewed every ' || d.renew_years
        || case when d.renew_years = 1 then ' year.' else ' years.' end
        || E'\n\n' || case when d.status = 'published'
          then 'Book a place: ' || public.app_link('/courses/' || d.slug)
          else 'The partnership will publish new dates: see the brochure at ' || public.app_link('/') end
        || E'\n\nYour training record: ' || public.app_link('/my-training/record'),
      'refresher:' || d.user_id || ':' || d.course_id || ':' || d.due_on)
    from due d join public.profiles p on p.id = d.user_id
    where d.due_on between v_today - 90 and v_today + 42
      and p.email not like '%@deleted.invalid'
      and not exists (
        select 1 from public.attended_sessions(d.user_id) a join public.sessions s on s.id = a.session_id
        where s.course_id = d.course_id and s.starts_at > d.starts_at and a.attendance in ('present', 'late'))
      and not exists (
        select 1 from public.bookings b join public.sessions s on s.id = b.session_id
        where b.user_id = d.user_id and s.course_id = d.course_id and s.status = 'scheduled'
          and s.starts_at > p_now and b.status in ('confirmed', 'waitlisted', 'offered'))
  ) sent;
  return v_count;
end
$$;

insert into public.scheduled_jobs (name, schedule, command, about) values
  ('refresher-reminders', '40 8 * * *', 'select public.send_refresher_reminders()',
    'One email to renew training that falls due within six weeks (courses to renew every few years)');
select public.schedule_jobs();
