-- Presence decided by the server's clock (supabase/schemas/09_registers.sql): a check-in
-- code counts only when the server receives it within the code's life plus a minute's
-- grace. A check-in that arrives later — made with no signal, or from a photo of the
-- code — is kept in offline_checkins and shown on the register for the trainer to
-- confirm; a mark naming it (record_attendance's checkin_id) is the decision. The
-- booker's row says when their check-in waits (booking_checkin_awaiting); the account's
-- deletion and the retention job remove these rows with the rest.

-- Check-ins that reached the server after their code had expired: made with no signal and
-- sent later, or from a photo of the code. The code proves when it was on the trainer's
-- screen (shown_at, the start of its 30-second step), not that its owner was in the room
-- when it arrived, so it does not count until a trainer confirms it with a mark on the
-- register (decided_by_mark), or decides otherwise at closing.
create table public.offline_checkins (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  booking_id uuid references public.bookings (id),
  walk_in_id uuid references public.walk_in_attendees (id),
  -- what the check-in would have recorded at the time its code was shown
  status public.attendance_status not null check (status in ('present', 'late')),
  shown_at timestamptz not null,
  -- the time the phone reported, for the trainer to see; never decides anything
  scanned_at timestamptz,
  received_at timestamptz not null default now(),
  decided_by_mark uuid references public.attendance_events (id),
  check (num_nonnulls(booking_id, walk_in_id) = 1)
);
create index offline_checkins_session_idx on public.offline_checkins (session_id) where decided_by_mark is null;
create index offline_checkins_user_idx on public.offline_checkins (user_id, session_id);
alter table public.offline_checkins enable row level security;

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
  if v_closed_at is not null then
    perform public.request_evaluation(v_session.id, v_uid);
  end if;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_event.status));
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

  if v_closure.session_id is not null and v_booker is not null and v_status in ('present', 'late') then
    perform public.request_evaluation(v_session.id, v_booker);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_event));
end
$$;


create or replace function public.get_register(p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register(p_session_id);
  v_secret bytea;
begin
  insert into public.session_checkin_keys (session_id) values (v_session.id) on conflict do nothing;
  select secret into v_secret from public.session_checkin_keys where session_id = v_session.id;
  return jsonb_build_object(
    'session_id', v_session.id,
    'downloaded_at', now(),
    'checkin_key', encode(v_secret, 'base64'),
    'closed_at', (select closed_at from public.register_closures where session_id = v_session.id),
    -- check-ins that came after their code expired, waiting for a trainer's decision
    'offline_checkins', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', o.id, 'booking_id', o.booking_id, 'walk_in_id', o.walk_in_id, 'status', o.status,
          'shown_at', o.shown_at, 'scanned_at', o.scanned_at, 'received_at', o.received_at)
        order by o.received_at)
      from public.offline_checkins o
      where o.session_id = v_session.id and o.decided_by_mark is null), '[]'),
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object(
          'booking_id', b.id, 'user_id', b.user_id, 'booking_status', b.status,
          'full_name', coalesce(p.full_name, p.email), 'email', p.email,
          'agency', a.name, 'job_role', p.job_role) order by lower(coalesce(p.full_name, p.email)))
      from public.bookings b
      join public.profiles p on p.id = b.user_id
      left join public.agencies a on a.id = p.agency_id
      where b.session_id = v_session.id
        and (b.status in ('confirmed', 'waitlisted', 'offered', 'requested')
             or exists (select 1 from public.attendance_events e where e.booking_id = b.id))), '[]'),
    'walk_ins', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', w.id, 'session_id', w.session_id, 'full_name', w.full_name, 'email', w.email,
          'agency_id', w.agency_id, 'agency_name', coalesce(w.agency_name, a.name)) order by w.created_at)
      from public.walk_in_attendees w left join public.agencies a on a.id = w.agency_id
      where w.session_id = v_session.id), '[]'),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', e.id, 'session_id', e.session_id, 'booking_id', e.booking_id, 'walk_in_id', e.walk_in_id,
          'status', e.status, 'marked_at', e.marked_at, 'source', e.source, 'device_id', e.device_id,
          'supersedes', to_jsonb(e.supersedes), 'marked_by_name', coalesce(p.full_name, 'Someone'))
        order by e.marked_at)
      from public.attendance_events e left join public.profiles p on p.id = e.marked_by
      where e.session_id = v_session.id), '[]')
  );
end
$$;


