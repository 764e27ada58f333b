-- Registers: attendance marks as append-only events, walk-ins, self check-in with a code
-- that changes every 30 seconds, closing the register.
--
-- Current status of an attendee = the latest mark by marked_at among the marks nobody has
-- superseded ("heads"). A device that marks someone names the marks it saw as current
-- (supersedes); two devices that marked without seeing each other leave two heads, and if
-- they disagree the register shows a conflict until a trainer resolves it with a new mark.
-- Marks made by closing the register (no-shows) give way to any mark a person made. A mark
-- without a status clears the marks it supersedes (undoing "mark everyone present"): the
-- attendee is not marked again.
--
-- No API role reads these tables: a register travels whole through get_register, to the
-- session's trainers and admins, and a booker's own attendance on their booking's row.

-- People who attended without an account or a booking (walk-ins, paper registers)
create table public.walk_in_attendees (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  full_name text not null check (char_length(full_name) between 1 and 200),
  email text check (char_length(email) between 3 and 320),
  agency_id uuid references public.agencies (id),
  agency_name text check (char_length(agency_name) <= 200),
  added_by uuid not null references public.profiles (id),
  created_at timestamptz not null default now(),
  -- name and email removed (deleted account or retention policy, 15_privacy.sql)
  anonymised boolean not null default false,
  -- printed on the certificate; verify_certificate answers for it once it is earned
  certificate_ref text not null default public.new_certificate_ref()
);
create unique index walk_in_attendees_certificate_ref_idx on public.walk_in_attendees (certificate_ref);
create index walk_in_attendees_session_idx on public.walk_in_attendees (session_id);
create index walk_in_attendees_email_idx on public.walk_in_attendees (lower(email)) where email is not null;
alter table public.walk_in_attendees enable row level security;

create table public.attendance_events (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid references public.bookings (id),
  walk_in_id uuid references public.walk_in_attendees (id),
  -- null: clears the marks it supersedes (an undo), leaving the attendee not marked
  status public.attendance_status,
  marked_by uuid not null references public.profiles (id),
  marked_at timestamptz not null,
  source public.attendance_source not null,
  device_id uuid,
  received_at timestamptz not null default now(),
  -- the marks the marking device saw as current for this attendee
  supersedes uuid[] not null default '{}' check (cardinality(supersedes) <= 50),
  check (num_nonnulls(booking_id, walk_in_id) = 1)
);
create index attendance_events_session_idx on public.attendance_events (session_id, marked_at);
create index attendance_events_booking_idx on public.attendance_events (booking_id)
  where booking_id is not null;
create index attendance_events_walk_in_idx on public.attendance_events (walk_in_id)
  where walk_in_id is not null;
create index attendance_events_booking_time_idx
  on public.attendance_events (booking_id, marked_at desc) where booking_id is not null;
alter table public.attendance_events enable row level security;

create table public.register_closures (
  session_id uuid primary key references public.sessions (id) on delete cascade,
  closed_by uuid not null references public.profiles (id),
  closed_at timestamptz not null default now()
);
alter table public.register_closures enable row level security;

create function public.forbid_attendance_change() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  raise exception 'Attendance marks cannot be changed or deleted'
    using errcode = '42501', hint = 'Record a new mark: the latest mark is the attendee''s status.';
end
$$;
create trigger attendance_events_append_only before update or delete on public.attendance_events
  for each row execute function public.forbid_attendance_change();

-- The secret behind a session's check-in codes. Only the register function hands it out,
-- to the session's trainers and admins, so their devices can show codes offline.
create table public.session_checkin_keys (
  session_id uuid primary key references public.sessions (id) on delete cascade,
  secret bytea not null default extensions.gen_random_bytes(32)
);
alter table public.session_checkin_keys enable row level security;

-- Check-in codes that did not match, per person and session: the limit on guessing a code.
-- self_check_in writes and counts them itself, so the limit holds on every path to it (the
-- sync push, apply_mutation, or calling it directly), not only through the sync ledger.
create table public.checkin_failures (
  user_id uuid not null references public.profiles (id) on delete cascade,
  session_id uuid not null references public.sessions (id) on delete cascade,
  failed_at timestamptz not null default now()
);
create index checkin_failures_idx on public.checkin_failures (user_id, session_id, failed_at);
alter table public.checkin_failures enable row level security;

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

