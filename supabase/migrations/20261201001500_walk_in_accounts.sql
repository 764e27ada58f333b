-- A walk-in with an account is that account, and one rule says who is asked to evaluate,
-- who may submit and who counts (supabase/schemas/09_registers.sql, 10_evaluations.sql,
-- 12_impact_facts.sql, 13_impact_counts.sql):
--   - evaluation_standing reads the impact facts (attended, undecided, not attended, not
--     on the register); closing the register, a later mark, a check-in after closing and
--     the follow-up job ask everyone the register shows attended (session_attenders),
--     left early and walk-ins with accounts included; submit_evaluation refuses only those
--     not on the register or marked as not attending.
--   - a walk-in recorded with an account's email reaches that person's devices as a place
--     in My training (walk_in_place_sync_row), told of every mark; an account made later
--     with that email takes over the walk-in's place in the facts.

create function public.walk_in_attendance_status(p_walk_in_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select h.status from public.attendance_heads(null, p_walk_in_id) h
  where h.source <> 'closure' order by h.marked_at desc, h.id desc limit 1
$$;


create function public.track_walk_in_for_account() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.track_change('walk_in_place', n.id, array['user:' || p.id])
  from new_rows n join public.profiles p on p.email = lower(n.email)
  where n.email is not null;
  return null;
end
$$;
create trigger walk_in_attendees_tell_account after insert on public.walk_in_attendees
  referencing new table as new_rows for each statement execute function public.track_walk_in_for_account();

create function public.walk_in_place_sync_row(p_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'id', w.id, 'session_id', w.session_id, 'user_id', p.id, 'status', 'confirmed',
      'waitlisted_at', null, 'offer_expires_at', null, 'created_at', w.created_at,
      'cancelled_at', null, 'join_url', null, 'waiting_position', null, 'walk_in', true,
      'attendance', public.walk_in_attendance_status(w.id),
      'checkin_awaiting', exists (select 1 from public.offline_checkins o
                                  where o.walk_in_id = w.id and o.decided_by_mark is null))
    from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where w.id = p_id and p.id = auth.uid() and not w.anonymised
  );
end
$$;
grant execute on function public.walk_in_place_sync_row(uuid) to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('walk_in_place', 'public.walk_in_place_sync_row(uuid)');

