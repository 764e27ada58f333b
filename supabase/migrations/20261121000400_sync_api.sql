-- The sync RPCs (DESIGN.md §3, §5): sync_pull hands out changes the caller may read,
-- sync_push applies a batch of client mutations exactly once each.

-- Builds the row a client stores for one change_log entry, read through the caller's RLS.
-- Null means the caller may not (or can no longer) read it: the client deletes its copy.
-- A session carries its places; a booking carries the joining link once, and only while,
-- its place is confirmed, and its place in the queue while waiting.
create function public.sync_entity_row(p_entity text, p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return case p_entity
    when 'agency' then (select to_jsonb(a) - 'created_at' from public.agencies a where a.id = p_id)
    when 'course' then (select to_jsonb(c) from public.courses c where c.id = p_id)
    when 'learning_outcome' then
      (select to_jsonb(lo) from public.learning_outcomes lo where lo.id = p_id)
    when 'session' then (
      select (to_jsonb(s) - 'join_url')
        || jsonb_build_object('places_taken', a.taken, 'waiting', a.waiting)
      from public.sessions s cross join public.session_availability(s.id) a where s.id = p_id
    )
    when 'profile' then (select to_jsonb(p) from public.profiles p where p.id = p_id)
    when 'staff_roles' then (
      select jsonb_build_object(
        'id', p_id,
        'roles', jsonb_agg(jsonb_build_object('role', r.role, 'agency_id', r.agency_id) order by r.role)
      )
      from public.staff_roles r where r.user_id = p_id
      having count(*) > 0
    )
    when 'booking' then (
      select to_jsonb(b) || jsonb_build_object(
        'join_url', case when b.status = 'confirmed' then s.join_url end,
        'waiting_position', case when b.status = 'waitlisted' then (
          select count(*) from public.bookings w
          where w.session_id = b.session_id and w.status = 'waitlisted'
            and (w.waitlisted_at, w.id) <= (b.waitlisted_at, b.id)) end)
      from public.bookings b left join public.sessions s on s.id = b.session_id where b.id = p_id
    )
    when 'session_assignment' then (
      select jsonb_build_object('id', t.id, 'session_id', t.session_id, 'trainer_id', t.trainer_id,
        'join_url', s.join_url)
      from public.session_trainers t join public.sessions s on s.id = t.session_id where t.id = p_id
    )
  end;
end
$$;

-- p_cursor: '' or null for a first pull, else the cursor a previous pull returned.
create function public.sync_pull(p_cursor text default null, p_limit int default 500)
  returns jsonb language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_txid xid8 := '0'::xid8;
  v_seq bigint := 0;
  v_horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
  v_changes jsonb;
  v_cursor text;
  v_count int;
begin
  if p_limit is null or p_limit < 1 or p_limit > 5000 then
    raise exception 'p_limit must be between 1 and 5000' using errcode = '22023';
  end if;
  if coalesce(p_cursor, '') <> '' then
    if p_cursor !~ '^[0-9]{1,19}:[0-9]{1,19}$' then
      raise exception 'Invalid sync cursor "%"', left(p_cursor, 50)
        using errcode = '22023', hint = 'Pass the cursor from the previous pull, or none to start again.';
    end if;
    v_txid := split_part(p_cursor, ':', 1)::xid8;
    v_seq := split_part(p_cursor, ':', 2)::bigint;
  end if;

  with page as (
    select cl.entity, cl.entity_id, cl.txid, cl.seq,
           row_number() over (order by cl.txid, cl.seq) as n
    from (
      select * from public.change_log c
      where (c.txid, c.seq) > (v_txid, v_seq) and c.txid < v_horizon
      order by c.txid, c.seq
      limit p_limit + 1
    ) cl
  )
  select
    coalesce(jsonb_agg(jsonb_build_object(
        'entity', p.entity, 'id', p.entity_id, 'row', public.sync_entity_row(p.entity, p.entity_id)
      ) order by p.n) filter (where p.n <= p_limit), '[]'::jsonb),
    count(*),
    (array_agg(p.txid::text || ':' || p.seq::text order by p.n desc) filter (where p.n <= p_limit))[1]
  into v_changes, v_count, v_cursor
  from page p;

  return jsonb_build_object(
    'changes', v_changes,
    'cursor', coalesce(v_cursor, nullif(p_cursor, ''), '0:0'),
    'more', v_count > p_limit
  );
end
$$;

-- Last writer wins: the client sends the whole profile each time.
create function public.update_profile(p_full_name text, p_agency_id uuid, p_job_role text)
  returns jsonb language plpgsql security invoker set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_profile public.profiles;
begin
  if v_uid is null then
    raise exception 'Sign in to update your profile' using errcode = '42501';
  end if;
  p_full_name := nullif(btrim(p_full_name), '');
  p_job_role := nullif(btrim(p_job_role), '');
  if p_full_name is null then
    raise exception 'Enter your full name' using errcode = '22023', detail = 'full_name';
  end if;
  if char_length(p_full_name) > 200 then
    raise exception 'Full name must be 200 characters or fewer' using errcode = '22001', detail = 'full_name';
  end if;
  if p_agency_id is null then
    raise exception 'Choose your agency' using errcode = '22023', detail = 'agency_id';
  end if;
  if not exists (select 1 from public.agencies a where a.id = p_agency_id) then
    raise exception 'Agency % does not exist', p_agency_id using errcode = '22023', detail = 'agency_id';
  end if;
  if p_job_role is null then
    raise exception 'Enter your job role' using errcode = '22023', detail = 'job_role';
  end if;
  if char_length(p_job_role) > 200 then
    raise exception 'Job role must be 200 characters or fewer' using errcode = '22001', detail = 'job_role';
  end if;

  update public.profiles
    set full_name = p_full_name, agency_id = p_agency_id, job_role = p_job_role
    where id = v_uid
    returning * into v_profile;
  if not found then
    raise exception 'No profile for this account' using errcode = 'P0002';
  end if;
  return to_jsonb(v_profile);
end
$$;

-- One client mutation. Returns {status: 'applied', data} or {status: 'rejected', reason}
-- for a business rule the user must hear about; raises for anything invalid.
create function public.apply_mutation(p_name text, p_args jsonb)
  returns jsonb language plpgsql security invoker set search_path = ''
as $$
begin
  case p_name
    when 'profile.update' then
      return jsonb_build_object('status', 'applied', 'data', public.update_profile(
        p_args ->> 'full_name', (p_args ->> 'agency_id')::uuid, p_args ->> 'job_role'));
    when 'booking.request' then
      return public.book_session((p_args ->> 'booking_id')::uuid, (p_args ->> 'session_id')::uuid);
    when 'booking.cancel' then
      return public.cancel_booking((p_args ->> 'booking_id')::uuid);
    when 'booking.respond_to_offer' then
      return public.respond_to_offer((p_args ->> 'booking_id')::uuid, (p_args ->> 'accept')::boolean);
    else
      raise exception 'Unknown mutation "%"', left(p_name, 60)
        using errcode = '22023', hint = 'The app may be newer or older than the server.';
  end case;
end
$$;

-- Applies mutations in order. Each is idempotent by its id: the ledger row is written in
-- the same transaction as the effect, so a retry after a lost response returns the stored
-- result instead of applying it again. Transient failures (serialization, deadlock,
-- resources) abort the whole batch so the client retries it; anything else the server
-- refuses is recorded as 'invalid' with the reason, for the user to see.
create function public.sync_push(p_device_id uuid, p_mutations jsonb)
  returns jsonb language plpgsql security invoker set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_item record;
  v_result jsonb;
  v_results jsonb := '[]'::jsonb;
  v_id uuid;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
begin
  if v_uid is null then
    raise exception 'Sign in to send changes' using errcode = '42501';
  end if;
  if p_device_id is null then
    raise exception 'p_device_id is required' using errcode = '22023';
  end if;
  if jsonb_typeof(p_mutations) is distinct from 'array' then
    raise exception 'p_mutations must be a JSON array' using errcode = '22023';
  end if;
  if jsonb_array_length(p_mutations) > 500 then
    raise exception 'At most 500 mutations per push' using errcode = '22023';
  end if;

  -- Refuse a malformed batch as a whole before anything is applied.
  for v_item in select m.value, m.ordinality from jsonb_array_elements(p_mutations) with ordinality m loop
    if jsonb_typeof(v_item.value) is distinct from 'object'
       or coalesce(v_item.value ->> 'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       or jsonb_typeof(v_item.value -> 'seq') is distinct from 'number'
       or coalesce(v_item.value ->> 'name', '') !~ '^[a-z_]+\.[a-z_]+$'
       or jsonb_typeof(v_item.value -> 'args') is distinct from 'object' then
      raise exception 'Mutation % is malformed', v_item.ordinality
        using errcode = '22023',
              hint = 'Each mutation needs id (uuid), seq (number), name (feature.action) and args (object).';
    end if;
  end loop;

  for v_item in select m.value from jsonb_array_elements(p_mutations) with ordinality m order by m.ordinality loop
    v_id := (v_item.value ->> 'id')::uuid;
    select sm.result into v_result from public.sync_mutations sm where sm.id = v_id;
    if not found then
      begin
        v_result := public.apply_mutation(v_item.value ->> 'name', v_item.value -> 'args');
        insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
        values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result);
      exception
        when serialization_failure or deadlock_detected or lock_not_available
          or insufficient_resources or query_canceled then
          raise;
        when unique_violation then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
            v_detail = pg_exception_detail, v_hint = pg_exception_hint;
          v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
            'code', v_state, 'message', v_message,
            'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
          -- the id itself may be taken (by another account): then nothing can be recorded
          begin
            insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
            values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result);
          exception when unique_violation or insufficient_privilege then
            v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
              'code', '23505', 'message', 'This mutation id has already been used',
              'details', null, 'hint', 'Generate a new id for each mutation.'));
          end;
        when others then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
            v_detail = pg_exception_detail, v_hint = pg_exception_hint;
          v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
            'code', v_state, 'message', v_message,
            'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
          insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
          values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result);
      end;
    end if;
    v_results := v_results || jsonb_build_array(jsonb_build_object('id', v_id) || v_result);
  end loop;

  return jsonb_build_object('results', v_results);
end
$$;

grant execute on function public.sync_pull(text, int) to anon, authenticated;
grant execute on function public.sync_push(uuid, jsonb) to authenticated;
grant execute on function public.update_profile(text, uuid, text) to authenticated;
grant execute on function public.sync_entity_row(text, uuid) to anon, authenticated;
grant execute on function public.apply_mutation(text, jsonb) to authenticated;
