-- Bookings. The client only *requests*; the server locks the session row, decides
-- confirmed / waitlisted, and promotes from the waiting list in the same transaction.
-- Functions are security definer because promoting someone changes another person's
-- booking; each takes the actor from auth.uid().

create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete restrict,
  user_id uuid not null references public.profiles (id) on delete cascade,
  status public.booking_status not null default 'requested',
  -- arrival order on the waiting list; the position shown is derived from it
  waitlisted_at timestamptz,
  offer_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  cancelled_at timestamptz,
  -- when the place was first confirmed: a cancelled booking that had one gave a place up;
  -- one that never had one left a waiting list (docs/impact-definitions.md)
  confirmed_at timestamptz,
  -- printed on the certificate; verify_certificate answers for it once it is earned
  certificate_ref text not null default public.new_certificate_ref(),
  -- the agency safeguarding lead who booked this place for the person, if it was not them
  booked_by uuid references public.profiles (id) on delete set null,
  check ((status = 'offered') = (offer_expires_at is not null)),
  check ((status = 'cancelled') = (cancelled_at is not null)),
  check (status not in ('waitlisted', 'offered') or waitlisted_at is not null),
  constraint bookings_confirmed_check check (status <> 'confirmed' or confirmed_at is not null)
);

-- one live booking per person per session; cancelled and declined ones stay as history
create unique index bookings_one_live_idx on public.bookings (session_id, user_id)
  where status not in ('cancelled', 'declined');
create index bookings_user_idx on public.bookings (user_id);
create unique index bookings_certificate_ref_idx on public.bookings (certificate_ref);
create index bookings_waitlist_idx on public.bookings (session_id, waitlisted_at)
  where status in ('waitlisted', 'offered');
create index bookings_session_status_idx on public.bookings (session_id, status);
alter table public.bookings enable row level security;
grant select on public.bookings to authenticated;
create policy bookings_read on public.bookings for select to authenticated
  using (user_id = auth.uid() or public.teaches_session(session_id) or public.has_staff_role('admin'));
create trigger bookings_track after insert or update or delete on public.bookings
  for each row execute function public.track_row_change(
    'booking', 'id', 'user:user_id', 'session:session_id', 'admin');
create trigger bookings_updated_at before update on public.bookings
  for each row execute function public.touch_updated_at();

-- Answers to a course's booking questions (access needs, reasonable adjustments), given
-- with the booking. The person, the session's trainers and admins see them, in the
-- booking's row and on the register (booking_answers_of); no API role reads the table.
-- They go when the booking is given up and, by the retention job, 14 days after the
-- session, and the copy in the devices' change ledger goes with them.
create table public.booking_answers (
  booking_id uuid primary key references public.bookings (id) on delete cascade,
  session_id uuid not null references public.sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- [{question, answer}]: the question as it was asked
  answers jsonb not null check (jsonb_typeof(answers) = 'array' and jsonb_array_length(answers) between 1 and 5),
  answered_at timestamptz not null default now()
);
create index booking_answers_session_idx on public.booking_answers (session_id);
create index booking_answers_user_idx on public.booking_answers (user_id);
alter table public.booking_answers enable row level security;
-- the booking's row carries its answers: a change to them is a change to the booking
create trigger booking_answers_track after insert or update or delete on public.booking_answers
  for each row execute function public.track_row_change(
    'booking', 'booking_id', 'user:user_id', 'session:session_id', 'admin');

create function public.forget_booking_answers_sent() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  -- a booking request sent again is answered from the ledger's stored result (args null)
  update public.sync_mutations m set args = null
  from old_rows o
  where m.user_id = o.user_id and m.name = 'booking.request' and m.args is not null
    and m.args ->> 'booking_id' = o.booking_id::text;
  return null;
end
$$;
create trigger booking_answers_forget_sent after delete on public.booking_answers
  referencing old table as old_rows for each statement execute function public.forget_booking_answers_sent();

-- A booking's answers, for someone who may see the booking: its owner, the session's
-- trainers, an admin.
create function public.booking_answers_of(p_booking_id uuid) returns jsonb
  language sql stable security definer set search_path = ''
as $$
  select a.answers from public.booking_answers a join public.bookings b on b.id = a.booking_id
  where a.booking_id = p_booking_id
    and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin'))
$$;
grant execute on function public.booking_answers_of(uuid) to authenticated;

-- Answers as a device sends them: a list of {question, answer}, blank answers left out.
-- Null when there are none; a clear error for anything else.
create function public.checked_booking_answers(p_answers jsonb) returns jsonb
  language plpgsql immutable set search_path = ''
