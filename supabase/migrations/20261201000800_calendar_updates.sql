-- Calendar entries that follow the session: sessions.calendar_sequence counts changes of
-- date, time, venue or joining link; admin_save_session tells the people booked, offered or
-- waiting (tell_session_changed); the emails link to the booking's calendar page
-- (calendar_link); a reminder is sent again for a session's new date; a new joining link
-- reaches the devices holding the old one (track_join_url)
-- (supabase/schemas/06_brochure.sql, 07_notifications.sql, 08_bookings.sql, 11_admin.sql).

alter table public.sessions
  add column calendar_sequence int not null default 0 check (calendar_sequence >= 0);
grant select (calendar_sequence) on public.sessions to anon, authenticated;


create function public.calendar_link(p_booking_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select public.app_link('/calendar/' || p_booking_id)
$$;

create or replace function public.promote_waiting_list(p_session_id uuid) returns void
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions;
  v_free int;
  v_next public.bookings;
begin
  select * into v_session from public.sessions where id = p_session_id;
  if v_session.status <> 'scheduled' or v_session.starts_at <= now() then return; end if;
  v_free := v_session.capacity - (select taken from public.session_places(p_session_id));
  while v_free > 0 loop
    select * into v_next from public.bookings
      where session_id = p_session_id and status = 'waitlisted'
      order by waitlisted_at, id limit 1 for update;
    exit when not found;
    if v_session.waitlist_mode = 'auto' then
      update public.bookings set status = 'confirmed' where id = v_next.id;
      perform public.notify(v_next.user_id, 'waitlist_confirmed',
        'You have a place: ' || (select title from public.courses where id = v_session.course_id),
        'A place has come up and it is yours.' || E'\n\n' || public.session_summary(p_session_id)
          || case when v_session.join_url is not null
               then E'\n\nJoin online: ' || v_session.join_url else '' end
          || E'\n\nYour booking: ' || public.course_link(p_session_id)
          || E'\n\nAdd it to your calendar: ' || public.calendar_link(v_next.id),
        'confirmed:' || v_next.id);
    else
      update public.bookings
        set status = 'offered',
            offer_expires_at = least(now() + make_interval(hours => v_session.offer_hours), v_session.starts_at)
        where id = v_next.id;
      perform public.notify(v_next.user_id, 'place_offered',
        'A place is offered to you: ' || (select title from public.courses where id = v_session.course_id),
        'A place has come up. Accept it by '
          || public.uk_time(least(now() + make_interval(hours => v_session.offer_hours), v_session.starts_at))
          || ' (UK time), or it passes to the next person.' || E'\n\n' || public.session_summary(p_session_id)
          || E'\n\nAccept or decline the place: ' || public.course_link(p_session_id),
        'offered:' || v_next.id || ':' || now()::text);
    end if;
    v_free := v_free - 1;
  end loop;
end
$$;

create or replace function public.book_session(p_booking_id uuid, p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_session public.sessions;
  v_course public.courses;
  v_booking public.bookings;
  v_existing public.bookings;
  v_has_place boolean;
begin
  if v_uid is null then raise exception 'Sign in to book' using errcode = '42501'; end if;
  if p_booking_id is null or p_session_id is null then
    raise exception 'p_booking_id and p_session_id are required' using errcode = '22023';
  end if;
  -- the lock serialises bookings for this session: arrival order is lock order
  select * into v_session from public.sessions where id = p_session_id for update;
  if not found then
    raise exception 'Session % does not exist', p_session_id using errcode = '22023';
  end if;
  select * into v_course from public.courses where id = v_session.course_id;
  if v_course.status <> 'published' then
    raise exception 'Session % does not exist', p_session_id using errcode = '22023';
  end if;
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason', 'This session has been cancelled.');
  end if;
  if v_session.booking_closes_at <= now() then
    return jsonb_build_object('status', 'rejected',
      'reason', 'Booking for this session closed on ' || public.uk_time(v_session.booking_closes_at) || '.');
  end if;
  select * into v_existing from public.bookings
    where session_id = p_session_id and user_id = v_uid and status not in ('cancelled', 'declined');
  if found then
    return jsonb_build_object('status', 'rejected',
      'reason', 'You already have a ' || case v_existing.status when 'confirmed' then 'place'
        else 'request' end || ' for this session.');
  end if;
  perform public.expire_offers(p_session_id);
  -- a free place goes to a newcomer only if nobody is already waiting for one
  v_has_place := (select taken from public.session_places(p_session_id)) < v_session.capacity
    and not exists (select 1 from public.bookings w where w.session_id = p_session_id and w.status = 'waitlisted');

  -- created_at is the moment of arrival: after the lock, so it records the order served
  insert into public.bookings (id, session_id, user_id, created_at, status, waitlisted_at)
  values (p_booking_id, p_session_id, v_uid, clock_timestamp(),
    case when v_has_place then 'confirmed'::public.booking_status else 'waitlisted'::public.booking_status end,
    case when v_has_place then null else clock_timestamp() end)
  returning * into v_booking;

  if v_booking.status = 'confirmed' then
    perform public.notify(v_uid, 'booking_confirmed', 'Booking confirmed: ' || v_course.title,
      'Your place is confirmed.' || E'\n\n' || public.session_summary(p_session_id)
        || case when v_session.join_url is not null
             then E'\n\nJoin online: ' || v_session.join_url else '' end
        || E'\n\nYour booking, or to release your place: ' || public.course_link(p_session_id)
        || E'\n\nAdd it to your calendar: ' || public.calendar_link(v_booking.id),
      'confirmed:' || v_booking.id);
  else
    perform public.notify(v_uid, 'waitlisted', 'On the waiting list: ' || v_course.title,
      'The session is full, so you are on the waiting list. We will email you if a place comes up.'
        || E'\n\n' || public.session_summary(p_session_id)
        || E'\n\nYour place in the queue, or to leave the waiting list: ' || public.course_link(p_session_id),
      'waitlisted:' || v_booking.id);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

create or replace function public.cancel_booking(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings := public.lock_own_booking(p_booking_id);
  v_booked public.bookings := v_booking;
  v_session public.sessions;
begin
  select * into v_session from public.sessions where id = v_booking.session_id;
  if v_booking.status in ('cancelled', 'declined') then
    return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
  end if;
  if v_session.starts_at <= now() then
    return jsonb_build_object('status', 'rejected', 'reason', 'This session has already started.');
  end if;
  update public.bookings set status = 'cancelled', cancelled_at = now(), offer_expires_at = null
    where id = p_booking_id returning * into v_booking;
  if v_booked.status = 'waitlisted' then
    perform public.notify(v_booking.user_id, 'left_waiting_list',
      'You have left the waiting list: ' || (select title from public.courses where id = v_session.course_id),
      'You are no longer on the waiting list for:' || E'\n' || public.session_summary(v_session.id)
        || E'\n\nTo book again: ' || public.course_link(v_session.id),
      'cancelled:' || v_booking.id);
  else
    perform public.notify(v_booking.user_id, 'booking_cancelled',
      'Your place is released: ' || (select title from public.courses where id = v_session.course_id),
      'You have released your place on:' || E'\n' || public.session_summary(v_session.id)
        || E'\n\nThank you for letting us know: it goes to the next person waiting. To book again: '
        || public.course_link(v_session.id)
        || E'\n\nTo take it out of your calendar: ' || public.calendar_link(v_booking.id),
      'cancelled:' || v_booking.id);
  end if;
  perform public.expire_offers(v_session.id);
  perform public.promote_waiting_list(v_session.id);
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

create or replace function public.send_session_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  with offsets as (
    select d from public.app_settings s cross join unnest(s.reminder_days) d
  ), due as (
    select distinct on (b.id) b.id, b.user_id, s.id as session_id, s.join_url, s.calendar_sequence,
      c.title, o.d
    from public.bookings b
    join public.sessions s on s.id = b.session_id
    join public.courses c on c.id = s.course_id
    cross join offsets o
    where b.status = 'confirmed' and s.status = 'scheduled'
      and s.starts_at > p_now and s.starts_at - make_interval(days => o.d) <= p_now
      and (b.created_at < s.starts_at - make_interval(days => o.d) or o.d = (select min(d) from offsets))
    order by b.id, o.d
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'reminder',
      case when d.d = 1 then 'Tomorrow: ' else 'In ' || d.d || ' days: ' end || d.title,
      'A reminder of your training.' || E'\n\n' || public.session_summary(d.session_id)
        || case when d.join_url is not null then E'\n\nJoin online: ' || d.join_url else '' end
        || E'\n\nYour booking, or to release your place: ' || public.course_link(d.session_id)
        || E'\n\nYour calendar entry: ' || public.calendar_link(d.id),
      -- a session moved after its reminder went is reminded again of its new date
      'reminder:' || d.id || ':' || d.d
        || case when d.calendar_sequence > 0 then ':' || d.calendar_sequence else '' end)
    from due d
  ) sent;
  return v_count;
end
$$;

create or replace function public.session_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(s) || jsonb_build_object('places_taken', a.taken, 'waiting', a.waiting)
  from (
    select id, course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode,
      offer_hours, booking_closes_at, status, cancelled_reason, created_at, updated_at,
      calendar_sequence
    from public.sessions where id = p_id
  ) s
  cross join public.session_availability(s.id) a
$$;

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

create or replace function public.admin_save_session(p_changes jsonb) returns jsonb
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

create or replace function public.admin_cancel_session(p_session_id uuid, p_reason text) returns int
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

create function public.track_join_url() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.track_change('booking', b.id,
      array['user:' || b.user_id, 'session:' || b.session_id, 'admin'])
    from public.bookings b where b.session_id = new.id and b.status = 'confirmed';
  perform public.track_change('session_assignment', t.id, array['user:' || t.trainer_id, 'admin'])
    from public.session_trainers t where t.session_id = new.id;
  return null;
end
$$;
create trigger sessions_track_join_url after update of join_url on public.sessions
  for each row when (old.join_url is distinct from new.join_url)
  execute function public.track_join_url();
