-- The partnership's admin API: courses, learning outcomes, sessions, Webinar Wednesdays,
-- trainers and cancelling a session. Called directly (these need a connection), each
-- checks the caller is an admin (require_admin, 05_people.sql) and raises clear errors in
-- PostgREST's shape.

-- Creates or updates a course (its status is changed by admin_set_course_status).
create function public.admin_save_course(p_course jsonb) returns jsonb
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
  v_questions text[];
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
  if p_course ? 'booking_questions' and jsonb_typeof(p_course -> 'booking_questions') not in ('array', 'null') then
    raise exception 'Booking questions must be a list' using errcode = '22023', detail = 'Booking questions';
  end if;
  v_questions := array(select trim(q) from jsonb_array_elements_text(
    coalesce(nullif(p_course -> 'booking_questions', 'null'::jsonb), '[]')) with ordinality x(q, n)
    where trim(q) <> '' order by n);
  if cardinality(v_questions) > 5 then
    raise exception 'Ask at most 5 questions at booking' using errcode = '22023', detail = 'Booking questions';
  end if;
  if not public.booking_questions_valid(v_questions) then
    raise exception 'Each booking question must be 5 to 300 characters' using errcode = '22023', detail = 'Booking questions';
  end if;
  insert into public.courses as c (id, slug, title, summary, description, audience, level, format,
    duration_minutes, themes, series, elearning_url, followup_weeks, renew_years, booking_questions)
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
    v_renew::int, v_questions)
  on conflict (id) do update set
    slug = excluded.slug, title = excluded.title, summary = excluded.summary,
    description = excluded.description, audience = excluded.audience, level = excluded.level,
    format = excluded.format, duration_minutes = excluded.duration_minutes, themes = excluded.themes,
    series = excluded.series, elearning_url = excluded.elearning_url,
    followup_weeks = excluded.followup_weeks, renew_years = excluded.renew_years,
    booking_questions = excluded.booking_questions
  returning * into v_course;
  return to_jsonb(v_course);
end
$$;

