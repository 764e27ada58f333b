-- One mutation pushed twice at once (supabase/schemas/04_sync.sql): the attempt that waited
-- for the other to commit, and was undone by the clash, answers with the result the other
-- recorded, instead of "this mutation id has already been used".

create or replace function public.sync_push(p_device_id uuid, p_mutations jsonb)
  returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_item record;
  v_result jsonb;
  v_results jsonb := '[]'::jsonb;
  v_id uuid;
  v_problem text;
  v_size int;
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
  v_size := octet_length(p_mutations::text);
  if v_size > 1048576 then
    raise exception 'This push is too large (% KB; at most 1,024 KB)', v_size / 1024
      using errcode = '54000', hint = 'Send fewer changes at a time.';
  end if;

  for v_item in select m.value, m.ordinality from jsonb_array_elements(p_mutations) with ordinality m
                order by m.ordinality loop
    v_id := case when jsonb_typeof(v_item.value) = 'object'
                   and coalesce(v_item.value ->> 'id', '') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                 then (v_item.value ->> 'id')::uuid end;
    v_problem := case
      when jsonb_typeof(v_item.value) is distinct from 'object' then 'is not a JSON object'
      when v_id is null then 'needs an id (a UUID)'
      when jsonb_typeof(v_item.value -> 'seq') is distinct from 'number'
           or (v_item.value ->> 'seq') !~ '^[0-9]{1,18}$' then 'needs seq, a whole number from 0'
      when coalesce(v_item.value ->> 'name', '') !~ '^[a-z_]{1,40}\.[a-z_]{1,40}$'
        then 'needs a name of the form feature.action'
      when jsonb_typeof(v_item.value -> 'args') is distinct from 'object' then 'needs args, a JSON object'
      when octet_length((v_item.value -> 'args')::text) > 65536
        then format('is too large (%s KB of args; at most 64 KB)', octet_length((v_item.value -> 'args')::text) / 1024)
    end;
    if v_problem is not null then
      -- a retry of an id already answered gets that answer, as any replay does
      select sm.result into v_result from public.sync_mutations sm where sm.id = v_id and sm.user_id = v_uid;
      if not found then
        v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
          'code', '22023', 'message', format('Mutation %s %s', v_item.ordinality, v_problem),
          'details', null,
          'hint', 'Each mutation needs id (uuid), seq (number), name (feature.action) and args (object).'));
        if v_id is not null then
          begin
            insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
            values (v_id, v_uid, p_device_id, 0,
              case when coalesce(v_item.value ->> 'name', '') ~ '^[a-z_]{1,40}\.[a-z_]{1,40}$'
                   then v_item.value ->> 'name' else 'malformed.mutation' end, v_result);
          exception when unique_violation then
            null; -- the id is another account's: answered, not recorded
          end;
        end if;
      end if;
      v_results := v_results || jsonb_build_array(
        jsonb_build_object('id', v_id, 'index', v_item.ordinality) || v_result);
      continue;
    end if;

    select sm.result into v_result from public.sync_mutations sm where sm.id = v_id and sm.user_id = v_uid;
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
          -- the same mutation pushed twice at once (two tabs, a retry racing its original):
          -- this attempt waited for the other to commit and was undone; it gets the answer
          -- the other recorded, as any replay does
          select sm.result into v_result from public.sync_mutations sm where sm.id = v_id and sm.user_id = v_uid;
          if not found then
            v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
              'code', v_state, 'message', v_message,
              'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
            -- the id itself may be taken (by another account): then nothing can be recorded
            begin
              insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
              values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result);
            exception when unique_violation then
              v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
                'code', '23505', 'message', 'This mutation id has already been used',
                'details', null, 'hint', 'Generate a new id for each mutation.'));
            end;
          end if;
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

