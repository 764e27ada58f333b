-- The ledger answers rightly (supabase/schemas/04_sync.sql): it keeps the args of each
-- mutation, so the same id sent with other content is answered 'conflict' with the stored
-- version; entries are pruned after 90 days (the 'prune-sync-ledger' job), each device's
-- highest pruned seq is remembered, and a mutation the ledger has forgotten is answered
-- 'expired' instead of being applied again. A push answers with its transaction id and a
-- pull with its horizon, so a device knows when a pull holds what it pushed.

alter table public.sync_mutations add column args jsonb;
create index sync_mutations_received_idx on public.sync_mutations (received_at);

create table public.sync_ledger_pruned (
  user_id uuid not null references auth.users (id) on delete cascade,
  device_id uuid not null,
  pruned_through_seq bigint not null check (pruned_through_seq >= 0),
  pruned_at timestamptz not null,
  primary key (user_id, device_id)
);
alter table public.sync_ledger_pruned enable row level security;

create function public.sync_owed_answer(
  p_uid uuid, p_device_id uuid, p_id uuid, p_seq bigint, p_name text, p_args jsonb
) returns jsonb language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_entry public.sync_mutations;
begin
  select * into v_entry from public.sync_mutations sm where sm.id = p_id and sm.user_id = p_uid;
  if found then
    if v_entry.args is null or (v_entry.name = p_name and v_entry.args = p_args) then
      return v_entry.result;
    end if;
    return jsonb_build_object('status', 'conflict',
      'reason', 'This change was sent before with different content; the first version stands.',
      'stored', jsonb_build_object('name', v_entry.name, 'args', v_entry.args,
        'received_at', v_entry.received_at, 'result', v_entry.result));
  end if;
  if exists (select 1 from public.sync_ledger_pruned lp
             where lp.user_id = p_uid and lp.device_id = p_device_id and p_seq <= lp.pruned_through_seq) then
    return jsonb_build_object('status', 'expired',
      'reason', 'This change was sent more than 90 days ago. The server no longer keeps its answer, so it has not been applied again.');
  end if;
  return null;
end
$$;


create function public.prune_sync_ledger(p_now timestamptz default now()) returns int
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_count int;
begin
  with gone as (
    delete from public.sync_mutations sm where sm.received_at < p_now - interval '90 days'
    returning sm.user_id, sm.device_id, sm.seq
  ), per_device as (
    select g.user_id, g.device_id, max(g.seq) as seq, count(*) as n from gone g group by 1, 2
  ), remembered as (
    insert into public.sync_ledger_pruned as lp (user_id, device_id, pruned_through_seq, pruned_at)
    select d.user_id, d.device_id, d.seq, p_now from per_device d
    on conflict (user_id, device_id) do update
      set pruned_through_seq = greatest(lp.pruned_through_seq, excluded.pruned_through_seq),
          pruned_at = excluded.pruned_at
  )
  select coalesce(sum(d.n), 0)::int into v_count from per_device d;
  return v_count;
end
$$;


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

    v_result := public.sync_owed_answer(v_uid, p_device_id, v_id,
        (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_item.value -> 'args');
    if v_result is null then
      begin
        v_result := public.apply_mutation(v_item.value ->> 'name', v_item.value -> 'args');
        insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
        values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
          v_item.value -> 'args');
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
          v_result := public.sync_owed_answer(v_uid, p_device_id, v_id,
            (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_item.value -> 'args');
          if v_result is null then
            v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
              'code', v_state, 'message', v_message,
              'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
            -- the id itself may be taken (by another account): then nothing can be recorded
            begin
              insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
              values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
                v_item.value -> 'args');
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
          insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
          values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
            v_item.value -> 'args');
      end;
    end if;
    v_results := v_results || jsonb_build_array(jsonb_build_object('id', v_id) || v_result);
  end loop;

  -- the push's transaction: a device counts these changes as pulled once a pull's horizon
  -- has passed it
  return jsonb_build_object('results', v_results, 'txid', pg_current_xact_id()::text);
end
$$;

create or replace function public.sync_pull(p_cursor text default null, p_limit int default 500)
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

  -- horizon: every transaction before it has ended, so once a pull has no more pages the
  -- device holds the effects of all of them (a push's txid below it has been pulled)
  return jsonb_build_object(
    'changes', v_changes,
    'cursor', coalesce(v_cursor, nullif(p_cursor, ''), '0:0'),
    'more', v_count > p_limit,
    'horizon', v_horizon::text
  );
end
$$;


insert into public.scheduled_jobs (name, schedule, command, about) values
  ('prune-sync-ledger', '25 3 * * *', 'select public.prune_sync_ledger()',
    'Devices'' change answers older than 90 days are forgotten (a device''s highest pruned change is kept)');
select public.schedule_jobs();