create function public.booking_checkin_awaiting(p_booking_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.offline_checkins o join public.bookings b on b.id = o.booking_id
    where o.booking_id = p_booking_id and o.decided_by_mark is null
      and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin')))
$$;

grant execute on function public.booking_checkin_awaiting(uuid) to authenticated;

create or replace function public.booking_sync_row(p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return (
    select to_jsonb(b) || jsonb_build_object(
      'join_url', case when b.status = 'confirmed' then public.session_join_url(b.session_id) end,
      'waiting_position', public.waiting_list_position(b.id),
      'attendance', public.booking_attendance(b.id),
      'checkin_awaiting', public.booking_checkin_awaiting(b.id))
    from public.bookings b where b.id = p_id
  );
end
$$;


create or replace function public.anonymise_person(p_user uuid) returns void
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text;
  v_placeholder text := 'deleted-' || gen_random_uuid() || '@deleted.invalid';
  v_key uuid := gen_random_uuid();
begin
  select p.email into v_email from public.profiles p where p.id = p_user for update;
  update public.profiles set full_name = null, job_role = null, email = v_placeholder where id = p_user;
  update auth.users set email = v_placeholder, raw_user_meta_data = '{}'::jsonb where id = p_user;
  if to_regclass('local_auth.refresh_tokens') is not null then
    execute 'delete from local_auth.refresh_tokens where user_id = $1' using p_user;
  end if;
  if to_regclass('auth.sessions') is not null then
    execute 'delete from auth.sessions where user_id = $1' using p_user; -- Supabase Auth's sessions
  end if;

  update public.evaluations set user_id = null, anonymised = true where user_id = p_user;
  update public.followups set user_id = null, anonymised = true where user_id = p_user;
  delete from public.notifications where user_id = p_user;
  delete from public.sync_mutations where user_id = p_user;
  delete from public.checkin_failures where user_id = p_user;
  delete from public.offline_checkins where user_id = p_user;
  delete from public.evaluation_requests where user_id = p_user;
  delete from public.staff_roles where user_id = p_user;
  update public.impact_facts set person = v_key where person = p_user;
  if v_email is not null then
    perform public.anonymise_walk_ins(v_email);
  end if;
end
$$;


create or replace function public.apply_retention(p_now timestamptz default now()) returns jsonb
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_cutoff timestamptz := p_now - (select r.keep_personal_data from public.retention_policy r);
  v_user uuid;
  v_email text;
  v_people int := 0;
  v_walk_in_emails int := 0;
  v_walk_ins int;
  v_emails int;
  v_changes int;
  v_requests int;
begin
  for v_user in
    select p.id from public.profiles p join auth.users u on u.id = p.id
    where p.created_at < v_cutoff
      and p.email not like '%@deleted.invalid'
      and coalesce(u.last_sign_in_at, p.created_at) < v_cutoff
      and not exists (select 1 from public.staff_roles r where r.user_id = p.id)
      and not exists (select 1 from public.bookings b join public.sessions s on s.id = b.session_id
                      where b.user_id = p.id and s.ends_at >= v_cutoff)
      and not exists (select 1 from public.session_trainers t join public.sessions s on s.id = t.session_id
                      where t.trainer_id = p.id and s.ends_at >= v_cutoff)
  loop
    perform public.anonymise_person(v_user);
    v_people := v_people + 1;
  end loop;

  for v_email in
    select lower(w.email) from public.walk_in_attendees w join public.sessions s on s.id = w.session_id
    where w.email is not null group by lower(w.email) having max(s.ends_at) < v_cutoff
  loop
    perform public.anonymise_walk_ins(v_email);
    v_walk_in_emails := v_walk_in_emails + 1;
  end loop;

  update public.walk_in_attendees w set full_name = 'Name removed', email = null, anonymised = true
  from public.sessions s
  where s.id = w.session_id and s.ends_at < v_cutoff and not w.anonymised and w.email is null;
  get diagnostics v_walk_ins = row_count;

  delete from public.notifications where created_at < v_cutoff;
  get diagnostics v_emails = row_count;
  delete from public.sync_mutations where received_at < v_cutoff;
  get diagnostics v_changes = row_count;
  delete from public.evaluation_requests where requested_at < v_cutoff;
  get diagnostics v_requests = row_count;
  -- wrong check-in codes matter for an hour (the limit on guessing); kept a day at most
  delete from public.checkin_failures where failed_at < p_now - interval '1 day';
  -- an offline check-in serves its register; the trainer's mark is what is kept
  delete from public.offline_checkins o using public.sessions s
    where s.id = o.session_id and s.ends_at < v_cutoff;

  return jsonb_build_object('cutoff', v_cutoff, 'accounts_anonymised', v_people,
    'walk_in_emails_removed', v_walk_in_emails, 'walk_ins_without_email_anonymised', v_walk_ins,
    'emails_deleted', v_emails, 'device_changes_deleted', v_changes, 'requests_deleted', v_requests);
end
$$;