create function public.evaluation_standing(p_session_id uuid, p_user_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select case
    when bool_or(public.impact_attended(f.attendance)) then 'attended'
    when bool_or(f.attendance is null and (f.walk_in_id is not null or f.booking_status = 'confirmed'))
         and not exists (select 1 from public.register_closures c where c.session_id = p_session_id)
      then 'undecided'
    when bool_or(f.attendance is not null or f.walk_in_id is not null or f.booking_status = 'confirmed')
      then 'not_attended'
    else 'not_on_register' end
  from public.impact_facts f
  where f.session_id = p_session_id and f.person = p_user_id
$$;

-- The accounts the register shows attended a session: who is asked to evaluate it.
create function public.session_attenders(p_session_id uuid) returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select distinct f.person from public.impact_facts f
  where f.session_id = p_session_id and public.impact_attended(f.attendance)
    and exists (select 1 from public.profiles p where p.id = f.person)
$$;

create function public.walk_ins_meet_account() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  update public.impact_facts f set person = new.id
  from public.walk_in_attendees w
  where w.id = f.walk_in_id and lower(w.email) = new.email and f.person <> new.id;
  perform public.track_change('walk_in_place', w.id, array['user:' || new.id])
  from public.walk_in_attendees w where lower(w.email) = new.email;
  return null;
end
$$;
create trigger profiles_meet_walk_ins after insert or update of email on public.profiles
  for each row execute function public.walk_ins_meet_account();

create or replace function public.track_attendance_for_booker() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if new.booking_id is not null then
    perform public.track_change('booking', new.booking_id,
      array['user:' || (select b.user_id from public.bookings b where b.id = new.booking_id)]);
  else
    perform public.track_change('walk_in_place', new.walk_in_id, array['user:' || p.id])
    from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where w.id = new.walk_in_id;
  end if;
  return null;
end
$$;


create or replace function public.record_attendance(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
  v_booking_id uuid := (p_args ->> 'booking_id')::uuid;
  v_walk_in_id uuid := (p_args ->> 'walk_in_id')::uuid;
  v_status public.attendance_status;
  v_source public.attendance_source;
  v_marked_at timestamptz;
  v_existing public.attendance_events;
  v_closure public.register_closures;
  v_booker uuid;
  v_event public.attendance_events;
  v_checkin public.offline_checkins;
begin
  if v_id is null then
    raise exception 'A mark needs an id' using errcode = '22023', detail = 'id';
  end if;
  if p_args ->> 'checkin_id' is not null then
    if p_args ->> 'checkin_id' !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' then
      raise exception 'checkin_id must be the id of an offline check-in' using errcode = '22023', detail = 'checkin_id';
    end if;
    select * into v_checkin from public.offline_checkins where id = (p_args ->> 'checkin_id')::uuid;
    if not found or v_checkin.session_id <> v_session.id
       or v_checkin.booking_id is distinct from (p_args ->> 'booking_id')::uuid
       or v_checkin.walk_in_id is distinct from (p_args ->> 'walk_in_id')::uuid then
      raise exception 'Check-in % is not an offline check-in of this attendee on this register', p_args ->> 'checkin_id'
        using errcode = '22023', detail = 'checkin_id';
    end if;
  end if;
  if p_args ->> 'status' is null
     or p_args ->> 'status' not in ('present', 'late', 'left_early', 'absent', 'excused') then
    raise exception 'Status must be present, late, left_early, absent or excused (got "%")',
      left(coalesce(p_args ->> 'status', ''), 40) using errcode = '22023', detail = 'status';
  end if;
  v_status := (p_args ->> 'status')::public.attendance_status;
  if coalesce(p_args ->> 'source', 'register') not in ('register', 'import') then
    raise exception 'Source must be register or import' using errcode = '22023', detail = 'source';
  end if;
  v_source := coalesce(p_args ->> 'source', 'register')::public.attendance_source;
  if num_nonnulls(v_booking_id, v_walk_in_id) <> 1 then
    raise exception 'A mark is for one booking or one walk-in' using errcode = '22023';
  end if;
  if p_args -> 'supersedes' is not null and jsonb_typeof(p_args -> 'supersedes') <> 'array' then
    raise exception 'supersedes must be an array of mark ids' using errcode = '22023', detail = 'supersedes';
  end if;
  -- a device clock running fast must not win every later disagreement
  v_marked_at := least(coalesce((p_args ->> 'marked_at')::timestamptz, now()), now());

  select * into v_existing from public.attendance_events where id = v_id;
  if found then
    if v_existing.session_id = v_session.id and v_existing.status = v_status
       and v_existing.booking_id is not distinct from v_booking_id
       and v_existing.walk_in_id is not distinct from v_walk_in_id then
      return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_existing));
    end if;
    raise exception 'Mark % already exists with different content', v_id
      using errcode = '23505', hint = 'Each mark needs a new id.';
  end if;

  if v_booking_id is not null then
    select user_id into v_booker from public.bookings where id = v_booking_id and session_id = v_session.id;
    if not found then
      raise exception 'Booking % is not on this session''s register', v_booking_id
        using errcode = '22023', detail = 'booking_id';
    end if;
  elsif not exists (select 1 from public.walk_in_attendees w where w.id = v_walk_in_id and w.session_id = v_session.id) then
    raise exception 'Walk-in % is not on this session''s register', v_walk_in_id
      using errcode = '22023', detail = 'walk_in_id';
  end if;

  select * into v_closure from public.register_closures where session_id = v_session.id;
  if found and v_marked_at > v_closure.closed_at
     and not (v_checkin.id is not null and v_checkin.shown_at <= v_closure.closed_at) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'The register was closed at ' || public.uk_time(v_closure.closed_at)
        || '. Ask the partnership to reopen it to change a mark.');
  end if;

  insert into public.attendance_events
    (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source, device_id, supersedes)
  values (v_id, v_session.id, v_booking_id, v_walk_in_id, v_status, v_uid, v_marked_at, v_source,
    (p_args ->> 'device_id')::uuid,
    -- keep only marks of the same attendee: anything else is noise from a confused client
    array(select e.id from public.attendance_events e
          where e.id in (select (jsonb_array_elements_text(coalesce(p_args -> 'supersedes', '[]')))::uuid)
            and (e.booking_id = v_booking_id or e.walk_in_id = v_walk_in_id)))
  returning * into v_event;
  if v_checkin.id is not null then
    update public.offline_checkins set decided_by_mark = v_event.id
      where id = v_checkin.id and decided_by_mark is null;
  end if;

  -- after closing, a mark that says they attended asks them for their evaluation (the
  -- booker, or the account a walk-in was recorded with)
  if v_closure.session_id is not null then
    perform public.request_evaluation(v_session.id, a.person)
    from public.session_attenders(v_session.id) a(person)
    where a.person = coalesce(v_booker, (select p.id from public.walk_in_attendees w
                                         join public.profiles p on p.email = lower(w.email)
                                         where w.id = v_walk_in_id));
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_event));
end
$$;


