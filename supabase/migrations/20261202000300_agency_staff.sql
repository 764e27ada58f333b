-- Booking for staff: an agency safeguarding lead books and releases places for colleagues in
-- their agency (who are emailed, with who did it) and sees their training records and the
-- training they are due to renew. Each booking records who booked it for the person.

alter table public.bookings add column booked_by uuid references public.profiles (id) on delete set null;

-- Book a place for p_user_id: confirmed if one is free and nobody is waiting, otherwise
-- waitlisted. p_booking_id is the client's id for the booking, so its optimistic row is the
-- same row. p_booked_by is the agency lead who booked it for them (agency_staff, 17_agency_staff.sql),
-- named in their email; null when they booked it themselves.
create function public.place_booking(
  p_booking_id uuid, p_session_id uuid, p_user_id uuid, p_booked_by uuid
) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := p_user_id;
  -- said of the person booked: "You" when it is themselves, their name when their lead books
  v_who text := case when p_booked_by is null then 'You'
    else coalesce((select p.full_name from public.profiles p where p.id = p_user_id), 'This person') end;
  v_by text := case when p_booked_by is null then ''
    else coalesce((select p.full_name from public.profiles p where p.id = p_booked_by), 'Your agency''s safeguarding lead')
      || ', your agency''s safeguarding lead, booked this for you.' || E'\n\n' end;
  v_session public.sessions;
  v_course public.courses;
  v_booking public.bookings;
  v_existing public.bookings;
  v_has_place boolean;
begin
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
      'reason', v_who || case when p_booked_by is null then ' already have a ' else ' already has a ' end
        || case v_existing.status when 'confirmed' then 'place' else 'request' end || ' for this session.');
  end if;
  perform public.expire_offers(p_session_id);
  -- a free place goes to a newcomer only if nobody is already waiting for one
  v_has_place := (select taken from public.session_places(p_session_id)) < v_session.capacity
    and not exists (select 1 from public.bookings w where w.session_id = p_session_id and w.status = 'waitlisted');

  -- created_at is the moment of arrival: after the lock, so it records the order served
  insert into public.bookings (id, session_id, user_id, created_at, status, waitlisted_at, booked_by)
  values (p_booking_id, p_session_id, v_uid, clock_timestamp(),
    case when v_has_place then 'confirmed'::public.booking_status else 'waitlisted'::public.booking_status end,
    case when v_has_place then null else clock_timestamp() end, p_booked_by)
  returning * into v_booking;

  if v_booking.status = 'confirmed' then
    perform public.notify(v_uid, 'booking_confirmed', 'Booking confirmed: ' || v_course.title,
      v_by || 'Your place is confirmed.' || E'\n\n' || public.session_summary(p_session_id)
        || case when v_session.join_url is not null
             then E'\n\nJoin online: ' || v_session.join_url else '' end
        || E'\n\nYour booking, or to release your place: ' || public.course_link(p_session_id)
        || E'\n\nAdd it to your calendar: ' || public.calendar_link(v_booking.id),
      'confirmed:' || v_booking.id);
  else
    perform public.notify(v_uid, 'waitlisted', 'On the waiting list: ' || v_course.title,
      v_by || 'The session is full, so you are on the waiting list. We will email you if a place comes up.'
        || E'\n\n' || public.session_summary(p_session_id)
        || E'\n\nYour place in the queue, or to leave the waiting list: ' || public.course_link(p_session_id),
      'waitlisted:' || v_booking.id);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

