-- Emails people can act on: each links to its page in the app (app_settings.app_url, set on
-- deployment), says the date and UK time and where, and a released place or leaving the
-- waiting list is confirmed (supabase/schemas/07_notifications.sql, 08_bookings.sql,
-- 10_evaluations.sql, 11_admin.sql).

create table public.app_settings (
  id boolean primary key default true check (id),
  app_url text not null default 'http://localhost:5173'
    check (app_url ~ '^https?://[^/?#[:space:]]+$'),
  updated_at timestamptz not null default now()
);
insert into public.app_settings default values;
alter table public.app_settings enable row level security;

create function public.app_link(p_path text) returns text
  language sql stable security definer set search_path = ''
as $$
  select s.app_url || p_path from public.app_settings s
$$;

create function public.course_link(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select public.app_link('/courses/' || c.slug)
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
$$;

create or replace function public.session_summary(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select c.title || E'\n' || public.uk_time(s.starts_at) || ' to '
    || lower(to_char(s.ends_at at time zone 'Europe/London', 'FMHH12:MIam')) || ' (UK time)' || E'\n'
    || coalesce('Venue: ' || s.venue_name || coalesce(', ' || s.venue_address, ''), 'Online')
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
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
          || E'\n\nYour booking and a calendar file: ' || public.course_link(p_session_id),
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

create or replace function public.expire_offers(p_session_id uuid default null) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_expired record;
  v_count int := 0;
begin
  for v_expired in
    update public.bookings set status = 'declined', offer_expires_at = null
    where status = 'offered' and offer_expires_at <= now()
      and (p_session_id is null or session_id = p_session_id)
    returning id, session_id, user_id
  loop
    v_count := v_count + 1;
    perform public.notify(v_expired.user_id, 'offer_expired', 'Your offered place has passed on',
      'The place offered to you was not accepted in time and has been offered to the next person.'
        || E'\n\n' || public.session_summary(v_expired.session_id)
        || E'\n\nOther dates, and the waiting list: ' || public.course_link(v_expired.session_id),
      'expired:' || v_expired.id);
    perform public.promote_waiting_list(v_expired.session_id);
  end loop;
  return v_count;
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
        || E'\n\nYour booking, a calendar file, or to release your place: ' || public.course_link(p_session_id),
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
        || public.course_link(v_session.id),
      'cancelled:' || v_booking.id);
  end if;
  perform public.expire_offers(v_session.id);
  perform public.promote_waiting_list(v_session.id);
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

create or replace function public.respond_to_offer(p_booking_id uuid, p_accept boolean) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings := public.lock_own_booking(p_booking_id);
begin
  perform public.expire_offers(v_booking.session_id);
  select * into v_booking from public.bookings where id = p_booking_id for update;
  if v_booking.status <> 'offered' then
    return jsonb_build_object('status', 'rejected', 'reason',
      case when v_booking.status = 'declined' then 'The offer expired before it was accepted.'
           else 'There is no open offer on this booking.' end);
  end if;
  update public.bookings
    set status = case when p_accept then 'confirmed'::public.booking_status else 'declined'::public.booking_status end,
        offer_expires_at = null
    where id = p_booking_id returning * into v_booking;
  if not p_accept then
    perform public.notify(v_booking.user_id, 'offer_declined',
      'You have declined the place: ' || (select c.title from public.sessions s
        join public.courses c on c.id = s.course_id where s.id = v_booking.session_id),
      'You have declined the place offered to you on:' || E'\n' || public.session_summary(v_booking.session_id)
        || E'\n\nIt goes to the next person waiting. Other dates: ' || public.course_link(v_booking.session_id),
      'declined:' || v_booking.id);
    perform public.promote_waiting_list(v_booking.session_id);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

create or replace function public.send_session_reminders() returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  with due as (
    select b.id, b.user_id, s.id as session_id, s.join_url, c.title
    from public.bookings b
    join public.sessions s on s.id = b.session_id
    join public.courses c on c.id = s.course_id
    where b.status = 'confirmed' and s.status = 'scheduled'
      and s.starts_at between now() and now() + interval '24 hours'
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'reminder', 'Tomorrow: ' || d.title,
      'A reminder of your training.' || E'\n\n' || public.session_summary(d.session_id)
        || case when d.join_url is not null then E'\n\nJoin online: ' || d.join_url else '' end
        || E'\n\nYour booking, a calendar file, or to release your place: ' || public.course_link(d.session_id),
      'reminder:' || d.id)
    from due d
  ) sent;
  return v_count;