create or replace function public.self_check_in(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session_id uuid := (p_args ->> 'session_id')::uuid;
  v_code text := btrim(coalesce(p_args ->> 'code', ''));
  v_step bigint;
  v_now_step bigint := floor(extract(epoch from now()) / 30)::bigint;
  v_scanned_at timestamptz;
  v_shown_at timestamptz;
  v_live boolean;
  v_session public.sessions;
  v_secret bytea;
  v_booking public.bookings;
  v_profile public.profiles;
  v_walk_in_id uuid;
  v_existing public.attendance_events;
  v_offline public.offline_checkins;
  v_event public.attendance_events;
  v_closed_at timestamptz;
  v_status public.attendance_status;
begin
  if v_uid is null then
    raise exception 'Sign in to check in' using errcode = '42501';
  end if;
  if v_id is null then
    raise exception 'A check-in needs an id' using errcode = '22023', detail = 'id';
  end if;
  if p_args ->> 'step' is not null then
    if p_args ->> 'step' !~ '^[0-9]{1,12}$' then
      raise exception 'step must be a whole number' using errcode = '22023', detail = 'step';
    end if;
    v_step := (p_args ->> 'step')::bigint;
  end if;
  v_scanned_at := least(coalesce((p_args ->> 'scanned_at')::timestamptz, now()), now());

  select * into v_existing from public.attendance_events where id = v_id;
  if found then
    if v_existing.marked_by = v_uid and v_existing.source = 'self_checkin' then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_existing.status));
    end if;
    raise exception 'Mark % already exists', v_id using errcode = '23505';
  end if;
  select * into v_offline from public.offline_checkins where id = v_id;
  if found then
    if v_offline.user_id = v_uid then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', 'awaiting_confirmation'));
    end if;
    raise exception 'Check-in % already exists', v_id using errcode = '23505';
  end if;

  select * into v_session from public.sessions where id = v_session_id;
  if not found or not public.course_is_published(v_session.course_id) then
    return jsonb_build_object('status', 'rejected', 'reason', 'This check-in code is not for a session in the brochure.');
  end if;
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason', 'This session was cancelled.');
  end if;
  -- ten codes that did not match for this session in the last hour, by any path, and no more
  -- are tried (the 6-digit code changes every 30 seconds)
  if (select count(*) from public.checkin_failures f
      where f.user_id = v_uid and f.session_id = v_session.id and f.failed_at > now() - interval '1 hour') >= 10 then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Too many codes that did not match in the last hour. Ask the trainer to mark you on the register.');
  end if;
  if v_code !~ '^[0-9]{6}$' then
    insert into public.checkin_failures (user_id, session_id) values (v_uid, v_session.id);
    return jsonb_build_object('status', 'rejected', 'reason', 'Enter the 6-digit code shown by the trainer.');
  end if;

  -- the step whose code this is: the one the QR address names, else one around the server's
  -- time or the time the phone reports; the latest that matches
  select secret into v_secret from public.session_checkin_keys where session_id = v_session.id;
  select max(c.step) into v_step
  from (select v_step as step where v_step is not null
        union select generate_series(v_now_step - 3, v_now_step + 1) where v_step is null
        union select generate_series(floor(extract(epoch from v_scanned_at) / 30)::bigint - 3,
                                     floor(extract(epoch from v_scanned_at) / 30)::bigint + 1)
              where v_step is null) c
  where v_secret is not null and public.checkin_code(v_secret, v_session.id, c.step) = v_code;
  if v_step is null then
    -- counted, and the person's failures older than the hour the limit looks at are let go
    delete from public.checkin_failures f where f.user_id = v_uid and f.failed_at < now() - interval '1 hour';
    insert into public.checkin_failures (user_id, session_id) values (v_uid, v_session.id);
    return jsonb_build_object('status', 'rejected', 'reason',
      'That code is not valid for this session. Codes change every 30 seconds: scan the code on the trainer''s screen again.');
  end if;
  v_shown_at := to_timestamp(v_step * 30);
  v_live := now() between v_shown_at - interval '30 seconds' and v_shown_at + interval '90 seconds';
  if v_shown_at < v_session.starts_at - interval '30 minutes'
     or v_shown_at > v_session.ends_at + interval '30 minutes' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Check-in is open from 30 minutes before the session starts until 30 minutes after it ends.');
  end if;

  select closed_at into v_closed_at from public.register_closures where session_id = v_session.id;
  if v_closed_at is not null and v_shown_at > v_closed_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'The register for this session is closed. Ask the trainer to mark you.');
  end if;

  select * into v_booking from public.bookings
    where session_id = v_session.id and user_id = v_uid and status not in ('cancelled', 'declined');
  if v_booking.id is null then
    -- came without a booking: on the register as a walk-in, from their profile
    select * into v_profile from public.profiles where id = v_uid;
    if v_profile.full_name is null then
      return jsonb_build_object('status', 'rejected', 'reason', 'Add your name to your profile, then check in again.');
    end if;
    select id into v_walk_in_id from public.walk_in_attendees
      where session_id = v_session.id and email = v_profile.email;
    if v_walk_in_id is null then
      insert into public.walk_in_attendees (session_id, full_name, email, agency_id, added_by)
      values (v_session.id, v_profile.full_name, v_profile.email, v_profile.agency_id, v_uid)
      returning id into v_walk_in_id;
    end if;
  end if;

  -- checking in twice is the first check-in that counted
  select * into v_existing from public.attendance_events e
    where e.source = 'self_checkin' and e.marked_by = v_uid and e.session_id = v_session.id;
  if found then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_existing.status));
  end if;

  if not v_live then
    select * into v_offline from public.offline_checkins o
      where o.user_id = v_uid and o.session_id = v_session.id and o.decided_by_mark is null;
    if not found then
      insert into public.offline_checkins
        (id, session_id, user_id, booking_id, walk_in_id, status, shown_at, scanned_at)
      values (v_id, v_session.id, v_uid, v_booking.id, v_walk_in_id,
        case when v_shown_at > v_session.starts_at + interval '15 minutes' then 'late'::public.attendance_status
             else 'present'::public.attendance_status end,
        v_shown_at, (p_args ->> 'scanned_at')::timestamptz);
      if v_booking.id is not null then
        perform public.track_change('booking', v_booking.id, array['user:' || v_uid]);
      end if;
    end if;
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', 'awaiting_confirmation'));
  end if;

  v_status := case when now() > v_session.starts_at + interval '15 minutes' then 'late' else 'present' end;
  insert into public.attendance_events
    (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source, supersedes)
  values (v_id, v_session.id, v_booking.id, v_walk_in_id, v_status, v_uid, now(), 'self_checkin',
    array(select h.id from public.attendance_heads(v_booking.id, v_walk_in_id) h))
  returning * into v_event;
  -- a live check-in settles one the same person sent earlier from a phone with no signal
  update public.offline_checkins set decided_by_mark = v_event.id
    where user_id = v_uid and session_id = v_session.id and decided_by_mark is null;
  if v_closed_at is not null and public.evaluation_standing(v_session.id, v_uid) = 'attended' then
    perform public.request_evaluation(v_session.id, v_uid);
  end if;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_event.status));