as $$
declare
  v_item jsonb;
  v_out jsonb := '[]';
begin
  if p_answers is null or p_answers = 'null'::jsonb then return null; end if;
  if jsonb_typeof(p_answers) <> 'array' or jsonb_array_length(p_answers) > 5 then
    raise exception 'Answers must be a list of at most 5' using errcode = '22023', detail = 'answers';
  end if;
  for v_item in select * from jsonb_array_elements(p_answers) loop
    if jsonb_typeof(v_item -> 'question') is distinct from 'string'
       or jsonb_typeof(v_item -> 'answer') is distinct from 'string' then
      raise exception 'Each answer needs its question and the answer, as text' using errcode = '22023', detail = 'answers';
    end if;
    if trim(v_item ->> 'answer') = '' then continue; end if;
    v_out := v_out || jsonb_build_object(
      'question', public.checked_text(v_item ->> 'question', 'Question', 300),
      'answer', public.checked_text(trim(v_item ->> 'answer'), 'Answer', 1000));
  end loop;
  return nullif(v_out, '[]'::jsonb);
end
$$;

-- Giving up a booking gives up its answers: they were for that place.
create function public.drop_booking_answers() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  delete from public.booking_answers where booking_id = new.id;
  return null;
end
$$;
create trigger bookings_drop_answers after update of status on public.bookings
  for each row when (new.status in ('cancelled', 'declined'))
  execute function public.drop_booking_answers();

-- The moment a place is first confirmed, however it came: booked, promoted, accepted.
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

-- Places taken and waiting: figures, no identities. For the server's own rules.
create function public.session_places(p_session_id uuid)
  returns table (taken int, waiting int)
  language sql stable set search_path = ''
as $$
  select
    count(*) filter (where b.status in ('confirmed', 'offered'))::int,
    count(*) filter (where b.status = 'waitlisted')::int
  from public.bookings b where b.session_id = p_session_id
$$;

-- The same figures for the brochure: only for sessions the caller may read (of a
-- published course, or any for an admin).
create function public.session_availability(p_session_id uuid)
  returns table (taken int, waiting int)
  language sql stable security definer set search_path = ''
as $$
  select p.taken, p.waiting
  from public.sessions s cross join public.session_places(s.id) p
  where s.id = p_session_id
    and (public.course_is_published(s.course_id) or public.has_staff_role('admin'))
$$;
grant execute on function public.session_availability(uuid) to anon, authenticated;

-- A booking changes the session's places left: everyone's brochure hears of it. Someone
-- leaving the waiting list moves everyone behind them up: they hear of it too.
create function public.track_session_places() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session_id uuid := case when tg_op = 'DELETE' then old.session_id else new.session_id end;
begin
  perform public.track_change('session', v_session_id, array['public']);
  if tg_op <> 'INSERT' and old.status = 'waitlisted'
     and (tg_op = 'DELETE' or new.status <> 'waitlisted') then
    perform public.track_change('booking', b.id, array['user:' || b.user_id])
      from public.bookings b
      where b.session_id = v_session_id and b.status = 'waitlisted' and b.waitlisted_at > old.waitlisted_at;
  end if;
  return null;
end
$$;
create trigger bookings_track_places after insert or update of status or delete on public.bookings
  for each row execute function public.track_session_places();

-- A new joining link reaches the devices that hold the old one: the link travels on the
-- bookings with a confirmed place and on the trainers' assignments (booking_sync_row,
-- session_assignment_sync_row), so those rows are announced again.
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

-- Capacity can grow, or shrink to the places already confirmed, never below.
create function public.check_capacity() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  if new.capacity < (select taken from public.session_places(new.id)) then
    raise exception 'Capacity % is below the % places already taken', new.capacity,
      (select taken from public.session_places(new.id))
      using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger sessions_capacity before update of capacity on public.sessions
  for each row execute function public.check_capacity();

-- Fills free places from the waiting list in arrival order: confirmed at once for
-- 'auto' sessions (webinars), offered with a deadline for 'offer' sessions.
create function public.promote_waiting_list(p_session_id uuid) returns void
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

