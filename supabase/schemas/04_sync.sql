-- The sync protocol: devices pull the rows they may hold and push the mutations they queued.
--
-- Change tracking for sync_pull. Every change to a row a client may hold
-- moves that row's entries in change_log to the changing transaction's id. A pull hands
-- out entries in (txid, seq) order and only those older than the oldest transaction still
-- running, so a transaction that commits late can never be skipped by a cursor.
--
-- Each entry names an audience: who should hear about the change.
--   public          everyone (the brochure)
--   admin           the partnership's admins
--   user:<id>       one person (their profile, bookings, assignments)
--   session:<id>    the trainers of a session (its bookings, its register)
-- One entry per entity and audience keeps the log as small as the data. The row itself is
-- read through the caller's Row Level Security: a deleted row, or one the caller may no
-- longer read, arrives as a tombstone.

create sequence public.change_log_seq;

create table public.change_log (
  entity text not null check (entity ~ '^[a-z_]+$'),
  entity_id uuid not null,
  audience text not null check (
    audience in ('public', 'admin') or audience ~ '^(user|session):[0-9a-f-]{36}$'
  ),
  txid xid8 not null default pg_current_xact_id(),
  seq bigint not null default nextval('public.change_log_seq'),
  primary key (entity, entity_id, audience)
);
create index change_log_cursor_idx on public.change_log (txid, seq);
create index change_log_audience_idx on public.change_log (audience, txid, seq);

create function public.track_change(p_entity text, p_entity_id uuid, p_audiences text[])
  returns void language sql security definer set search_path = ''
as $$
  insert into public.change_log (entity, entity_id, audience)
  select p_entity, p_entity_id, a from unnest(p_audiences) as a where a is not null
  on conflict (entity, entity_id, audience) do update
    set txid = pg_current_xact_id(), seq = nextval('public.change_log_seq');
$$;

-- Trigger arguments: entity name, id column, then audiences. An audience is 'public',
-- 'admin', or 'user:<column>' / 'session:<column>' naming the column that holds the id.
create function public.track_row_change() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_audiences text[] := '{}';
  v_i int;
  v_row jsonb;
begin
  -- an update that moves a row to another owner or session tells both, old and new
  foreach v_row in array array_remove(array[
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end
  ], null) loop
    for v_i in 2 .. tg_nargs - 1 loop
      v_audiences := v_audiences || case
        when tg_argv[v_i] in ('public', 'admin') then tg_argv[v_i]
        else split_part(tg_argv[v_i], ':', 1) || ':' || (v_row ->> split_part(tg_argv[v_i], ':', 2))
      end;
    end loop;
    perform public.track_change(tg_argv[0], (v_row ->> tg_argv[1])::uuid, v_audiences);
    v_audiences := '{}';
  end loop;
  return null;