end
$$;


create or replace function public.close_register(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
  v_closed_at timestamptz := least(coalesce((p_args ->> 'closed_at')::timestamptz, now()), now());
  v_no_shows int;
  v_asked int;
begin
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason', 'This session was cancelled: there is no register to close.');
  end if;
  if v_closed_at < v_session.starts_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'A register can be closed once the session has started (it starts ' || public.uk_time(v_session.starts_at) || ').');
  end if;
  insert into public.register_closures (session_id, closed_by, closed_at)
  values (v_session.id, auth.uid(), v_closed_at)
  on conflict (session_id) do nothing;
  if not found then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('already_closed', true));
  end if;

  with no_show as (
    insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
    select gen_random_uuid(), v_session.id, b.id, 'absent', auth.uid(), v_closed_at, 'closure'
    from public.bookings b
    where b.session_id = v_session.id and b.status = 'confirmed'
      and not exists (select 1 from public.attendance_events e where e.booking_id = b.id)
    returning 1
  )
  select count(*) into v_no_shows from no_show;

  select count(*) into v_asked from (
    select public.request_evaluation(v_session.id, a.person)
    from public.session_attenders(v_session.id) a(person)
  ) asked;
  return jsonb_build_object('status', 'applied',
    'data', jsonb_build_object('no_shows', v_no_shows, 'evaluations_requested', v_asked));