end
$$;

create or replace function public.request_evaluation(p_session_id uuid, p_user_id uuid) returns void
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.evaluation_requests (session_id, user_id) values (p_session_id, p_user_id)
  on conflict do nothing;
  if found then
    perform public.notify(p_user_id, 'evaluation_request',
      'How was it? ' || (select c.title from public.sessions s join public.courses c on c.id = s.course_id
                         where s.id = p_session_id),
      'Thank you for attending:' || E'\n' || public.session_summary(p_session_id)
        || E'\n\nPlease tell us how confident you felt before and after, and how the training will '
        || 'inform your practice. It takes about three minutes: ' || public.app_link('/evaluate/' || p_session_id)
        || E'\n\nOnce you have sent it, your certificate is in My training: ' || public.app_link('/my-training'),
      'evaluation-request:' || p_session_id || ':' || p_user_id);
  end if;
end
$$;

create or replace function public.send_followup_requests(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    select s.id as session_id, b.user_id, c.title
    from public.sessions s
    join public.courses c on c.id = s.course_id
    join public.bookings b on b.session_id = s.id
    where s.status = 'scheduled'
      and s.ends_at + make_interval(weeks => c.followup_weeks) <= p_now
      and s.ends_at + make_interval(weeks => c.followup_weeks) > p_now - interval '14 days'
      and public.attendance_status_of(b.id) in ('present', 'late')
      and not exists (select 1 from public.followups f where f.session_id = s.id and f.user_id = b.user_id)
  ), created as (
    insert into public.followups (id, session_id, user_id, requested_at)
    select gen_random_uuid(), d.session_id, d.user_id, p_now from due d
    on conflict (session_id, user_id) do nothing
    returning session_id, user_id
  )
  select count(*) into v_sent from (
    select public.notify(c.user_id, 'followup_request',
      'Has it made a difference? ' || (select co.title from public.sessions s join public.courses co on co.id = s.course_id where s.id = c.session_id),
      'Some weeks ago you attended:' || E'\n' || public.session_summary(c.session_id)
        || E'\n\nHave you been able to use what you learned? Four short questions: '
        || public.app_link('/follow-up/' || c.session_id),
      'followup-request:' || c.session_id || ':' || c.user_id)
    from created c
  ) sent;
  return v_sent;
end
$$;

create or replace function public.send_evaluation_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    update public.evaluation_requests r set reminded_at = p_now
    where r.reminded_at is null and r.requested_at <= p_now - interval '3 days'
      and not exists (select 1 from public.evaluations e where e.session_id = r.session_id and e.user_id = r.user_id)
    returning r.session_id, r.user_id
  )
  select count(*) into v_sent from (
    select public.notify(d.user_id, 'evaluation_reminder',
      'Reminder: how was it? ' || (select co.title from public.sessions s join public.courses co on co.id = s.course_id where s.id = d.session_id),
      'A reminder: your evaluation of this session helps the partnership show what training achieves.'
        || E'\n' || public.session_summary(d.session_id)
        || E'\n\nIt takes about three minutes: ' || public.app_link('/evaluate/' || d.session_id)
        || E'\n\nOnce you have sent it, your certificate is in My training: ' || public.app_link('/my-training'),
      'evaluation-reminder:' || d.session_id || ':' || d.user_id)
    from due d
  ) sent;
  return v_sent;
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
  with affected as (
    update public.bookings set status = 'cancelled', cancelled_at = now(), offer_expires_at = null
    where session_id = p_session_id and status in ('requested', 'confirmed', 'waitlisted', 'offered')
    returning id, user_id
  )
  select count(*) into v_told from (
    select public.notify(a.user_id, 'session_cancelled', 'Cancelled: ' || v_title,
      'We are sorry: the partnership has cancelled this session.' || E'\n\nReason: ' || v_reason
        || E'\n\n' || v_summary || E'\n\nOther dates: ' || public.course_link(p_session_id),
      'session-cancelled:' || a.id)
    from affected a
  ) told;
  return v_told;
end
$$;