end
$$;
alter table public.change_log enable row level security;
grant select on public.change_log to anon, authenticated;
-- Who may read which entries is decided where the audiences are: change_log_read, in
-- 06_brochure.sql (it needs the trainers' sessions).

-- Supabase Realtime tells an open app that an entry it may read has changed, and the app
-- pulls (src/lib/sync/realtime.ts): change_log joins the supabase_realtime publication, and
-- Realtime checks each change against the subscriber's Row Level Security. Where there is
-- no such publication (plain PostgreSQL, the local stand-in) the app polls instead.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime')
     and not exists (select 1 from pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'change_log') then
    alter publication supabase_realtime add table public.change_log;
  end if;
end
$$;

-- The idempotency ledger: one row per client mutation id, written in the same transaction
-- as the mutation's effect, so a retried mutation returns its stored result.
create table public.sync_mutations (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  device_id uuid not null,
  seq bigint not null check (seq >= 0),
  name text not null check (name ~ '^[a-z_]+\.[a-z_]+$'),
  -- clock time, not transaction time: the order mutations of one batch were applied in
  received_at timestamptz not null default clock_timestamp(),
  result jsonb not null,
  -- the args as sent: a resubmission of the id with other content is a conflict, not a
  -- replay (null for entries recorded before args were kept, and for malformed ones)
  args jsonb
);
create index sync_mutations_device_idx on public.sync_mutations (user_id, device_id, seq);
create index sync_mutations_received_idx on public.sync_mutations (received_at);
alter table public.sync_mutations enable row level security;

-- The ledger keeps an entry for 90 days (prune_sync_ledger). What it forgets is remembered
-- per device as the highest seq pruned: a device's seq only grows, so a mutation at or
-- below it that the ledger no longer holds was sent before and is answered 'expired', not
-- applied a second time.
create table public.sync_ledger_pruned (
  user_id uuid not null references auth.users (id) on delete cascade,
  device_id uuid not null,
  pruned_through_seq bigint not null check (pruned_through_seq >= 0),
  pruned_at timestamptz not null,
  primary key (user_id, device_id)
);
alter table public.sync_ledger_pruned enable row level security;

-- The registries. Each feature registers, in its own file, the mutations its devices send
-- (a name and the function that applies one, given its args) and the entities its rows
-- travel as (a name and the function that builds one row for an id). A row function runs
-- with the caller's rights, so Row Level Security decides what a caller may hold: null
-- means they may not (or no longer) read it, and their device deletes its copy.
create table public.sync_mutation_handlers (
  name text primary key check (name ~ '^[a-z_]+\.[a-z_]+$'),
  handler regprocedure not null,
  -- applies a whole batch of this mutation at once (a jsonb array of args in, a jsonb array
  -- of results out, every one applied) or raises; sync_push then applies them one by one
  batch_handler regprocedure
);
alter table public.sync_mutation_handlers enable row level security;

create table public.sync_entities (
  entity text primary key check (entity ~ '^[a-z_]+$'),
  row_function regprocedure not null
);
alter table public.sync_entities enable row level security;

-- sync_pull reads it with the caller's rights: which entities exist, nothing about anyone
grant select on public.sync_entities to anon, authenticated;
create policy sync_entities_read on public.sync_entities for select to anon, authenticated
  using (true);

-- The row a device stores for one change_log entry, built by the entity's row function.
create function public.sync_entity_row(p_entity text, p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_row_function regprocedure;
  v_row jsonb;
begin
  select e.row_function into v_row_function from public.sync_entities e where e.entity = p_entity;
  if v_row_function is null then
    return null;
  end if;
  execute format('select %s($1)', v_row_function::regproc) into v_row using p_id;
  return v_row;
end
$$;
grant execute on function public.sync_entity_row(text, uuid) to anon, authenticated;

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
grant execute on function public.sync_pull(text, int) to anon, authenticated;

-- One client mutation, by its registered handler. The handler returns {status: 'applied',
-- data} or {status: 'rejected', reason} for a business rule the user must hear about, and
-- raises for anything invalid.
create function public.apply_mutation(p_name text, p_args jsonb)
  returns jsonb language plpgsql security invoker set search_path = ''
as $$
declare
  v_handler regprocedure;
  v_result jsonb;
begin
  select h.handler into v_handler from public.sync_mutation_handlers h where h.name = p_name;
  if v_handler is null then
    raise exception 'Unknown mutation "%"', left(p_name, 60)
      using errcode = '22023', hint = 'The app may be newer or older than the server.';
  end if;
  execute format('select %s($1)', v_handler::regproc) into v_result using p_args;
  return v_result;
end
$$;

-- The answer already owed for a mutation id, or null if it has none: the stored result
-- for the same mutation sent again; 'conflict' for the id sent with other content (the
-- stored version comes with it, for the device to show both); 'expired' for a mutation
-- the pruned ledger no longer holds.
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

-- Forgets ledger entries older than 90 days (the 'prune-sync-ledger' job), remembering
-- each device's highest pruned seq. Says how many it removed.
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

-- A batch applied in one go, when it can be: every mutation well formed, of one name that
-- has a batch handler, none of them sent before (nothing owed from the ledger, nothing its
-- prune has forgotten), and the handler applies every one. The ledger rows are then written
-- in one statement. Null, with nothing changed, for any other batch: sync_push applies it
-- one mutation at a time, and each refused one gets its own answer. Serialization failures
-- and the like are raised, as sync_push raises them, for the client to retry.
create function public.sync_push_batch(p_uid uuid, p_device_id uuid, p_mutations jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_name text;
  v_handler regprocedure;
  v_results jsonb;
begin
  if jsonb_array_length(p_mutations) < 2 then return null; end if;
  select min(m ->> 'name') into v_name from jsonb_array_elements(p_mutations) m
  having count(distinct m ->> 'name') = 1
    and count(distinct m ->> 'id') = count(*)
    and bool_and(jsonb_typeof(m) = 'object'
      and coalesce(m ->> 'id', '') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      and jsonb_typeof(m -> 'seq') = 'number' and (m ->> 'seq') ~ '^[0-9]{1,18}$'
      and jsonb_typeof(m -> 'args') = 'object' and octet_length((m -> 'args')::text) <= 65536);
  if v_name is null then return null; end if;
  select h.batch_handler into v_handler from public.sync_mutation_handlers h where h.name = v_name;
  if v_handler is null then return null; end if;
  if exists (select 1 from jsonb_array_elements(p_mutations) m
             join public.sync_mutations sm on sm.id = (m ->> 'id')::uuid)
     or exists (select 1 from public.sync_ledger_pruned lp cross join jsonb_array_elements(p_mutations) m
                where lp.user_id = p_uid and lp.device_id = p_device_id
                  and (m ->> 'seq')::bigint <= lp.pruned_through_seq) then
    return null;
  end if;
  begin
    execute format('select %s($1)', v_handler::regproc) into v_results
      using (select jsonb_agg(m -> 'args' order by o) from jsonb_array_elements(p_mutations) with ordinality x(m, o));
    if jsonb_typeof(v_results) is distinct from 'array' or jsonb_array_length(v_results) <> jsonb_array_length(p_mutations)
       or exists (select 1 from jsonb_array_elements(v_results) r where r ->> 'status' <> 'applied') then
      raise exception 'The batch handler did not apply every mutation' using errcode = 'P0001';
    end if;
    insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
    select (m ->> 'id')::uuid, p_uid, p_device_id, (m ->> 'seq')::bigint, v_name, v_results -> (o::int - 1), m -> 'args'
    from jsonb_array_elements(p_mutations) with ordinality x(m, o) order by o;
    return (select jsonb_agg(jsonb_build_object('id', (m ->> 'id')::uuid) || (v_results -> (o::int - 1)) order by o)
            from jsonb_array_elements(p_mutations) with ordinality x(m, o));
  exception
    when serialization_failure or deadlock_detected or lock_not_available
      or insufficient_resources or query_canceled then
      raise;
    when others then
      return null; -- undone; one by one instead
  end;
end
$$;

-- Applies a batch of mutations in order, each exactly once: its ledger row is written in
-- the same transaction as its effect, so a retry after a lost response returns the stored
-- result instead of applying it again (sync_owed_answer: the id sent with other content is
-- a 'conflict', one the pruned ledger has forgotten is 'expired'). Transient failures (serialization, deadlock,
-- resources) abort the whole batch so the client retries it; anything else the server
-- refuses is recorded as 'invalid' with the reason, for the user to see. A malformed
-- mutation (no usable id, seq, name or args) gets an 'invalid' result saying what is wrong
-- and the rest of the batch goes on. Size limits: a push of more than 1 MB is refused as
-- a whole; one mutation's args may be at most 64 KB. A batch of one kind of mutation whose
-- handler can take them all at once is applied in one go first (sync_push_batch).
--
-- It runs as its owner so that the ledger is written only here (no API role may write
-- sync_mutations); the caller is auth.uid(), and a replay is looked up among the caller's
-- own mutations only.
create function public.sync_push(p_device_id uuid, p_mutations jsonb)
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

  v_results := public.sync_push_batch(v_uid, p_device_id, p_mutations);
  if v_results is not null then
    return jsonb_build_object('results', v_results, 'txid', pg_current_xact_id()::text);
  end if;
  v_results := '[]'::jsonb;

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
grant execute on function public.sync_push(uuid, jsonb) to authenticated;