end
$$;


create or replace function public.submit_evaluation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions;
  v_existing public.evaluations;
  v_standing text;
begin
  if v_uid is null then
    raise exception 'Sign in to send your evaluation' using errcode = '42501';
  end if;
  if v_id is null then
    raise exception 'An evaluation needs an id' using errcode = '22023', detail = 'id';
  end if;
  select * into v_existing from public.evaluations where id = v_id;
  if found then
    if v_existing.user_id = v_uid then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
    end if;
    raise exception 'Evaluation % already exists', v_id using errcode = '23505';
  end if;
  select * into v_session from public.sessions where id = (p_args ->> 'session_id')::uuid;
  if not found then
    raise exception 'Session % does not exist', p_args ->> 'session_id' using errcode = '22023', detail = 'session_id';
  end if;
  -- who may evaluate is who is asked and who counts (evaluation_standing): anyone the
  -- register shows attended, or not yet marked on a register still open
  v_standing := public.evaluation_standing(v_session.id, v_uid);
  if v_standing = 'not_on_register' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Only people booked on this session or marked at it can evaluate it.');
  end if;
  if now() < v_session.starts_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You can give your evaluation once the session has started.');
  end if;
  if v_standing = 'not_attended' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'The register shows you did not attend this session, so you cannot evaluate it. If that is wrong, ask the trainer to correct the register.');
  end if;
  if exists (select 1 from public.evaluations e where e.session_id = v_session.id and e.user_id = v_uid) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You have already sent your evaluation of this session. Thank you.');
  end if;
  perform public.insert_evaluation(v_session, p_args, v_uid);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
end
$$;


create or replace function public.send_followup_requests(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    select s.id as session_id, a.person as user_id, c.title
    from public.sessions s
    join public.courses c on c.id = s.course_id
    cross join lateral public.session_attenders(s.id) a(person)
    where s.status = 'scheduled'
      and s.ends_at + make_interval(weeks => c.followup_weeks) <= p_now
      and s.ends_at + make_interval(weeks => c.followup_weeks) > p_now - interval '14 days'
      and not exists (select 1 from public.followups f where f.session_id = s.id and f.user_id = a.person)
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


-- walk-ins recorded before their account existed: the account's place now, and on its devices
update public.impact_facts f set person = p.id
from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
where w.id = f.walk_in_id and f.person <> p.id;
select public.track_change('walk_in_place', w.id, array['user:' || p.id])
from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email);