create function public.can_take_register(p_session_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select public.teaches_session(p_session_id) or public.has_staff_role('admin')
$$;

create function public.require_register(p_session_id uuid) returns public.sessions
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_session public.sessions;
begin
  if auth.uid() is null then
    raise exception 'Sign in to take a register' using errcode = '42501';
  end if;
  select * into v_session from public.sessions where id = p_session_id;
  if not found then
    raise exception 'Session % does not exist', p_session_id using errcode = '22023', detail = 'session_id';
  end if;
  if not public.can_take_register(p_session_id) then
    raise exception 'Only the trainers of this session and the partnership''s admins can take its register'
      using errcode = '42501';
  end if;
  return v_session;
end
$$;

-- The 6-digit code for a session at a 30-second step: HMAC-SHA256(secret, '<session>:<step>'),
-- first four bytes as a number, last six digits. The app computes the same with Web Crypto.
create function public.checkin_code(p_secret bytea, p_session_id uuid, p_step bigint) returns text
  language sql immutable set search_path = ''
as $$
  select lpad((((('x' || encode(substring(
      extensions.hmac(convert_to(p_session_id::text || ':' || p_step::text, 'UTF8'), p_secret, 'sha256')
      from 1 for 4), 'hex'))::bit(32)::bigint) % 1000000))::text, 6, '0')
$$;

-- Marks nobody has superseded, for one attendee (a booking or a walk-in).
create function public.attendance_heads(p_booking_id uuid, p_walk_in_id uuid)
  returns setof public.attendance_events language sql stable security definer set search_path = ''
as $$
  select e.* from public.attendance_events e
  where (e.booking_id = p_booking_id or e.walk_in_id = p_walk_in_id)
    and not exists (
      select 1 from public.attendance_events later
      where (later.booking_id = p_booking_id or later.walk_in_id = p_walk_in_id)
        and e.id = any (later.supersedes))
$$;

-- Where an attendee stands on a register: the latest mark a person made, or absent when
-- nothing a person marked stands (no mark, or a mark cleared) and closing the register
-- recorded a no-show; null when not marked.
create function public.attendee_status(p_booking_id uuid, p_walk_in_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select h.status from public.attendance_heads(p_booking_id, p_walk_in_id) h
     where h.source <> 'closure' order by h.marked_at desc, h.id desc limit 1),
    (select 'absent'::public.attendance_status from public.attendance_heads(p_booking_id, p_walk_in_id) h
     where h.source = 'closure' limit 1))
$$;