-- Offers not answered in time pass to the next person. Run by the scheduler and lazily
-- whenever a session is touched.
create function public.expire_offers(p_session_id uuid default null) returns int
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
create function public.book_session(p_booking_id uuid, p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
begin
  if auth.uid() is null then raise exception 'Sign in to book' using errcode = '42501'; end if;
  return public.place_booking(p_booking_id, p_session_id, auth.uid(), null);
end
$$;

-- The caller's own booking, locked together with its session (session first, as in
-- book_session, so two people's actions on one session always queue the same way).
create function public.lock_own_booking(p_booking_id uuid) returns public.bookings
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
begin
  if auth.uid() is null then raise exception 'Sign in to change a booking' using errcode = '42501'; end if;
  select * into v_booking from public.bookings where id = p_booking_id and user_id = auth.uid();
  if not found then
    raise exception 'Booking % does not exist', p_booking_id using errcode = '22023';
  end if;
  perform 1 from public.sessions where id = v_booking.session_id for update;
  select * into v_booking from public.bookings where id = p_booking_id for update;
  return v_booking;
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
create function public.cancel_booking(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
begin
  return public.release_place(public.lock_own_booking(p_booking_id), null);
end
$$;

-- Accept or decline an offered place.
create function public.respond_to_offer(p_booking_id uuid, p_accept boolean) returns jsonb
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

-- Reminders before a session, with the joining link or venue: one for each of the days in
-- app_settings.reminder_days (7 and 1 by default). Each booking hears the nearest reminder
-- due; one whose day passed before the place was booked is skipped (the confirmation said
-- it all), except the last. Run by the scheduler; p_now makes the clock controllable.
create function public.send_session_reminders(p_now timestamptz default now()) returns int
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
grant execute on function public.book_session(uuid, uuid), public.cancel_booking(uuid),
  public.respond_to_offer(uuid, boolean) to authenticated;

-- The mutations devices send.
create function public.booking_request_mutation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  -- checked first: answers that cannot be kept refuse the request rather than being lost
  v_answers jsonb := public.checked_booking_answers(p_args -> 'answers');
  v_result jsonb := public.book_session((p_args ->> 'booking_id')::uuid, (p_args ->> 'session_id')::uuid);
begin
  if v_result ->> 'status' = 'applied' and v_answers is not null then
    insert into public.booking_answers (booking_id, session_id, user_id, answers)
    values ((v_result -> 'data' ->> 'id')::uuid, (v_result -> 'data' ->> 'session_id')::uuid, auth.uid(), v_answers);
  end if;
  return v_result;
end
$$;

create function public.booking_cancel_mutation(p_args jsonb) returns jsonb
  language sql security definer set search_path = ''
as $$
  select public.cancel_booking((p_args ->> 'booking_id')::uuid)
$$;

create function public.booking_respond_to_offer_mutation(p_args jsonb) returns jsonb
  language sql security definer set search_path = ''
as $$
  select public.respond_to_offer((p_args ->> 'booking_id')::uuid, (p_args ->> 'accept')::boolean)
$$;
insert into public.sync_mutation_handlers (name, handler) values
  ('booking.request', 'public.booking_request_mutation(jsonb)'),
  ('booking.cancel', 'public.booking_cancel_mutation(jsonb)'),
  ('booking.respond_to_offer', 'public.booking_respond_to_offer_mutation(jsonb)');

-- A place in the queue, counted among everyone waiting (the caller sees only their own
-- bookings), for a booking the caller may read; null when it is not waiting.
create function public.waiting_list_position(p_booking_id uuid) returns int
  language sql stable security definer set search_path = ''
as $$
  select (
    select count(*)::int from public.bookings w
    where w.session_id = b.session_id and w.status = 'waitlisted'
      and (w.waitlisted_at, w.id) <= (b.waitlisted_at, b.id))
  from public.bookings b
  where b.id = p_booking_id and b.status = 'waitlisted'
    and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin'))
$$;
grant execute on function public.waiting_list_position(uuid) to authenticated;

-- The rows devices hold: a session with its places; a booking with the joining link once,
-- and only while, its place is confirmed, its place in the queue while waiting, and the
-- attendance recorded for it (09_registers.sql).
create function public.session_sync_row(p_id uuid) returns jsonb
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

create function public.booking_sync_row(p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return (
    select to_jsonb(b) || jsonb_build_object(
      'join_url', case when b.status = 'confirmed' then public.session_join_url(b.session_id) end,
      'waiting_position', public.waiting_list_position(b.id),
      'attendance', public.booking_attendance(b.id),
      'checkin_awaiting', public.booking_checkin_awaiting(b.id),
      'answers', public.booking_answers_of(b.id))
    from public.bookings b where b.id = p_id
  );
end
$$;
grant execute on function public.session_sync_row(uuid) to anon, authenticated;
grant execute on function public.booking_sync_row(uuid) to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('session', 'public.session_sync_row(uuid)'),
  ('booking', 'public.booking_sync_row(uuid)');