-- Replaces a course's learning outcomes with the given list, in order. An outcome that has
-- been evaluated is never edited: changing or removing it retires it (and a changed text
-- becomes a new outcome), so past ratings keep meaning what was asked.
create function public.admin_save_outcomes(p_course_id uuid, p_outcomes jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_item record;
  v_existing public.learning_outcomes;
  v_text text;
  v_keep uuid[] := '{}';
begin
  perform public.require_admin();
  if not exists (select 1 from public.courses where id = p_course_id) then
    raise exception 'Course % does not exist', p_course_id using errcode = '22023';
  end if;
  if jsonb_typeof(p_outcomes) is distinct from 'array' or jsonb_array_length(p_outcomes) not between 1 and 20 then
    raise exception 'A course needs between 1 and 20 learning outcomes' using errcode = '22023';
  end if;
  -- free the positions before renumbering
  update public.learning_outcomes set position = position + 100
    where course_id = p_course_id and retired_at is null;
  for v_item in select value, ordinality from jsonb_array_elements(p_outcomes) with ordinality loop
    v_text := public.checked_text(v_item.value ->> 'text', 'Learning outcome ' || v_item.ordinality, 500);
    select * into v_existing from public.learning_outcomes
      where id = (v_item.value ->> 'id')::uuid and course_id = p_course_id and retired_at is null;
    if found and (v_existing.text = v_text or not exists (
        select 1 from public.evaluation_ratings r where r.outcome_id = v_existing.id)) then
      update public.learning_outcomes set text = v_text, position = v_item.ordinality where id = v_existing.id;
      v_keep := v_keep || v_existing.id;
    else
      insert into public.learning_outcomes (course_id, position, text)
        values (p_course_id, v_item.ordinality, v_text) returning id into v_existing.id;
      v_keep := v_keep || v_existing.id;
    end if;
  end loop;
  -- whatever is no longer listed: retired if evaluated, otherwise removed
  update public.learning_outcomes set retired_at = now()
    where course_id = p_course_id and retired_at is null and id <> all (v_keep)
      and exists (select 1 from public.evaluation_ratings r where r.outcome_id = learning_outcomes.id);
  delete from public.learning_outcomes
    where course_id = p_course_id and retired_at is null and id <> all (v_keep);
  return (select jsonb_agg(to_jsonb(o) order by o.position) from public.learning_outcomes o
    where o.course_id = p_course_id and o.retired_at is null);
end
$$;

create function public.admin_set_course_status(p_course_id uuid, p_status public.course_status)
  returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_course public.courses;
begin
  perform public.require_admin();
  if p_status = 'published' and not exists (
      select 1 from public.learning_outcomes where course_id = p_course_id and retired_at is null) then
    raise exception 'Add at least one learning outcome before publishing' using errcode = '22023';
  end if;
  update public.courses
    set status = p_status, published_at = case when p_status = 'published' then coalesce(published_at, now()) else published_at end
    where id = p_course_id returning * into v_course;
  if not found then
    raise exception 'Course % does not exist', p_course_id using errcode = '22023';
  end if;
  return to_jsonb(v_course);
end
$$;

-- Creates or updates a session; an update may give only the fields that change. Booking
-- closes 2 days before a face-to-face session and an hour before a webinar unless a time
-- is given. Raising the capacity fills places from the waiting list. A change of date,
-- time, venue or joining link raises the session's calendar_sequence and tells everyone
-- booked, offered or waiting what changed, with the new details; those with a place get a
-- link to the updated calendar entry. The result is the session, with how many people
-- were told (people_told).
create function public.admin_save_session(p_changes jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_before public.sessions;
  v_session public.sessions;
  v_course public.courses;
  p_session jsonb := coalesce(
    (select to_jsonb(s) from public.sessions s where s.id = (p_changes ->> 'id')::uuid), '{}'::jsonb
  ) || p_changes;
  v_starts timestamptz := (p_session ->> 'starts_at')::timestamptz;
  v_ends timestamptz := (p_session ->> 'ends_at')::timestamptz;
  v_capacity int := (p_session ->> 'capacity')::int;
  v_online boolean := nullif(p_session ->> 'venue_name', '') is null;
  v_told int := 0;
begin
  perform public.require_admin();
  select * into v_course from public.courses where id = (p_session ->> 'course_id')::uuid;
  if not found then
    raise exception 'Course % does not exist', p_session ->> 'course_id' using errcode = '22023';
  end if;
  if v_starts is null or v_ends is null then
    raise exception 'Enter a start and an end' using errcode = '22023', detail = 'Times';
  end if;
  if v_ends <= v_starts then
    raise exception 'The end must be after the start' using errcode = '22023', detail = 'Times';
  end if;
  if v_capacity is null or v_capacity < 1 then
    raise exception 'Capacity must be at least 1' using errcode = '22023', detail = 'Capacity';
  end if;
  if v_online and nullif(p_session ->> 'join_url', '') is null then
    raise exception 'Enter a venue, or a joining link for an online session' using errcode = '22023', detail = 'Venue';
  end if;
  if nullif(p_session ->> 'join_url', '') !~ '^https://' then
    raise exception 'The joining link must start with https://' using errcode = '22023', detail = 'Joining link';
  end if;
  select * into v_before from public.sessions where id = (p_session ->> 'id')::uuid for update;
  insert into public.sessions as s (id, course_id, starts_at, ends_at, venue_name, venue_address, join_url,
    capacity, waitlist_mode, offer_hours, booking_closes_at)
  values (coalesce((p_session ->> 'id')::uuid, gen_random_uuid()), v_course.id, v_starts, v_ends,
    public.checked_text(p_session ->> 'venue_name', 'Venue', 200, false),
    public.checked_text(p_session ->> 'venue_address', 'Venue address', 500, false),
    nullif(p_session ->> 'join_url', ''), v_capacity,
    coalesce((p_session ->> 'waitlist_mode')::public.waitlist_mode,
      case when v_course.format = 'webinar' then 'auto'::public.waitlist_mode else 'offer' end),
    coalesce((p_session ->> 'offer_hours')::int, 48),
    coalesce(case when p_changes ? 'starts_at' and not p_changes ? 'booking_closes_at' then null
        else (p_session ->> 'booking_closes_at')::timestamptz end,
      v_starts - case when v_online then interval '1 hour' else interval '2 days' end))
  on conflict (id) do update set
    starts_at = excluded.starts_at, ends_at = excluded.ends_at, venue_name = excluded.venue_name,
    venue_address = excluded.venue_address, join_url = excluded.join_url, capacity = excluded.capacity,
    waitlist_mode = excluded.waitlist_mode, offer_hours = excluded.offer_hours,
    booking_closes_at = excluded.booking_closes_at,
    calendar_sequence = s.calendar_sequence + case
      when (s.starts_at, s.ends_at, s.venue_name, s.venue_address, s.join_url) is distinct from
        (excluded.starts_at, excluded.ends_at, excluded.venue_name, excluded.venue_address, excluded.join_url)
      then 1 else 0 end
  returning * into v_session;
  if v_session.booking_closes_at > v_session.starts_at then
    raise exception 'Booking must close before the session starts' using errcode = '22023', detail = 'Booking closes';
  end if;
  if v_session.calendar_sequence > coalesce(v_before.calendar_sequence, 0) then
    if v_session.status = 'cancelled' then
      raise exception 'This session is cancelled: add a new session instead of changing it'
        using errcode = '22023', detail = 'Times';
    end if;
    v_told := public.tell_session_changed(v_before, v_session);
  end if;
  perform public.promote_waiting_list(v_session.id);
  return to_jsonb(v_session) || jsonb_build_object('people_told', v_told);
end
$$;

-- Tells the people with a live booking that a session has moved (or its joining link has
-- changed), and the trainers running it: an offer's deadline never passes the new start.
-- Returns how many booked, offered or waiting people were told.
create function public.tell_session_changed(p_before public.sessions, p_after public.sessions)
  returns int language plpgsql security definer set search_path = ''
as $$
declare
  v_title text := (select title from public.courses where id = p_after.course_id);
  v_what text := array_to_string(array_remove(array[
    case when (p_before.starts_at, p_before.ends_at) is distinct from (p_after.starts_at, p_after.ends_at)
      then 'the date or time' end,
    case when (p_before.venue_name, p_before.venue_address) is distinct from (p_after.venue_name, p_after.venue_address)
      then case when p_after.venue_name is null then 'the venue: it is now online' else 'the venue' end end,
    case when p_before.join_url is distinct from p_after.join_url and p_after.join_url is not null
      then 'the joining link' end], null), ' and ');
  v_summary text := public.session_summary(p_after.id);
  v_told int;
begin
  update public.bookings set offer_expires_at = p_after.starts_at
    where session_id = p_after.id and status = 'offered' and offer_expires_at > p_after.starts_at;
  select count(*) into v_told from (
    select public.notify(b.user_id, 'session_moved', 'Changed: ' || v_title,
      'The partnership has changed ' || coalesce(nullif(v_what, ''), 'the details') || ' of this session. '
        || case b.status
             when 'confirmed' then 'Your place is kept.'
             when 'offered' then 'The place offered to you is still yours to accept by '
               || public.uk_time(b.offer_expires_at) || ' (UK time).'
             else 'You are still on the waiting list.' end
        || E'\n\n' || v_summary
        || case when b.status = 'confirmed' and p_after.join_url is not null
             then E'\n\nJoin online: ' || p_after.join_url else '' end
        || case b.status
             when 'confirmed' then E'\n\nUpdate your calendar: ' || public.calendar_link(b.id)
               || E'\n\nIf you can no longer come, release your place so someone waiting can have it: '
             when 'offered' then E'\n\nAccept or decline the place: '
             else E'\n\nYour place in the queue, or to leave the waiting list: ' end
        || public.course_link(p_after.id),
      'session-moved:' || b.id || ':' || p_after.calendar_sequence)
    from public.bookings b
    where b.session_id = p_after.id and b.status in ('confirmed', 'offered', 'waitlisted')
      and p_after.ends_at > now()
  ) told;
  -- the trainers running it, with their register
  perform public.notify(t.trainer_id, 'session_moved', 'Changed: ' || v_title,
      'The partnership has changed ' || coalesce(nullif(v_what, ''), 'the details')
        || ' of a session you are running.' || E'\n\n' || v_summary
        || case when p_after.join_url is not null then E'\n\nJoin online: ' || p_after.join_url else '' end
        || E'\n\nThe register: ' || public.app_link('/my-sessions/' || p_after.id),
      'session-moved:' || t.id || ':' || p_after.calendar_sequence)
    from public.session_trainers t
    where t.session_id = p_after.id and p_after.ends_at > now();
  return v_told;
end
$$;

-- A Webinar Wednesday: one theme, three one-hour webinars on a Wednesday, each its own
-- course in the series with its learning outcomes and one online session, published.
-- p_webinars: [{title, summary, outcomes: [text], starts: 'HH:MI' (UK time), join_url}]
create function public.admin_create_webinar_wednesday(
  p_date date, p_theme text, p_capacity int, p_webinars jsonb
) returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_theme text := public.checked_text(p_theme, 'Theme', 200);
  v_item record;
  v_course jsonb;
  v_starts timestamptz;
  v_created jsonb := '[]';
begin
  perform public.require_admin();
  if p_date is null or extract(isodow from p_date) <> 3 then
    raise exception 'Webinar Wednesdays are on a Wednesday: % is a %', p_date, trim(to_char(p_date, 'Day'))
      using errcode = '22023', detail = 'Date';
  end if;
  if p_date < current_date then
    raise exception 'Choose a date from today on' using errcode = '22023', detail = 'Date';
  end if;
  if jsonb_typeof(p_webinars) is distinct from 'array' or jsonb_array_length(p_webinars) <> 3 then
    raise exception 'A Webinar Wednesday has three webinars' using errcode = '22023';
  end if;
  for v_item in select value, ordinality from jsonb_array_elements(p_webinars) with ordinality loop
    v_starts := (p_date + (v_item.value ->> 'starts')::time) at time zone 'Europe/London';
    v_course := public.admin_save_course(jsonb_build_object(
      'title', v_item.value ->> 'title', 'summary', v_item.value ->> 'summary',
      'slug', 'ww-' || to_char(p_date, 'YYYY-MM-DD') || '-' || v_item.ordinality,
      'audience', 'All practitioners working with children, young people and families',
      'level', 'introductory', 'format', 'webinar', 'duration_minutes', 60,
      'themes', jsonb_build_array(v_theme), 'series', 'webinar-wednesdays'));
    perform public.admin_save_outcomes((v_course ->> 'id')::uuid,
      (select jsonb_agg(jsonb_build_object('text', t)) from jsonb_array_elements_text(v_item.value -> 'outcomes') t));
    perform public.admin_set_course_status((v_course ->> 'id')::uuid, 'published');
    perform public.admin_save_session(jsonb_build_object('course_id', v_course ->> 'id',
      'starts_at', v_starts, 'ends_at', v_starts + interval '1 hour', 'capacity', p_capacity,
      'join_url', v_item.value ->> 'join_url'));
    v_created := v_created || jsonb_build_array(v_course);
  end loop;
  return v_created;
end
$$;

create function public.admin_assign_trainer(p_session_id uuid, p_trainer_id uuid, p_assigned boolean)
  returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  if p_assigned then
    if not exists (select 1 from public.staff_roles where user_id = p_trainer_id and role = 'trainer') then
      raise exception 'That person is not a trainer' using errcode = '22023';
    end if;
    insert into public.session_trainers (session_id, trainer_id) values (p_session_id, p_trainer_id)
      on conflict do nothing;
  else
    delete from public.session_trainers where session_id = p_session_id and trainer_id = p_trainer_id;
  end if;
end
$$;

-- Cancels a session: everyone booked, waiting or offered is told why, and their bookings
-- are closed.
create function public.admin_cancel_session(p_session_id uuid, p_reason text) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_reason text := public.checked_text(p_reason, 'Reason', 1000);
  v_title text;
  v_summary text := public.session_summary(p_session_id);
  v_told int;
begin
  perform public.require_admin();
  update public.sessions set status = 'cancelled', cancelled_reason = v_reason
    where id = p_session_id and status = 'scheduled';
  if not found then
    raise exception 'Session % does not exist or is already cancelled', p_session_id using errcode = '22023';
  end if;
  select c.title into v_title from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id;
  with live as (
    select id, user_id, status from public.bookings
    where session_id = p_session_id and status in ('requested', 'confirmed', 'waitlisted', 'offered')
    for update
  ), affected as (
    update public.bookings b set status = 'cancelled', cancelled_at = now(), offer_expires_at = null
    from live where b.id = live.id
    returning b.id, b.user_id, live.status as was
  )
  select count(*) into v_told from (
    select public.notify(a.user_id, 'session_cancelled', 'Cancelled: ' || v_title,
      'We are sorry: the partnership has cancelled this session.' || E'\n\nReason: ' || v_reason
        || E'\n\n' || v_summary || E'\n\nOther dates: ' || public.course_link(p_session_id)
        || case when a.was = 'confirmed'
             then E'\n\nTo take it out of your calendar: ' || public.calendar_link(a.id) else '' end,
      'session-cancelled:' || a.id)
    from affected a
  ) told;
  return v_told;
end
$$;
grant execute on function public.admin_save_course(jsonb), public.admin_save_outcomes(uuid, jsonb),
  public.admin_set_course_status(uuid, public.course_status), public.admin_save_session(jsonb),
  public.admin_create_webinar_wednesday(date, text, int, jsonb),
  public.admin_assign_trainer(uuid, uuid, boolean), public.admin_cancel_session(uuid, text)
  to authenticated;

-- Staff roles are granted and removed from the admin screen, never by editing the table:
-- every change is recorded here, with who made it.
create table public.staff_role_changes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.staff_role not null,
  agency_id uuid references public.agencies (id),
  change text not null check (change in ('granted', 'removed', 'agency_changed')),
  changed_by uuid not null references public.profiles (id),
  changed_at timestamptz not null default now()
);
create index staff_role_changes_time_idx on public.staff_role_changes (changed_at desc);
alter table public.staff_role_changes enable row level security;

-- Grants a role to the account with that email: trainer, admin, or agency lead of one
-- agency (granting it again with another agency moves the lead). The person must have
-- signed in once, so their account exists.
create function public.admin_grant_role(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_admin uuid := public.require_admin();
  v_email text := lower(public.checked_text(p_args ->> 'email', 'Email', 320));
  v_role text := p_args ->> 'role';
  v_agency_id uuid;
  v_person public.profiles;
  v_existing public.staff_roles;
begin
  if v_role is null or v_role not in ('trainer', 'agency_lead', 'admin') then
    raise exception 'Choose a role: trainer, agency lead or admin' using errcode = '22023', detail = 'role';
  end if;
  if v_role = 'agency_lead' then
    if coalesce(p_args ->> 'agency_id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
       or not exists (select 1 from public.agencies a where a.id = (p_args ->> 'agency_id')::uuid) then
      raise exception 'Choose the agency they lead' using errcode = '22023', detail = 'agency_id';
    end if;
    v_agency_id := (p_args ->> 'agency_id')::uuid;
  end if;
  select * into v_person from public.profiles p where p.email = v_email;
  if not found then
    raise exception 'No account uses %. Ask them to sign in to HSCP Training once, then try again.', v_email
      using errcode = '22023', detail = 'email';
  end if;
  select * into v_existing from public.staff_roles r
    where r.user_id = v_person.id and r.role = v_role::public.staff_role;
  if found and v_existing.agency_id is not distinct from v_agency_id then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', false));
  end if;
  insert into public.staff_roles (user_id, role, agency_id) values (v_person.id, v_role::public.staff_role, v_agency_id)
  on conflict (user_id, role) do update set agency_id = excluded.agency_id, granted_at = now();
  insert into public.staff_role_changes (user_id, role, agency_id, change, changed_by)
  values (v_person.id, v_role::public.staff_role, v_agency_id,
    case when v_existing.user_id is null then 'granted' else 'agency_changed' end, v_admin);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', true, 'user_id', v_person.id));
end
$$;

-- Removes a role. A trainer who is no longer one leaves the sessions still to come; the
-- last admin cannot be removed, so the partnership always has one.
create function public.admin_remove_role(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_admin uuid := public.require_admin();
  v_user uuid;
  v_role text := p_args ->> 'role';
  v_existing public.staff_roles;
  v_unassigned int := 0;
begin
  if coalesce(p_args ->> 'user_id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' then
    raise exception 'user_id must be an account id' using errcode = '22023', detail = 'user_id';
  end if;
  v_user := (p_args ->> 'user_id')::uuid;
  if v_role is null or v_role not in ('trainer', 'agency_lead', 'admin') then
    raise exception 'Choose a role: trainer, agency lead or admin' using errcode = '22023', detail = 'role';
  end if;
  select * into v_existing from public.staff_roles r where r.user_id = v_user and r.role = v_role::public.staff_role
    for update;
  if not found then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', false));
  end if;
  if v_role = 'admin' and (select count(*) from public.staff_roles r where r.role = 'admin') <= 1 then
    return jsonb_build_object('status', 'rejected', 'reason',
      'This is the partnership''s only admin. Make someone else an admin first.');
  end if;
  delete from public.staff_roles r where r.user_id = v_user and r.role = v_role::public.staff_role;
  if v_role = 'trainer' then
    with gone as (
      delete from public.session_trainers t using public.sessions s
      where s.id = t.session_id and t.trainer_id = v_user and s.ends_at > now()
      returning 1)
    select count(*) into v_unassigned from gone;
  end if;
  insert into public.staff_role_changes (user_id, role, agency_id, change, changed_by)
  values (v_user, v_role::public.staff_role, v_existing.agency_id, 'removed', v_admin);
  return jsonb_build_object('status', 'applied',
    'data', jsonb_build_object('changed', true, 'sessions_unassigned', v_unassigned));
end
$$;

-- The latest changes to staff roles, for the admin screen: who, what, by whom, when.
create function public.admin_staff_role_changes(p_limit int default 100) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'p_limit must be between 1 and 1000' using errcode = '22023';
  end if;
  return coalesce((
    select jsonb_agg(x order by x.changed_at desc) from (
      select c.changed_at, c.change, c.role, a.name as agency,
        coalesce(p.full_name, p.email) as person, p.email,
        coalesce(b.full_name, b.email) as changed_by
      from public.staff_role_changes c
      join public.profiles p on p.id = c.user_id
      join public.profiles b on b.id = c.changed_by
      left join public.agencies a on a.id = c.agency_id
      order by c.changed_at desc limit p_limit) x), '[]');
end
$$;
grant execute on function public.admin_grant_role(jsonb), public.admin_remove_role(jsonb),
  public.admin_staff_role_changes(int) to authenticated;