create function public.attendance_status_of(p_booking_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$ select public.attendee_status(p_booking_id, null) $$;

-- A booking's attendance, for the booking's row: answers only for a booking the caller may
-- see (their own, a session they teach, or as an admin). attendance_status_of runs as its
-- owner and answers for any booking, so it is for the server's own functions only.
create function public.booking_attendance(p_booking_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select public.attendance_status_of(b.id) from public.bookings b
  where b.id = p_booking_id
    and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin'))
$$;

-- A mark tells the attendee's device: their booking row, or their place as a walk-in with
-- an account, carries their attendance.
create function public.track_attendance_for_booker() returns trigger
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
create trigger attendance_events_tell_booker after insert on public.attendance_events
  for each row execute function public.track_attendance_for_booker();

-- One mark from a register or an import. Same event id twice is one event. A mark that
-- names an offline check-in (checkin_id) is the trainer's decision on it: it must be for
-- the same attendee, and it may come after the register was closed when the check-in's
-- code was shown before.
create function public.record_attendance(p_args jsonb) returns jsonb
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
  v_supersedes uuid[];
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
     or p_args ->> 'status' not in ('present', 'late', 'left_early', 'absent', 'excused', 'unmarked') then
    raise exception 'Status must be present, late, left_early, absent, excused or unmarked (got "%")',
      left(coalesce(p_args ->> 'status', ''), 40) using errcode = '22023', detail = 'status';
  end if;
  -- unmarked: the mark clears the marks it supersedes
  v_status := nullif(p_args ->> 'status', 'unmarked')::public.attendance_status;
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
    if v_existing.session_id = v_session.id and v_existing.status is not distinct from v_status
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

  -- keep only marks of the same attendee: anything else is noise from a confused client
  v_supersedes := array(select e.id from public.attendance_events e
    where e.id in (select (jsonb_array_elements_text(coalesce(p_args -> 'supersedes', '[]')))::uuid)
      and (e.booking_id = v_booking_id or e.walk_in_id = v_walk_in_id));
  if v_status is null and cardinality(v_supersedes) = 0 then
    raise exception 'A mark that clears (unmarked) must name the marks it clears in supersedes'
      using errcode = '22023', detail = 'supersedes';
  end if;
  insert into public.attendance_events
    (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source, device_id, supersedes)
  values (v_id, v_session.id, v_booking_id, v_walk_in_id, v_status, v_uid, v_marked_at, v_source,
    (p_args ->> 'device_id')::uuid, v_supersedes)
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

-- A walk-in recorded with the email of an account is that account's place: it reaches
-- their devices as a row of My training.
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

-- Where a walk-in stands on the register, as attendance_status_of for a booking.
create function public.walk_in_attendance_status(p_walk_in_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$ select public.attendee_status(null, p_walk_in_id) $$;

-- The caller's place at a session as a walk-in, shaped like a booking so My training shows
-- it with the evaluation, certificate and follow-up; nothing for anyone else's.
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
      'certificate_ref', w.certificate_ref,
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

-- Someone who came without a booking. Same id twice is one walk-in.
create function public.add_walk_in(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
  v_name text := public.checked_text(p_args ->> 'full_name', 'Full name', 200);
  v_email text := lower(public.checked_text(p_args ->> 'email', 'Email', 320, false));
  v_agency_id uuid := (p_args ->> 'agency_id')::uuid;
  v_agency_name text := public.checked_text(p_args ->> 'agency_name', 'Agency', 200, false);
  v_walk_in public.walk_in_attendees;
begin
  if v_id is null then
    raise exception 'A walk-in needs an id' using errcode = '22023', detail = 'id';
  end if;
  select * into v_walk_in from public.walk_in_attendees where id = v_id;
  if found then
    if v_walk_in.session_id = v_session.id then
      return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_walk_in));
    end if;
    raise exception 'Walk-in % belongs to another session', v_id using errcode = '23505';
  end if;
  if v_email is not null and v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'Enter an email address in the right format, like name@example.org'
      using errcode = '22023', detail = 'email';
  end if;
  if v_agency_id is not null and not exists (select 1 from public.agencies a where a.id = v_agency_id) then
    raise exception 'Agency % does not exist', v_agency_id using errcode = '22023', detail = 'agency_id';
  end if;
  if v_email is not null and exists (
    select 1 from public.bookings b join public.profiles p on p.id = b.user_id
    where b.session_id = v_session.id and p.email = v_email and b.status not in ('cancelled', 'declined')
  ) then
    return jsonb_build_object('status', 'rejected', 'reason',
      v_email || ' is already booked on this session: mark them on the register instead.');
  end if;

  insert into public.walk_in_attendees (id, session_id, full_name, email, agency_id, agency_name, added_by)
  values (v_id, v_session.id, v_name, v_email, v_agency_id, v_agency_name, auth.uid())
  returning * into v_walk_in;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_walk_in));
end
$$;

-- A practitioner checks themselves in with the code on the trainer's screen. Presence is
-- decided by the server's clock: a code is live from 30 seconds before its 30-second step
-- begins until 90 seconds after (its life plus a minute's grace for a slow connection or
-- a trainer's clock a little out), and a live code counts at once, late or not by the
-- server's time. A code that arrives after that (queued on a phone with no signal, or sent
-- from a photo) is kept as an offline check-in for the trainer to confirm: its step says
-- when the code was shown, whatever the phone's clock says. Codes are looked for around
-- the server's time and around the time the phone reports (or at the step the QR address
-- carries); another session's code and a made-up code fail the HMAC. Every code that does
-- not match counts towards the person's limit for the session, however it is sent.
create function public.self_check_in(p_args jsonb) returns jsonb
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