-- The caller books a place for themselves.
create or replace function public.book_session(p_booking_id uuid, p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
begin
  if auth.uid() is null then raise exception 'Sign in to book' using errcode = '42501'; end if;
  return public.place_booking(p_booking_id, p_session_id, auth.uid(), null);
end
$$;

-- Releases a place (or leaves the waiting list), up to the session's start, for a booking
-- already locked with its session. p_released_by is the agency lead who did it for the person.
create function public.release_place(p_booking public.bookings, p_released_by uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings := p_booking;
  v_booked public.bookings := p_booking;
  v_by text := case when p_released_by is null then ''
    else coalesce((select p.full_name from public.profiles p where p.id = p_released_by), 'Your agency''s safeguarding lead')
      || ', your agency''s safeguarding lead, has released this for you.' || E'\n\n' end;
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
    where id = p_booking.id returning * into v_booking;
  if v_booked.status = 'waitlisted' then
    perform public.notify(v_booking.user_id, 'left_waiting_list',
      'You have left the waiting list: ' || (select title from public.courses where id = v_session.course_id),
      v_by || 'You are no longer on the waiting list for:' || E'\n' || public.session_summary(v_session.id)
        || E'\n\nTo book again: ' || public.course_link(v_session.id),
      'cancelled:' || v_booking.id);
  else
    perform public.notify(v_booking.user_id, 'booking_cancelled',
      'Your place is released: ' || (select title from public.courses where id = v_session.course_id),
      case when p_released_by is null then 'You have released your place on:'
        else v_by || 'Your place is released on:' end || E'\n' || public.session_summary(v_session.id)
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

-- The caller releases their own place, or leaves the waiting list.
create or replace function public.cancel_booking(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
begin
  return public.release_place(public.lock_own_booking(p_booking_id), null);
end
$$;

-- Booking for staff: an agency's safeguarding lead books and releases places for named
-- colleagues in the agency they lead (each colleague is emailed, with who did it), and sees
-- their training records and who is due a refresher. Called directly: these need a
-- connection. The lead is auth.uid(); a colleague is anyone whose profile is in the agency
-- the lead leads (led_agency, 14_impact_report.sql), deleted accounts aside.

-- The agency the caller leads, or a refusal.
create function public.require_agency_lead() returns uuid
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.led_agency();
begin
  if auth.uid() is null or v_agency is null then
    raise exception 'Booking for staff is for agency safeguarding leads' using errcode = '42501';
  end if;
  return v_agency;
end
$$;

-- A colleague of the caller's, or a refusal that says nothing about anyone outside the agency.
create function public.require_colleague(p_user_id uuid) returns public.profiles
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.require_agency_lead();
  v_person public.profiles;
begin
  select * into v_person from public.profiles p
  where p.id = p_user_id and p.agency_id = v_agency and p.email not like '%@deleted.invalid';
  if not found then
    raise exception 'That person is not in the agency you lead' using errcode = '42501';
  end if;
  return v_person;
end
$$;

-- The lead's agency and its staff: for each, what they attended, learning time, training to
-- renew and their places still to come.
create function public.agency_staff() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.require_agency_lead();
begin
  return jsonb_build_object(
    'agency', (select a.name from public.agencies a where a.id = v_agency),
    'staff', coalesce((
      select jsonb_agg(jsonb_build_object(
          'user_id', p.id, 'full_name', p.full_name, 'email', p.email, 'job_role', p.job_role,
          'attended', jsonb_array_length(r.record -> 'sessions'),
          'learning_minutes', (select coalesce(sum((x ->> 'learning_minutes')::int), 0)
                               from jsonb_array_elements(r.record -> 'sessions') x),
          'renewals', r.record -> 'renewals',
          'bookings', coalesce((
            select jsonb_agg(jsonb_build_object('booking_id', b.id, 'session_id', s.id, 'course', c.title,
                'starts_at', s.starts_at, 'status', b.status, 'booked_by_lead', b.booked_by is not null)
              order by s.starts_at)
            from public.bookings b join public.sessions s on s.id = b.session_id
            join public.courses c on c.id = s.course_id
            where b.user_id = p.id and s.status = 'scheduled' and s.ends_at > now()
              and b.status in ('requested', 'confirmed', 'waitlisted', 'offered')), '[]'::jsonb))
        order by lower(coalesce(p.full_name, p.email)))
      from public.profiles p
      cross join lateral (select public.training_record_of(p.id) as record) r
      where p.agency_id = v_agency and p.email not like '%@deleted.invalid'), '[]'::jsonb));
end
$$;

-- A colleague's training record, as they see it themselves.
create function public.staff_training_record(p_user_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  perform public.require_colleague(p_user_id);
  return public.training_record_of(p_user_id);
end
$$;

-- Books a place for a colleague, by the same rules as their own booking; they are emailed,
-- with who booked it. The same booking id twice is answered as before, not booked twice.
create function public.book_for_colleague(p_user_id uuid, p_session_id uuid, p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_existing public.bookings;
begin
  perform public.require_colleague(p_user_id);
  if p_booking_id is null or p_session_id is null then
    raise exception 'p_booking_id and p_session_id are required' using errcode = '22023';
  end if;
  select * into v_existing from public.bookings where id = p_booking_id;
  if found then
    if v_existing.user_id = p_user_id and v_existing.session_id = p_session_id then
      return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_existing));
    end if;
    raise exception 'Booking % is another booking', p_booking_id using errcode = '23505';
  end if;
  return public.place_booking(p_booking_id, p_session_id, p_user_id, auth.uid());
end
$$;

-- Releases a colleague's place, or takes them off a waiting list; they are emailed.
create function public.release_for_colleague(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
begin
  select * into v_booking from public.bookings where id = p_booking_id;
  if not found then
    raise exception 'Booking % does not exist', p_booking_id using errcode = '22023';
  end if;
  perform public.require_colleague(v_booking.user_id);
  -- session first, then the booking, as every booking change locks them
  perform 1 from public.sessions where id = v_booking.session_id for update;
  select * into v_booking from public.bookings where id = p_booking_id for update;
  return public.release_place(v_booking, auth.uid());
end
$$;

grant execute on function public.agency_staff(), public.staff_training_record(uuid),
  public.book_for_colleague(uuid, uuid, uuid), public.release_for_colleague(uuid) to authenticated;
