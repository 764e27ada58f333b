-- A mark can clear the marks it supersedes (supabase/schemas/09_registers.sql): a mark
-- with no status, sent as 'unmarked', undoes "mark everyone present" and leaves the
-- attendee not marked. One function (attendee_status) says where a booking or a walk-in
-- stands; closing records a no-show for anyone nothing a person marked stands for, and the
-- impact facts read a cleared mark as not marked (or the no-show once closed).

alter table public.attendance_events alter column status drop not null;

create function public.attendee_status(p_booking_id uuid, p_walk_in_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select h.status from public.attendance_heads(p_booking_id, p_walk_in_id) h
     where h.source <> 'closure' order by h.marked_at desc, h.id desc limit 1),
    (select 'absent'::public.attendance_status from public.attendance_heads(p_booking_id, p_walk_in_id) h
     where h.source = 'closure' limit 1))
$$;


create or replace function public.attendance_status_of(p_booking_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$ select public.attendee_status(p_booking_id, null) $$;


create or replace function public.walk_in_attendance_status(p_walk_in_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$ select public.attendee_status(null, p_walk_in_id) $$;


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


create or replace function public.impact_facts_marks_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- the mark that counts for the report: the latest a person made; closing the register's
  -- no-show when nobody marked them or the latest mark cleared theirs
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.booking_id) e.booking_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status
               when e.status is null and exists (select 1 from public.attendance_events c
                 where c.booking_id = e.booking_id and c.source = 'closure') then 'absent'::public.attendance_status
               else e.status end as status
        from public.attendance_events e
        where e.booking_id in (select n.booking_id from new_rows n)
        order by e.booking_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.booking_id = m.booking_id and f.attendance is distinct from m.status;
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.walk_in_id) e.walk_in_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
        from public.attendance_events e
        where e.walk_in_id in (select n.walk_in_id from new_rows n)
        order by e.walk_in_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.walk_in_id = m.walk_in_id and f.attendance is distinct from m.status;
  return null;
end
$$;