-- Closing: confirmed bookings nobody marked are recorded as no-shows (a 'closure' mark
-- that any mark a person makes outranks), and everyone the register shows attended —
-- present, late or left early, booked or a walk-in with an account — is asked for their
-- evaluation (evaluation_standing). Closing twice is closing once.
create function public.close_register(p_args jsonb) returns jsonb
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
      and public.attendance_status_of(b.id) is null
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

create function public.admin_reopen_register(p_session_id uuid) returns boolean
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  delete from public.register_closures where session_id = p_session_id;
  return found;
end
$$;

-- Everything a device needs to take a register offline: attendees with their names,
-- walk-ins, every mark, whether it is closed, and the check-in key.
create function public.get_register(p_session_id uuid) returns jsonb
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
    -- the session's trainers, so an import never takes their rows in a report for attendees
    'trainers', coalesce((
      select jsonb_agg(jsonb_build_object('full_name', p.full_name, 'email', p.email) order by p.full_name)
      from public.session_trainers t join public.profiles p on p.id = t.trainer_id
      where t.session_id = v_session.id), '[]'),
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
          'agency', a.name, 'job_role', p.job_role,
          'answers', (select ba.answers from public.booking_answers ba where ba.booking_id = b.id))
        order by lower(coalesce(p.full_name, p.email)))
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
grant execute on function public.get_register(uuid),
  public.admin_reopen_register(uuid), public.record_attendance(jsonb), public.add_walk_in(jsonb),
  public.self_check_in(jsonb), public.close_register(jsonb) to authenticated;
grant execute on function public.booking_attendance(uuid) to authenticated;

-- Whether a booking's owner checked in while offline and waits for the trainer to confirm
-- it; answers only for a booking the caller may see, like booking_attendance.
create function public.booking_checkin_awaiting(p_booking_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.offline_checkins o join public.bookings b on b.id = o.booking_id
    where o.booking_id = p_booking_id and o.decided_by_mark is null
      and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin')))
$$;
grant execute on function public.booking_checkin_awaiting(uuid) to authenticated;

-- A message from a session's trainer (or an admin) to everyone with a confirmed place: the
-- room changed, the link changed, something to bring. It goes through the outbox like every
-- email, with the session's details and the course page, once to each person however often
-- it is sent (the message's id is in each email's key). It needs a connection: it is sent,
-- not queued on the device.
create function public.message_session(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
  v_id uuid;
  v_subject text := public.checked_text(p_args ->> 'subject', 'Subject', 120);
  v_message text := public.checked_text(p_args ->> 'message', 'Message', 2000);
  v_sender text;
  v_title text;
  v_sent int;
begin
  if coalesce(p_args ->> 'id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' then
    raise exception 'A message needs an id (a UUID)' using errcode = '22023', detail = 'id';
  end if;
  v_id := (p_args ->> 'id')::uuid;
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'This session was cancelled, and everyone booked was told.');
  end if;
  select coalesce(p.full_name, 'The trainer') into v_sender from public.profiles p where p.id = auth.uid();
  select c.title into v_title from public.courses c where c.id = v_session.course_id;
  select count(*) into v_sent from (
    select public.notify(b.user_id, 'session_message', v_title || ': ' || v_subject,
      coalesce(v_sender, 'The trainer') || ' has sent this message to everyone booked on this session:'
        || E'\n\n' || v_message
        || E'\n\n' || public.session_summary(v_session.id)
        || case when v_session.join_url is not null then E'\n\nJoin online: ' || v_session.join_url else '' end
        || E'\n\nYour booking: ' || public.course_link(v_session.id),
      'session-message:' || v_id || ':' || b.user_id)
    from public.bookings b where b.session_id = v_session.id and b.status = 'confirmed'
  ) sent;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('sent', v_sent));
end
$$;
grant execute on function public.message_session(jsonb) to authenticated;

insert into public.sync_mutation_handlers (name, handler) values
  ('attendance.mark', 'public.record_attendance(jsonb)'),
  ('attendance.add_walk_in', 'public.add_walk_in(jsonb)'),
  ('attendance.check_in', 'public.self_check_in(jsonb)'),
  ('attendance.close_register', 'public.close_register(jsonb)');
