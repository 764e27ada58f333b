-- Baseline: the whole SQL API as first deployed, the concatenation of supabase/schemas/ in
-- file order. Read the schema files, not this: each object is defined once there, one file
-- per part of the domain. Every later change is a new migration here and the same edit
-- there; the catalog test (tests/db/schema-migrations.spec.ts) proves they build the same
-- database.

-- ======================================================================================
-- supabase/schemas/01_api_roles.sql
-- ======================================================================================

-- What the API roles may touch. Hosted PostgREST serves every table, view, column and
-- function that `anon` or `authenticated` holds a privilege on, and Supabase's default
-- privileges grant all of them on everything created in `public`. This project grants
-- nothing by default: each file grants exactly what its RPCs need, and
-- supabase/api-allow-list.txt is the allow-list the tests hold the database to.

create extension if not exists pgcrypto with schema extensions;

alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- PUBLIC's default EXECUTE can only be revoked globally, not per schema
alter default privileges revoke execute on functions from public;

-- ======================================================================================
-- supabase/schemas/02_types.sql
-- ======================================================================================

-- The domain's vocabularies, shared by the tables of several files.

create type public.sector as enum (
  'local_authority', 'police', 'health', 'education', 'probation_and_justice',
  'fire_and_rescue', 'faith', 'voluntary', 'other'
);
create type public.staff_role as enum ('trainer', 'agency_lead', 'admin');
create type public.course_format as enum ('face_to_face', 'webinar', 'elearning', 'conference');
create type public.course_level as enum ('introductory', 'intermediate', 'advanced');
create type public.course_status as enum ('draft', 'published', 'archived');
create type public.waitlist_mode as enum ('auto', 'offer');
create type public.session_status as enum ('scheduled', 'cancelled');
create type public.booking_status as enum (
  'requested', 'confirmed', 'waitlisted', 'offered', 'cancelled', 'declined'
);
create type public.attendance_status as enum ('present', 'late', 'left_early', 'absent', 'excused');

-- 'closure': the no-show recorded for an unmarked booking when the register is closed
create type public.attendance_source as enum ('register', 'self_checkin', 'import', 'closure');
create type public.followup_applied as enum ('yes', 'partly', 'no');
create type public.notification_status as enum ('pending', 'sent', 'failed');

-- ======================================================================================
-- supabase/schemas/03_helpers.sql
-- ======================================================================================

-- Small rules several parts of the API share: timestamps, checked input, UK times.

-- Keeps updated_at current on tables that have it.
create function public.touch_updated_at() returns trigger language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- A text field: trimmed, required or not, within a length, with the field's own name in
-- the message.
create function public.checked_text(p_value text, p_label text, p_max int, p_required boolean default true)
  returns text language plpgsql immutable set search_path = ''
as $$
declare
  v text := nullif(btrim(p_value), '');
begin
  if v is null and p_required then
    raise exception 'Enter the %', lower(p_label) using errcode = '22023', detail = p_label;
  end if;
  if char_length(v) > p_max then
    raise exception '% must be % characters or fewer (it has %)', p_label, p_max, char_length(v)
      using errcode = '22001', detail = p_label;
  end if;
  return v;
end
$$;

-- A line of text as people will read it: no control characters, and none of the invisible
-- marks that reorder text (bidirectional embeddings, overrides and isolates), which can make
-- a name on a register or in an evidence pack read as something else.
create function public.checked_line(p_value text, p_label text, p_detail text) returns text
  language plpgsql immutable set search_path = ''
as $$
begin
  if p_value ~ '[\u0001-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]' then
    raise exception '% must not contain control or text-direction characters', p_label
      using errcode = '22023', detail = p_detail;
  end if;
  return p_value;
end
$$;

-- Whole number 1–5 from a JSON value, or a clear error naming the field.
create function public.checked_score(p_value jsonb, p_label text) returns int
  language plpgsql immutable set search_path = ''
as $$
begin
  if jsonb_typeof(p_value) is distinct from 'number' or p_value::text !~ '^[1-5]$' then
    raise exception '% must be a whole number from 1 to 5', p_label using errcode = '22023', detail = p_label;
  end if;
  return p_value::text::int;
end
$$;

-- "Wednesday 2 December 2026, 9:30am" in UK time, for emails.
create function public.uk_time(p_at timestamptz) returns text
  language sql immutable set search_path = ''
as $$
  select trim(to_char(p_at at time zone 'Europe/London', 'FMDay FMDD FMMonth YYYY, FMHH12:MI'))
    || lower(to_char(p_at at time zone 'Europe/London', 'am'))
$$;

-- ======================================================================================
-- supabase/schemas/04_sync.sql
-- ======================================================================================

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
  result jsonb not null
);
create index sync_mutations_device_idx on public.sync_mutations (user_id, device_id, seq);
alter table public.sync_mutations enable row level security;

-- The registries. Each feature registers, in its own file, the mutations its devices send
-- (a name and the function that applies one, given its args) and the entities its rows
-- travel as (a name and the function that builds one row for an id). A row function runs
-- with the caller's rights, so Row Level Security decides what a caller may hold: null
-- means they may not (or no longer) read it, and their device deletes its copy.
create table public.sync_mutation_handlers (
  name text primary key check (name ~ '^[a-z_]+\.[a-z_]+$'),
  handler regprocedure not null
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

  return jsonb_build_object(
    'changes', v_changes,
    'cursor', coalesce(v_cursor, nullif(p_cursor, ''), '0:0'),
    'more', v_count > p_limit
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

-- Applies a batch of mutations in order, each exactly once: its ledger row is written in
-- the same transaction as its effect, so a retry after a lost response returns the stored
-- result instead of applying it again. Transient failures (serialization, deadlock,
-- resources) abort the whole batch so the client retries it; anything else the server
-- refuses is recorded as 'invalid' with the reason, for the user to see. A malformed
-- mutation (no usable id, seq, name or args) gets an 'invalid' result saying what is wrong
-- and the rest of the batch goes on. Size limits: a push of more than 1 MB is refused as
-- a whole; one mutation's args may be at most 64 KB.
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
grant execute on function public.sync_push(uuid, jsonb) to authenticated;

-- ======================================================================================
-- supabase/schemas/05_people.sql
-- ======================================================================================

-- People: agencies, accounts' profiles and staff roles (trainer, agency lead, admin).

create table public.agencies (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (char_length(name) between 2 and 200),
  sector public.sector not null,
  created_at timestamptz not null default now()
);
alter table public.agencies enable row level security;
grant select on public.agencies to anon, authenticated;
create policy agencies_read on public.agencies for select to anon, authenticated using (true);
create trigger agencies_track after insert or update or delete on public.agencies
  for each row execute function public.track_row_change('agency', 'id', 'public');

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null unique check (char_length(email) between 3 and 320),
  full_name text check (char_length(full_name) between 1 and 200),
  agency_id uuid references public.agencies (id),
  job_role text check (char_length(job_role) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index profiles_agency_idx on public.profiles (agency_id);
alter table public.profiles enable row level security;
create trigger profiles_track after insert or update or delete on public.profiles
  for each row execute function public.track_row_change('profile', 'id', 'user:id', 'admin');
create trigger profiles_updated_at before update on public.profiles
  for each row execute function public.touch_updated_at();

create table public.staff_roles (
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.staff_role not null,
  agency_id uuid references public.agencies (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, role),
  -- an agency lead leads one agency; the other roles are partnership-wide
  check ((role = 'agency_lead') = (agency_id is not null))
);
alter table public.staff_roles enable row level security;

-- a user's roles travel as one entity keyed by the user
create trigger staff_roles_track after insert or update or delete on public.staff_roles
  for each row execute function public.track_row_change('staff_roles', 'user_id', 'user:user_id', 'admin');

create function public.has_staff_role(p_role public.staff_role) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.staff_roles r where r.user_id = auth.uid() and r.role = p_role
  )
$$;
grant execute on function public.has_staff_role(public.staff_role) to anon, authenticated;

-- For the admin API: the caller, if they are one of the partnership's admins.
create function public.require_admin() returns uuid
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null or not public.has_staff_role('admin') then
    raise exception 'Only the partnership''s admins can do this' using errcode = '42501';
  end if;
  return auth.uid();
end
$$;

-- A person's own records; admins read everyone's. Nobody writes them directly.
grant select on public.profiles, public.staff_roles to authenticated;
create policy profiles_read_own on public.profiles for select to authenticated
  using (id = auth.uid() or public.has_staff_role('admin'));
create policy staff_roles_read on public.staff_roles for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));

-- Every new account gets a profile to fill in (Supabase's usual handle_new_user pattern).
create function public.create_profile_for_new_user() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, email) values (new.id, lower(new.email))
  on conflict (id) do nothing;
  return null;
end
$$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.create_profile_for_new_user();

-- Last writer wins: the client sends the whole profile each time. It runs as its owner:
-- no API role may write profiles, so these checks are the only way in.
create function public.update_profile(p_full_name text, p_agency_id uuid, p_job_role text)
  returns jsonb language plpgsql security definer set search_path = ''
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
  perform public.checked_line(p_full_name, 'Full name', 'full_name');
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
  perform public.checked_line(p_job_role, 'Job role', 'job_role');
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
grant execute on function public.update_profile(text, uuid, text) to authenticated;

create function public.profile_update_mutation(p_args jsonb) returns jsonb
  language sql security definer set search_path = ''
as $$
  select jsonb_build_object('status', 'applied', 'data', public.update_profile(
    p_args ->> 'full_name', (p_args ->> 'agency_id')::uuid, p_args ->> 'job_role'))
$$;
insert into public.sync_mutation_handlers (name, handler) values
  ('profile.update', 'public.profile_update_mutation(jsonb)');

-- The rows people's devices hold.
create function public.agency_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(a) - 'created_at' from public.agencies a where a.id = p_id
$$;

create function public.profile_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(p) from public.profiles p where p.id = p_id
$$;

create function public.staff_roles_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_id,
    'roles', jsonb_agg(jsonb_build_object('role', r.role, 'agency_id', r.agency_id) order by r.role)
  )
  from public.staff_roles r where r.user_id = p_id
  having count(*) > 0
$$;
grant execute on function public.agency_sync_row(uuid) to anon, authenticated;
grant execute on function public.profile_sync_row(uuid), public.staff_roles_sync_row(uuid)
  to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('agency', 'public.agency_sync_row(uuid)'),
  ('profile', 'public.profile_sync_row(uuid)'),
  ('staff_roles', 'public.staff_roles_sync_row(uuid)');

-- ======================================================================================
-- supabase/schemas/06_brochure.sql
-- ======================================================================================

-- The brochure: courses with their learning outcomes, their sessions, and the trainers
-- who run each session. Published courses are public; drafts and archived courses are
-- the admins'. A session's joining link is the one thing about it that is not public: it
-- is read only through session_join_url, never from the table.

create table public.courses (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 120),
  title text not null check (char_length(title) between 3 and 200),
  summary text not null check (char_length(summary) between 10 and 600),
  description text not null default '' check (char_length(description) <= 10000),
  audience text not null check (char_length(audience) between 3 and 600),
  level public.course_level not null,
  format public.course_format not null,
  duration_minutes int not null check (duration_minutes between 15 and 2880),
  themes text[] not null default '{}' check (cardinality(themes) between 1 and 10),
  series text check (series ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  -- weeks after a session that the follow-up questionnaire is sent
  followup_weeks int not null default 12 check (followup_weeks between 1 and 52),
  elearning_url text check (elearning_url ~ '^https://'),
  status public.course_status not null default 'draft',
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'published' or published_at is not null),
  check (elearning_url is null or format = 'elearning'),
  check (format <> 'elearning' or status <> 'published' or elearning_url is not null)
);
create index courses_status_idx on public.courses (status);
alter table public.courses enable row level security;
grant select on public.courses to anon, authenticated;
create policy courses_read_published on public.courses for select to anon, authenticated
  using (status = 'published');
create policy courses_read_admin on public.courses for select to authenticated
  using (public.has_staff_role('admin'));
create trigger courses_track after insert or update or delete on public.courses
  for each row execute function public.track_row_change('course', 'id', 'public');
create trigger courses_updated_at before update on public.courses
  for each row execute function public.touch_updated_at();

create function public.course_is_published(p_course_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.courses c where c.id = p_course_id and c.status = 'published')
$$;
grant execute on function public.course_is_published(uuid) to anon, authenticated;

create table public.learning_outcomes (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references public.courses (id) on delete cascade,
  position int not null check (position > 0),
  text text not null check (char_length(text) between 5 and 500),
  retired_at timestamptz,
  created_at timestamptz not null default now()
);

-- positions are unique among the outcomes still in use
create unique index learning_outcomes_position_idx
  on public.learning_outcomes (course_id, position) where retired_at is null;
alter table public.learning_outcomes enable row level security;
grant select on public.learning_outcomes to anon, authenticated;
create policy outcomes_read_published on public.learning_outcomes for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy outcomes_read_admin on public.learning_outcomes for select to authenticated
  using (public.has_staff_role('admin'));
create trigger learning_outcomes_track after insert or update or delete on public.learning_outcomes
  for each row execute function public.track_row_change('learning_outcome', 'id', 'public');

create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  course_id uuid not null references public.courses (id) on delete restrict,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- null venue means online
  venue_name text check (char_length(venue_name) between 2 and 200),
  venue_address text check (char_length(venue_address) <= 500),
  join_url text check (join_url ~ '^https://'),
  capacity int not null check (capacity between 1 and 5000),
  waitlist_mode public.waitlist_mode not null default 'offer',
  offer_hours int not null default 48 check (offer_hours between 1 and 336),
  booking_closes_at timestamptz not null,
  status public.session_status not null default 'scheduled',
  cancelled_reason text check (char_length(cancelled_reason) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (ends_at - starts_at <= interval '3 days'),
  check (booking_closes_at <= starts_at),
  check (venue_name is not null or join_url is not null),
  check ((status = 'cancelled') = (cancelled_reason is not null))
);
create index sessions_course_idx on public.sessions (course_id, starts_at);
create index sessions_starts_idx on public.sessions (starts_at);
alter table public.sessions enable row level security;
create policy sessions_read_published on public.sessions for select to anon, authenticated
  using (public.course_is_published(course_id));
create policy sessions_read_admin on public.sessions for select to authenticated
  using (public.has_staff_role('admin'));
create trigger sessions_track after insert or update or delete on public.sessions
  for each row execute function public.track_row_change('session', 'id', 'public');
create trigger sessions_updated_at before update on public.sessions
  for each row execute function public.touch_updated_at();

-- Publishing or unpublishing a course changes who may read its outcomes and sessions too.
create function public.track_course_visibility() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform public.track_change('learning_outcome', lo.id, array['public'])
      from public.learning_outcomes lo where lo.course_id = new.id;
    perform public.track_change('session', s.id, array['public'])
      from public.sessions s where s.course_id = new.id;
  end if;
  return null;
end
$$;
create trigger courses_track_visibility after update on public.courses
  for each row execute function public.track_course_visibility();

create table public.session_trainers (
  -- its own id so an assignment can travel to a trainer's device as an entity
  id uuid not null unique default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  trainer_id uuid not null references public.profiles (id) on delete restrict,
  primary key (session_id, trainer_id)
);
create index session_trainers_trainer_idx on public.session_trainers (trainer_id);
alter table public.session_trainers enable row level security;
grant select on public.session_trainers to authenticated;
create policy session_trainers_read on public.session_trainers for select to authenticated
  using (trainer_id = auth.uid() or public.has_staff_role('admin'));
create trigger session_trainers_track after insert or update or delete on public.session_trainers
  for each row execute function public.track_row_change(
    'session_assignment', 'id', 'user:trainer_id', 'admin');

-- A trainer added to a session gains its bookings; one removed loses them. Either way
-- each booking is announced to that trainer, whose pull then reads it or a tombstone.
create function public.track_trainer_access() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_assignment public.session_trainers := coalesce(new, old);
begin
  perform public.track_change('booking', b.id, array['user:' || v_assignment.trainer_id])
    from public.bookings b where b.session_id = v_assignment.session_id;
  return null;
end
$$;
create trigger session_trainers_access after insert or delete on public.session_trainers
  for each row execute function public.track_trainer_access();

create function public.teaches_session(p_session_id uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.session_trainers t
    where t.session_id = p_session_id and t.trainer_id = auth.uid()
  )
$$;

-- The 'session:<id>' audiences of the sessions the caller teaches.
create function public.my_trainer_audiences() returns text[]
  language sql stable security definer set search_path = ''
as $$
  select coalesce(array_agg('session:' || t.session_id), '{}')
  from public.session_trainers t where t.trainer_id = auth.uid()
$$;
-- (run by the policies, as the caller)
grant execute on function public.teaches_session(uuid) to authenticated;
grant execute on function public.my_trainer_audiences() to anon, authenticated;

-- Who hears about a change; whether they may read the row is the row's own policy.
create policy change_log_read on public.change_log for select to anon, authenticated
  using (
    audience = 'public'
    or audience = 'user:' || (select auth.uid())
    or (audience = 'admin' and (select public.has_staff_role('admin')))
    or audience in (select unnest(public.my_trainer_audiences()))
  );

-- Everything about a session but its joining link is as public as its course.
grant select (id, course_id, starts_at, ends_at, venue_name, venue_address, capacity,
  waitlist_mode, offer_hours, booking_closes_at, status, cancelled_reason, created_at, updated_at)
  on public.sessions to anon, authenticated;

-- The joining link, for those who may join: people with a confirmed place, the session's
-- trainers and the partnership's admins. Null for everyone else.
create function public.session_join_url(p_session_id uuid) returns text
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return (
    select s.join_url from public.sessions s
    where s.id = p_session_id
      and (public.teaches_session(s.id) or public.has_staff_role('admin') or exists (
        select 1 from public.bookings b
        where b.session_id = s.id and b.user_id = auth.uid() and b.status = 'confirmed'))
  );
end
$$;
grant execute on function public.session_join_url(uuid) to authenticated;

-- The rows devices hold. A session's row, with its places, is built in 08_bookings.sql.
create function public.course_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(c) from public.courses c where c.id = p_id
$$;

create function public.learning_outcome_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(lo) from public.learning_outcomes lo where lo.id = p_id
$$;

-- A trainer's assignment carries the joining link of the session they run.
create function public.session_assignment_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object('id', t.id, 'session_id', t.session_id, 'trainer_id', t.trainer_id,
    'join_url', public.session_join_url(t.session_id))
  from public.session_trainers t where t.id = p_id
$$;
grant execute on function public.course_sync_row(uuid), public.learning_outcome_sync_row(uuid)
  to anon, authenticated;
grant execute on function public.session_assignment_sync_row(uuid) to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('course', 'public.course_sync_row(uuid)'),
  ('learning_outcome', 'public.learning_outcome_sync_row(uuid)'),
  ('session_assignment', 'public.session_assignment_sync_row(uuid)');

-- ======================================================================================
-- supabase/schemas/07_notifications.sql
-- ======================================================================================

-- Emails: an outbox that a sender (GOV.UK Notify in production, the mailbox locally)
-- drains. Written only by the functions that decide an email is due; no API role reads it
-- (each person's emails are in their "download my data").

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references public.profiles (id) on delete cascade,
  to_email text not null check (char_length(to_email) between 3 and 320),
  kind text not null check (kind ~ '^[a-z_]+$'),
  subject text not null check (char_length(subject) between 1 and 300),
  body text not null check (char_length(body) <= 20000),
  -- same key twice is the same email: scheduled jobs may run more than once
  dedupe_key text unique,
  status public.notification_status not null default 'pending',
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  error text,
  check ((status = 'sent') = (sent_at is not null))
);
create index notifications_pending_idx on public.notifications (created_at) where status = 'pending';
create index notifications_user_idx on public.notifications (user_id);
alter table public.notifications enable row level security;

create function public.notify(p_user_id uuid, p_kind text, p_subject text, p_body text, p_dedupe text)
  returns void language sql security definer set search_path = ''
as $$
  insert into public.notifications (user_id, to_email, kind, subject, body, dedupe_key)
  select p.id, p.email, p_kind, p_subject, p_body, p_dedupe from public.profiles p where p.id = p_user_id
  on conflict (dedupe_key) do nothing
$$;

-- What an email says about a session: course, time, place.
create function public.session_summary(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select c.title || E'\n' || public.uk_time(s.starts_at) || ' to '
    || lower(to_char(s.ends_at at time zone 'Europe/London', 'FMHH12:MIam')) || E'\n'
    || coalesce(s.venue_name || ', ' || coalesce(s.venue_address, ''), 'Online')
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
$$;

-- ======================================================================================
-- supabase/schemas/08_bookings.sql
-- ======================================================================================

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
  check ((status = 'offered') = (offer_expires_at is not null)),
  check ((status = 'cancelled') = (cancelled_at is not null)),
  check (status not in ('waitlisted', 'offered') or waitlisted_at is not null)
);

-- one live booking per person per session; cancelled and declined ones stay as history
create unique index bookings_one_live_idx on public.bookings (session_id, user_id)
  where status not in ('cancelled', 'declined');
create index bookings_user_idx on public.bookings (user_id);
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
        'A place has come up and it is yours.' || E'\n\n' || public.session_summary(p_session_id),
        'confirmed:' || v_next.id);
    else
      update public.bookings
        set status = 'offered',
            offer_expires_at = least(now() + make_interval(hours => v_session.offer_hours), v_session.starts_at)
        where id = v_next.id;
      perform public.notify(v_next.user_id, 'place_offered',
        'A place is offered to you: ' || (select title from public.courses where id = v_session.course_id),
        'A place has come up. Accept it in HSCP Training by '
          || public.uk_time(least(now() + make_interval(hours => v_session.offer_hours), v_session.starts_at))
          || ', or it passes to the next person.' || E'\n\n' || public.session_summary(p_session_id),
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
        || E'\n\n' || public.session_summary(v_expired.session_id),
      'expired:' || v_expired.id);
    perform public.promote_waiting_list(v_expired.session_id);
  end loop;
  return v_count;
end
$$;

-- Book a place: confirmed if one is free and nobody is waiting, otherwise waitlisted.
-- p_booking_id is the client's id for the booking, so its optimistic row is the same row.
create function public.book_session(p_booking_id uuid, p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_session public.sessions;
  v_course public.courses;
  v_booking public.bookings;
  v_existing public.bookings;
  v_has_place boolean;
begin
  if v_uid is null then raise exception 'Sign in to book' using errcode = '42501'; end if;
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
      'reason', 'You already have a ' || case v_existing.status when 'confirmed' then 'place'
        else 'request' end || ' for this session.');
  end if;
  perform public.expire_offers(p_session_id);
  -- a free place goes to a newcomer only if nobody is already waiting for one
  v_has_place := (select taken from public.session_places(p_session_id)) < v_session.capacity
    and not exists (select 1 from public.bookings w where w.session_id = p_session_id and w.status = 'waitlisted');

  -- created_at is the moment of arrival: after the lock, so it records the order served
  insert into public.bookings (id, session_id, user_id, created_at, status, waitlisted_at)
  values (p_booking_id, p_session_id, v_uid, clock_timestamp(),
    case when v_has_place then 'confirmed'::public.booking_status else 'waitlisted'::public.booking_status end,
    case when v_has_place then null else clock_timestamp() end)
  returning * into v_booking;

  if v_booking.status = 'confirmed' then
    perform public.notify(v_uid, 'booking_confirmed', 'Booking confirmed: ' || v_course.title,
      'Your place is confirmed.' || E'\n\n' || public.session_summary(p_session_id)
        || case when v_session.join_url is not null
             then E'\n\nJoin online: ' || v_session.join_url else '' end,
      'confirmed:' || v_booking.id);
  else
    perform public.notify(v_uid, 'waitlisted', 'On the waiting list: ' || v_course.title,
      'The session is full, so you are on the waiting list. We will email you if a place comes up.'
        || E'\n\n' || public.session_summary(p_session_id),
      'waitlisted:' || v_booking.id);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
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

-- Release a place (or leave the waiting list), up to the session's start.
create function public.cancel_booking(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings := public.lock_own_booking(p_booking_id);
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
    where id = p_booking_id returning * into v_booking;
  perform public.expire_offers(v_session.id);
  perform public.promote_waiting_list(v_session.id);
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
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
  if not p_accept then perform public.promote_waiting_list(v_booking.session_id); end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_booking));
end
$$;

-- Reminders the day before, with the joining link or venue. Run by the scheduler.
create function public.send_session_reminders() returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  with due as (
    select b.id, b.user_id, s.id as session_id, s.join_url, c.title
    from public.bookings b
    join public.sessions s on s.id = b.session_id
    join public.courses c on c.id = s.course_id
    where b.status = 'confirmed' and s.status = 'scheduled'
      and s.starts_at between now() and now() + interval '24 hours'
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'reminder', 'Tomorrow: ' || d.title,
      'A reminder of your training.' || E'\n\n' || public.session_summary(d.session_id)
        || case when d.join_url is not null then E'\n\nJoin online: ' || d.join_url else '' end,
      'reminder:' || d.id)
    from due d
  ) sent;
  return v_count;
end
$$;
grant execute on function public.book_session(uuid, uuid), public.cancel_booking(uuid),
  public.respond_to_offer(uuid, boolean) to authenticated;

-- The mutations devices send.
create function public.booking_request_mutation(p_args jsonb) returns jsonb
  language sql security definer set search_path = ''
as $$
  select public.book_session((p_args ->> 'booking_id')::uuid, (p_args ->> 'session_id')::uuid)
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
      offer_hours, booking_closes_at, status, cancelled_reason, created_at, updated_at
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
      'attendance', public.booking_attendance(b.id))
    from public.bookings b where b.id = p_id
  );
end
$$;
grant execute on function public.session_sync_row(uuid) to anon, authenticated;
grant execute on function public.booking_sync_row(uuid) to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('session', 'public.session_sync_row(uuid)'),
  ('booking', 'public.booking_sync_row(uuid)');

-- ======================================================================================
-- supabase/schemas/09_registers.sql
-- ======================================================================================

-- Registers: attendance marks as append-only events, walk-ins, self check-in with a code
-- that changes every 30 seconds, closing the register.
--
-- Current status of an attendee = the latest mark by marked_at among the marks nobody has
-- superseded ("heads"). A device that marks someone names the marks it saw as current
-- (supersedes); two devices that marked without seeing each other leave two heads, and if
-- they disagree the register shows a conflict until a trainer resolves it with a new mark.
-- Marks made by closing the register (no-shows) give way to any mark a person made.
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
  anonymised boolean not null default false
);
create index walk_in_attendees_session_idx on public.walk_in_attendees (session_id);
create index walk_in_attendees_email_idx on public.walk_in_attendees (lower(email)) where email is not null;
alter table public.walk_in_attendees enable row level security;

create table public.attendance_events (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid references public.bookings (id),
  walk_in_id uuid references public.walk_in_attendees (id),
  status public.attendance_status not null,
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
-- the only mark is the no-show recorded by closing the register; null when unmarked.
create function public.attendance_status_of(p_booking_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select h.status from public.attendance_heads(p_booking_id, null) h
     where h.source <> 'closure' order by h.marked_at desc, h.id desc limit 1),
    (select 'absent'::public.attendance_status from public.attendance_heads(p_booking_id, null) h limit 1))
$$;

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

-- A mark tells the booker's device: their booking row carries their attendance.
create function public.track_attendance_for_booker() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if new.booking_id is not null then
    perform public.track_change('booking', new.booking_id,
      array['user:' || (select b.user_id from public.bookings b where b.id = new.booking_id)]);
  end if;
  return null;
end
$$;
create trigger attendance_events_tell_booker after insert on public.attendance_events
  for each row execute function public.track_attendance_for_booker();

-- One mark from a register or an import. Same event id twice is one event.
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
begin
  if v_id is null then
    raise exception 'A mark needs an id' using errcode = '22023', detail = 'id';
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
  if found and v_marked_at > v_closure.closed_at then
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

  if v_closure.session_id is not null and v_booker is not null and v_status in ('present', 'late') then
    perform public.request_evaluation(v_session.id, v_booker);
  end if;
  return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_event));
end
$$;

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

-- A practitioner checks themselves in with the code on the trainer's screen. Queued
-- offline, it is checked against the time it was scanned: the code must be the one shown
-- then (30-second steps, one step of slack either way), during the session's check-in
-- window (30 minutes before the start to 30 minutes after the end), and never later than
-- the server's clock. A screenshot of an old code is refused because its step does not
-- match the time of scanning; another session's code and a made-up code fail the HMAC.
create function public.self_check_in(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session_id uuid := (p_args ->> 'session_id')::uuid;
  v_code text := btrim(coalesce(p_args ->> 'code', ''));
  v_step bigint;
  v_scanned_at timestamptz := least(coalesce((p_args ->> 'scanned_at')::timestamptz, now()), now());
  v_session public.sessions;
  v_secret bytea;
  v_valid boolean;
  v_booking public.bookings;
  v_profile public.profiles;
  v_walk_in_id uuid;
  v_existing public.attendance_events;
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

  select * into v_existing from public.attendance_events where id = v_id;
  if found then
    if v_existing.marked_by = v_uid and v_existing.source = 'self_checkin' then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_existing.status));
    end if;
    raise exception 'Mark % already exists', v_id using errcode = '23505';
  end if;

  select * into v_session from public.sessions where id = v_session_id;
  if not found or not public.course_is_published(v_session.course_id) then
    return jsonb_build_object('status', 'rejected', 'reason', 'This check-in code is not for a session in the brochure.');
  end if;
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason', 'This session was cancelled.');
  end if;
  if (select count(*) from public.sync_mutations m
      where m.user_id = v_uid and m.name = 'attendance.check_in' and m.result ->> 'status' = 'rejected'
        and m.received_at > now() - interval '1 hour') >= 10 then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Too many codes that did not match in the last hour. Ask the trainer to mark you on the register.');
  end if;
  if v_code !~ '^[0-9]{6}$' then
    return jsonb_build_object('status', 'rejected', 'reason', 'Enter the 6-digit code shown by the trainer.');
  end if;
  if v_scanned_at < v_session.starts_at - interval '30 minutes'
     or v_scanned_at > v_session.ends_at + interval '30 minutes' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Check-in is open from 30 minutes before the session starts until 30 minutes after it ends.');
  end if;

  select secret into v_secret from public.session_checkin_keys where session_id = v_session.id;
  select exists (
    select 1 from generate_series(
        coalesce(v_step, floor(extract(epoch from v_scanned_at) / 30)::bigint - 3),
        coalesce(v_step, floor(extract(epoch from v_scanned_at) / 30)::bigint + 1)) as s(step)
    where v_secret is not null
      and abs(s.step * 30 + 15 - extract(epoch from v_scanned_at)) <= 105
      and public.checkin_code(v_secret, v_session.id, s.step) = v_code
  ) into v_valid;
  if not v_valid then
    return jsonb_build_object('status', 'rejected', 'reason',
      'That code is not valid for this session now. Codes change every 30 seconds: scan the code on the trainer''s screen again.');
  end if;

  select closed_at into v_closed_at from public.register_closures where session_id = v_session.id;
  if v_closed_at is not null and v_scanned_at > v_closed_at then
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

  -- checking in twice is the first check-in
  select * into v_existing from public.attendance_events e
    where e.source = 'self_checkin' and e.marked_by = v_uid and e.session_id = v_session.id;
  if found then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_existing.status));
  end if;

  v_status := case when v_scanned_at > v_session.starts_at + interval '15 minutes' then 'late' else 'present' end;
  insert into public.attendance_events
    (id, session_id, booking_id, walk_in_id, status, marked_by, marked_at, source, supersedes)
  values (v_id, v_session.id, v_booking.id, v_walk_in_id, v_status, v_uid, v_scanned_at, 'self_checkin',
    array(select h.id from public.attendance_heads(v_booking.id, v_walk_in_id) h))
  returning * into v_event;
  if v_closed_at is not null then
    perform public.request_evaluation(v_session.id, v_uid);
  end if;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('status', v_event.status));
end
$$;

-- Closing: confirmed bookings nobody marked are recorded as no-shows (a 'closure' mark
-- that any mark a person makes outranks), and everyone present or late is asked for
-- their evaluation. Closing twice is closing once.
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
      and not exists (select 1 from public.attendance_events e where e.booking_id = b.id)
    returning 1
  )
  select count(*) into v_no_shows from no_show;

  select count(*) into v_asked from (
    select public.request_evaluation(v_session.id, b.user_id)
    from public.bookings b
    where b.session_id = v_session.id
      and (select h.status from public.attendance_heads(b.id, null) h
           where h.source <> 'closure' order by h.marked_at desc, h.id desc limit 1) in ('present', 'late')
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
grant execute on function public.get_register(uuid),
  public.admin_reopen_register(uuid), public.record_attendance(jsonb), public.add_walk_in(jsonb),
  public.self_check_in(jsonb), public.close_register(jsonb) to authenticated;
grant execute on function public.booking_attendance(uuid) to authenticated;

insert into public.sync_mutation_handlers (name, handler) values
  ('attendance.mark', 'public.record_attendance(jsonb)'),
  ('attendance.add_walk_in', 'public.add_walk_in(jsonb)'),
  ('attendance.check_in', 'public.self_check_in(jsonb)'),
  ('attendance.close_register', 'public.close_register(jsonb)');

-- ======================================================================================
-- supabase/schemas/10_evaluations.sql
-- ======================================================================================

-- Learning-gain evaluations, follow-ups and the results trainers see.
--
-- An evaluation is one immutable submission per person per session: for each learning
-- outcome of the course, confidence before the training and now (a retrospective
-- "then-test"), overall usefulness, how it will inform practice. Evaluations collected on
-- paper are entered by the session's trainers or admins, not tied to an account. A
-- follow-up is requested some weeks after the session (the course's followup_weeks) and
-- answered once. Trainers see aggregates, never individual answers with names.

create table public.evaluations (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete restrict,
  -- null for evaluations entered from paper, which are not tied to an account
  user_id uuid references public.profiles (id) on delete set null,
  entered_by uuid references public.profiles (id),
  from_paper boolean not null default false,
  overall int not null check (overall between 1 and 5),
  practice_change text not null check (char_length(practice_change) between 1 and 5000),
  comments text check (char_length(comments) <= 5000),
  submitted_at timestamptz not null default now(),
  -- unlinked from a deleted account (15_privacy.sql); kept for the figures
  anonymised boolean not null default false,
  check (not from_paper or entered_by is not null),
  constraint evaluations_person_check
    check (case when from_paper then user_id is null else (user_id is null) = anonymised end)
);
create unique index evaluations_one_per_person_idx on public.evaluations (session_id, user_id)
  where user_id is not null;
create index evaluations_session_idx on public.evaluations (session_id);

-- Finding one person's rows (their download, their deletion, the retention policy)
create index evaluations_user_idx on public.evaluations (user_id) where user_id is not null;
alter table public.evaluations enable row level security;

create table public.evaluation_ratings (
  evaluation_id uuid not null references public.evaluations (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete restrict,
  before int not null check (before between 1 and 5),
  after int not null check (after between 1 and 5),
  primary key (evaluation_id, outcome_id)
);
create index evaluation_ratings_outcome_idx on public.evaluation_ratings (outcome_id);
alter table public.evaluation_ratings enable row level security;

create table public.followups (
  id uuid primary key,
  session_id uuid not null references public.sessions (id) on delete restrict,
  user_id uuid references public.profiles (id) on delete cascade,
  requested_at timestamptz not null,
  reminded_at timestamptz,
  submitted_at timestamptz,
  applied public.followup_applied,
  example text check (char_length(example) <= 5000),
  barriers text check (char_length(barriers) <= 5000),
  -- unlinked from a deleted account (15_privacy.sql); kept for the figures
  anonymised boolean not null default false,
  unique (session_id, user_id),
  check ((submitted_at is null) = (applied is null)),
  constraint followups_person_check check ((user_id is null) = anonymised)
);
create index followups_user_idx on public.followups (user_id) where user_id is not null;
alter table public.followups enable row level security;

create table public.followup_ratings (
  followup_id uuid not null references public.followups (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete restrict,
  now_rating int not null check (now_rating between 1 and 5),
  -- the end-of-course rating it is compared with (set by followup_rating_end,
  -- 12_impact_facts.sql), so reports need not look it up among every rating
  end_rating int check (end_rating between 1 and 5),
  primary key (followup_id, outcome_id)
);
alter table public.followup_ratings enable row level security;

-- Evaluations are personal: trainers see aggregates through report functions, not rows.
grant select on public.evaluations, public.evaluation_ratings, public.followups,
  public.followup_ratings to authenticated;
create policy evaluations_read on public.evaluations for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));
create policy evaluation_ratings_read on public.evaluation_ratings for select to authenticated
  using (exists (
    select 1 from public.evaluations e where e.id = evaluation_id
      and (e.user_id = auth.uid() or public.has_staff_role('admin'))
  ));
create policy followups_read on public.followups for select to authenticated
  using (user_id = auth.uid() or public.has_staff_role('admin'));
create policy followup_ratings_read on public.followup_ratings for select to authenticated
  using (exists (
    select 1 from public.followups f where f.id = followup_id
      and (f.user_id = auth.uid() or public.has_staff_role('admin'))
  ));

-- Who has been asked for an evaluation (send_evaluation_reminders reminds them once).
create table public.evaluation_requests (
  session_id uuid not null references public.sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  requested_at timestamptz not null default now(),
  reminded_at timestamptz,
  primary key (session_id, user_id)
);
alter table public.evaluation_requests enable row level security;
create index evaluation_requests_user_idx on public.evaluation_requests (user_id);

-- Present or late after the register closed: ask for the evaluation (once per person).
create function public.request_evaluation(p_session_id uuid, p_user_id uuid) returns void
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.evaluation_requests (session_id, user_id) values (p_session_id, p_user_id)
  on conflict do nothing;
  if found then
    perform public.notify(p_user_id, 'evaluation_request',
      'How was it? ' || (select c.title from public.sessions s join public.courses c on c.id = s.course_id
                         where s.id = p_session_id),
      'Thank you for attending:' || E'\n' || public.session_summary(p_session_id)
        || E'\n\nPlease tell us how confident you felt before and after, and how the training will '
        || 'inform your practice. It takes about three minutes: open My training in the app.',
      'evaluation-request:' || p_session_id || ':' || p_user_id);
  end if;
end
$$;

-- Submitted answers never change, except to be unlinked from a person.
create function public.forbid_submission_change() returns trigger
  language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'Submitted answers cannot be deleted' using errcode = '42501';
  end if;
  if tg_table_name = 'followups' and (to_jsonb(old) ->> 'submitted_at') is null then
    return new;
  end if;
  if (to_jsonb(new) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised') is distinct from
     (to_jsonb(old) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised') then
    raise exception 'Submitted answers cannot be changed' using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger evaluations_immutable before update or delete on public.evaluations
  for each row execute function public.forbid_submission_change();
create trigger evaluation_ratings_immutable before update on public.evaluation_ratings
  for each row execute function public.forbid_submission_change();
create trigger followups_immutable before update on public.followups
  for each row execute function public.forbid_submission_change();
create trigger followup_ratings_immutable before update on public.followup_ratings
  for each row execute function public.forbid_submission_change();
create trigger evaluations_track after insert or update on public.evaluations
  for each row execute function public.track_row_change('evaluation', 'id', 'user:user_id');
create trigger followups_track after insert or update on public.followups
  for each row execute function public.track_row_change('followup', 'id', 'user:user_id');

-- The learning outcomes an evaluation of a session asks about: those current when it ran.
create function public.session_outcomes(p_session_id uuid)
  returns setof public.learning_outcomes language sql stable security definer set search_path = ''
as $$
  select lo.* from public.learning_outcomes lo
  join public.sessions s on s.course_id = lo.course_id
  where s.id = p_session_id and (lo.retired_at is null or lo.retired_at > s.starts_at)
  order by lo.position
$$;

-- Checks a list of ratings against the session's outcomes: every outcome once, whole
-- numbers 1–5 for each named field. Returns the ratings as rows to insert.
create function public.checked_ratings(p_session_id uuid, p_ratings jsonb, p_fields text[])
  returns table (outcome_id uuid, first_rating int, second_rating int)
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_item jsonb;
  v_field text;
  v_outcome uuid;
  v_seen uuid[] := '{}';
  v_missing int;
begin
  if jsonb_typeof(p_ratings) is distinct from 'array' then
    raise exception 'ratings must be a list with one entry per learning outcome'
      using errcode = '22023', detail = 'ratings';
  end if;
  for v_item in select value from jsonb_array_elements(p_ratings) loop
    if jsonb_typeof(v_item) <> 'object' or coalesce(v_item ->> 'outcome_id', '') !~* '^[0-9a-f-]{36}$' then
      raise exception 'Each rating needs an outcome_id' using errcode = '22023', detail = 'ratings';
    end if;
    v_outcome := (v_item ->> 'outcome_id')::uuid;
    if not exists (select 1 from public.session_outcomes(p_session_id) o where o.id = v_outcome) then
      raise exception 'Outcome % is not a learning outcome of this session''s course', v_outcome
        using errcode = '22023', detail = 'ratings';
    end if;
    if v_outcome = any (v_seen) then
      raise exception 'Outcome % is rated twice', v_outcome using errcode = '22023', detail = 'ratings';
    end if;
    v_seen := v_seen || v_outcome;
    foreach v_field in array p_fields loop
      if jsonb_typeof(v_item -> v_field) is distinct from 'number'
         or (v_item ->> v_field) !~ '^[1-5]$' then
        raise exception '% must be a whole number from 1 to 5 (outcome %)', v_field, v_outcome
          using errcode = '22023', detail = 'ratings';
      end if;
    end loop;
    outcome_id := v_outcome;
    first_rating := (v_item ->> p_fields[1])::int;
    second_rating := (v_item ->> p_fields[cardinality(p_fields)])::int;
    return next;
  end loop;
  select count(*) into v_missing from public.session_outcomes(p_session_id) o where o.id <> all (v_seen);
  if v_missing > 0 then
    raise exception 'Rate every learning outcome: % not rated', v_missing
      using errcode = '22023', detail = 'ratings';
  end if;
end
$$;

create function public.insert_evaluation(p_session public.sessions, p_args jsonb, p_user_id uuid)
  returns public.evaluations language plpgsql security definer set search_path = ''
as $$
declare
  v_evaluation public.evaluations;
begin
  insert into public.evaluations (id, session_id, user_id, entered_by, from_paper, overall, practice_change, comments)
  values ((p_args ->> 'id')::uuid, p_session.id, p_user_id,
    case when p_user_id is null then auth.uid() end, p_user_id is null,
    public.checked_score(p_args -> 'overall', 'overall'),
    public.checked_text(p_args ->> 'practice_change', 'How the training will inform your practice', 5000),
    public.checked_text(p_args ->> 'comments', 'Comments', 5000, false))
  returning * into v_evaluation;
  insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
  select v_evaluation.id, r.outcome_id, r.first_rating, r.second_rating
  from public.checked_ratings(p_session.id, p_args -> 'ratings', array['before', 'after']) r;
  return v_evaluation;
end
$$;

-- An attendee's own evaluation: booked on the session or marked at it, once per session.
create function public.submit_evaluation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions;
  v_existing public.evaluations;
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
  if not exists (
    select 1 from public.bookings b where b.session_id = v_session.id and b.user_id = v_uid
      and (b.status not in ('cancelled', 'declined')
           or exists (select 1 from public.attendance_events e where e.booking_id = b.id))
  ) and not exists (
    select 1 from public.walk_in_attendees w join public.profiles p on p.email = w.email
    where w.session_id = v_session.id and p.id = v_uid
  ) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Only people booked on this session or marked at it can evaluate it.');
  end if;
  if now() < v_session.starts_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You can give your evaluation once the session has started.');
  end if;
  if exists (select 1 from public.evaluations e where e.session_id = v_session.id and e.user_id = v_uid) then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You have already sent your evaluation of this session. Thank you.');
  end if;
  perform public.insert_evaluation(v_session, p_args, v_uid);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
end
$$;

-- Evaluations from paper forms or a kiosk, entered by the session's trainers or admins.
create function public.submit_paper_evaluation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_id uuid := (p_args ->> 'id')::uuid;
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
begin
  if v_id is null then
    raise exception 'An evaluation needs an id' using errcode = '22023', detail = 'id';
  end if;
  if exists (select 1 from public.evaluations e where e.id = v_id) then
    if exists (select 1 from public.evaluations e where e.id = v_id and e.from_paper and e.entered_by = auth.uid()) then
      return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
    end if;
    raise exception 'Evaluation % already exists', v_id using errcode = '23505';
  end if;
  perform public.insert_evaluation(v_session, p_args, null);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_id));
end
$$;

-- The follow-up some weeks later: did they apply it, an example, confidence now, barriers.
create function public.submit_followup(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_followup public.followups;
begin
  if v_uid is null then
    raise exception 'Sign in to answer the follow-up' using errcode = '42501';
  end if;
  select * into v_followup from public.followups
    where id = (p_args ->> 'followup_id')::uuid and user_id = v_uid for update;
  if not found then
    raise exception 'Follow-up % is not one of yours', p_args ->> 'followup_id'
      using errcode = '22023', detail = 'followup_id';
  end if;
  if v_followup.submitted_at is not null then
    return jsonb_build_object('status', 'rejected', 'reason', 'You have already answered this follow-up. Thank you.');
  end if;
  if coalesce(p_args ->> 'applied', '') not in ('yes', 'partly', 'no') then
    raise exception 'applied must be yes, partly or no' using errcode = '22023', detail = 'applied';
  end if;
  update public.followups set
    applied = (p_args ->> 'applied')::public.followup_applied,
    example = public.checked_text(p_args ->> 'example', 'Example', 5000, false),
    barriers = public.checked_text(p_args ->> 'barriers', 'What got in the way', 5000, false),
    submitted_at = now()
  where id = v_followup.id;
  insert into public.followup_ratings (followup_id, outcome_id, now_rating)
  select v_followup.id, r.outcome_id, r.first_rating
  from public.checked_ratings(v_followup.session_id, p_args -> 'ratings', array['now']) r;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', v_followup.id));
end
$$;

-- Scheduled: asks attendees (present or late) for their follow-up once the course's
-- follow-up interval has passed since the session. p_now makes the clock controllable.
create function public.send_followup_requests(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    select s.id as session_id, b.user_id, c.title
    from public.sessions s
    join public.courses c on c.id = s.course_id
    join public.bookings b on b.session_id = s.id
    where s.status = 'scheduled'
      and s.ends_at + make_interval(weeks => c.followup_weeks) <= p_now
      and s.ends_at + make_interval(weeks => c.followup_weeks) > p_now - interval '14 days'
      and public.attendance_status_of(b.id) in ('present', 'late')
      and not exists (select 1 from public.followups f where f.session_id = s.id and f.user_id = b.user_id)
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
        || E'\n\nHave you been able to use what you learned? Four short questions: open My training in the app.',
      'followup-request:' || c.session_id || ':' || c.user_id)
    from created c
  ) sent;
  return v_sent;
end
$$;

-- Scheduled: one reminder for an evaluation request unanswered after three days.
create function public.send_evaluation_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    update public.evaluation_requests r set reminded_at = p_now
    where r.reminded_at is null and r.requested_at <= p_now - interval '3 days'
      and not exists (select 1 from public.evaluations e where e.session_id = r.session_id and e.user_id = r.user_id)
    returning r.session_id, r.user_id
  )
  select count(*) into v_sent from (
    select public.notify(d.user_id, 'evaluation_reminder',
      'Reminder: how was it? ' || (select co.title from public.sessions s join public.courses co on co.id = s.course_id where s.id = d.session_id),
      'A reminder: your evaluation of this session helps the partnership show what training achieves.'
        || E'\n' || public.session_summary(d.session_id)
        || E'\n\nIt takes about three minutes: open My training in the app.',
      'evaluation-reminder:' || d.session_id || ':' || d.user_id)
    from due d
  ) sent;
  return v_sent;
end
$$;

-- What a session's trainers see: figures and anonymous comments, never who said what.
create function public.session_results(p_session_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register(p_session_id);
  v_attended int;
  v_responses int;
begin
  select count(*) into v_attended from (
    select b.id from public.bookings b where b.session_id = v_session.id
      and public.attendance_status_of(b.id) in ('present', 'late', 'left_early')
    union all
    select w.id from public.walk_in_attendees w where w.session_id = v_session.id
      and (select h.status from public.attendance_heads(null, w.id) h order by h.marked_at desc limit 1)
          in ('present', 'late', 'left_early')
  ) a;
  select count(*) into v_responses from public.evaluations e where e.session_id = v_session.id;
  return jsonb_build_object(
    'attended', v_attended,
    'responses', v_responses,
    'from_paper', (select count(*) from public.evaluations e where e.session_id = v_session.id and e.from_paper),
    'overall_mean', (select round(avg(e.overall), 2) from public.evaluations e where e.session_id = v_session.id),
    'outcomes', coalesce((
      select jsonb_agg(jsonb_build_object(
          'outcome_id', o.id, 'position', o.position, 'text', o.text,
          'n', (select count(*) from public.evaluation_ratings r join public.evaluations e on e.id = r.evaluation_id
                where e.session_id = v_session.id and r.outcome_id = o.id),
          'mean_before', (select round(avg(r.before), 2) from public.evaluation_ratings r
                join public.evaluations e on e.id = r.evaluation_id where e.session_id = v_session.id and r.outcome_id = o.id),
          'mean_after', (select round(avg(r.after), 2) from public.evaluation_ratings r
                join public.evaluations e on e.id = r.evaluation_id where e.session_id = v_session.id and r.outcome_id = o.id))
        order by o.position)
      from public.session_outcomes(v_session.id) o), '[]'),
    -- comments in a fixed but meaningless order, so they cannot be matched to who came first
    'practice_changes', coalesce((
      select jsonb_agg(e.practice_change order by md5(e.id::text)) from public.evaluations e
      where e.session_id = v_session.id), '[]'),
    'comments', coalesce((
      select jsonb_agg(e.comments order by md5(e.id::text)) from public.evaluations e
      where e.session_id = v_session.id and e.comments is not null), '[]')
  );
end
$$;
grant execute on function public.submit_evaluation(jsonb), public.submit_paper_evaluation(jsonb),
  public.submit_followup(jsonb), public.session_results(uuid) to authenticated;

insert into public.sync_mutation_handlers (name, handler) values
  ('evaluation.submit', 'public.submit_evaluation(jsonb)'),
  ('evaluation.submit_paper', 'public.submit_paper_evaluation(jsonb)'),
  ('followup.submit', 'public.submit_followup(jsonb)');

-- The rows a person's device holds: their own submissions, with their ratings.
create function public.evaluation_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(e) || jsonb_build_object('ratings', coalesce((
    select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'before', r.before, 'after', r.after))
    from public.evaluation_ratings r where r.evaluation_id = e.id), '[]'))
  from public.evaluations e where e.id = p_id
$$;

create function public.followup_sync_row(p_id uuid) returns jsonb
  language sql stable security invoker set search_path = ''
as $$
  select to_jsonb(f) || jsonb_build_object('ratings', coalesce((
    select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'now', r.now_rating))
    from public.followup_ratings r where r.followup_id = f.id), '[]'))
  from public.followups f where f.id = p_id
$$;
grant execute on function public.evaluation_sync_row(uuid), public.followup_sync_row(uuid)
  to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('evaluation', 'public.evaluation_sync_row(uuid)'),
  ('followup', 'public.followup_sync_row(uuid)');

-- ======================================================================================
-- supabase/schemas/11_admin.sql
-- ======================================================================================

-- The partnership's admin API: courses, learning outcomes, sessions, Webinar Wednesdays,
-- trainers and cancelling a session. Called directly (these need a connection), each
-- checks the caller is an admin (require_admin, 05_people.sql) and raises clear errors in
-- PostgREST's shape.

-- Creates or updates a course (its status is changed by admin_set_course_status).
create function public.admin_save_course(p_course jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_course public.courses;
  v_id uuid := coalesce((p_course ->> 'id')::uuid, gen_random_uuid());
  v_title text := public.checked_text(p_course ->> 'title', 'Title', 200);
  v_slug text := coalesce(nullif(p_course ->> 'slug', ''),
    trim(both '-' from regexp_replace(lower(v_title), '[^a-z0-9]+', '-', 'g')));
begin
  perform public.require_admin();
  if jsonb_typeof(p_course -> 'themes') is distinct from 'array' or jsonb_array_length(p_course -> 'themes') = 0 then
    raise exception 'Choose at least one theme' using errcode = '22023', detail = 'Themes';
  end if;
  if coalesce((p_course ->> 'duration_minutes')::int, 0) not between 15 and 2880 then
    raise exception 'Duration must be between 15 minutes and 2 days' using errcode = '22023', detail = 'Duration';
  end if;
  insert into public.courses as c (id, slug, title, summary, description, audience, level, format,
    duration_minutes, themes, series, elearning_url, followup_weeks)
  values (v_id, v_slug, v_title,
    public.checked_text(p_course ->> 'summary', 'Summary', 600),
    coalesce(public.checked_text(p_course ->> 'description', 'Description', 10000, false), ''),
    public.checked_text(p_course ->> 'audience', 'Audience', 600),
    (p_course ->> 'level')::public.course_level,
    (p_course ->> 'format')::public.course_format,
    (p_course ->> 'duration_minutes')::int,
    array(select jsonb_array_elements_text(p_course -> 'themes')),
    nullif(p_course ->> 'series', ''),
    nullif(p_course ->> 'elearning_url', ''),
    coalesce((p_course ->> 'followup_weeks')::int, 12))
  on conflict (id) do update set
    slug = excluded.slug, title = excluded.title, summary = excluded.summary,
    description = excluded.description, audience = excluded.audience, level = excluded.level,
    format = excluded.format, duration_minutes = excluded.duration_minutes, themes = excluded.themes,
    series = excluded.series, elearning_url = excluded.elearning_url,
    followup_weeks = excluded.followup_weeks
  returning * into v_course;
  return to_jsonb(v_course);
end
$$;

-- Replaces a course's learning outcomes with the given list, in order. An outcome that has
-- been evaluated is never edited: changing or removing it retires it (and a changed text
-- becomes a new outcome), so past ratings keep meaning what was asked.
create function public.admin_save_outcomes(p_course_id uuid, p_outcomes jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_item record;
  v_existing public.learning_outcomes;
  v_text text;
  v_keep uuid[] := '{}';
begin
  perform public.require_admin();
  if not exists (select 1 from public.courses where id = p_course_id) then
    raise exception 'Course % does not exist', p_course_id using errcode = '22023';
  end if;
  if jsonb_typeof(p_outcomes) is distinct from 'array' or jsonb_array_length(p_outcomes) not between 1 and 20 then
    raise exception 'A course needs between 1 and 20 learning outcomes' using errcode = '22023';
  end if;
  -- free the positions before renumbering
  update public.learning_outcomes set position = position + 100
    where course_id = p_course_id and retired_at is null;
  for v_item in select value, ordinality from jsonb_array_elements(p_outcomes) with ordinality loop
    v_text := public.checked_text(v_item.value ->> 'text', 'Learning outcome ' || v_item.ordinality, 500);
    select * into v_existing from public.learning_outcomes
      where id = (v_item.value ->> 'id')::uuid and course_id = p_course_id and retired_at is null;
    if found and (v_existing.text = v_text or not exists (
        select 1 from public.evaluation_ratings r where r.outcome_id = v_existing.id)) then
      update public.learning_outcomes set text = v_text, position = v_item.ordinality where id = v_existing.id;
      v_keep := v_keep || v_existing.id;
    else
      insert into public.learning_outcomes (course_id, position, text)
        values (p_course_id, v_item.ordinality, v_text) returning id into v_existing.id;
      v_keep := v_keep || v_existing.id;
    end if;
  end loop;
  -- whatever is no longer listed: retired if evaluated, otherwise removed
  update public.learning_outcomes set retired_at = now()
    where course_id = p_course_id and retired_at is null and id <> all (v_keep)
      and exists (select 1 from public.evaluation_ratings r where r.outcome_id = learning_outcomes.id);
  delete from public.learning_outcomes
    where course_id = p_course_id and retired_at is null and id <> all (v_keep);
  return (select jsonb_agg(to_jsonb(o) order by o.position) from public.learning_outcomes o
    where o.course_id = p_course_id and o.retired_at is null);
end
$$;

create function public.admin_set_course_status(p_course_id uuid, p_status public.course_status)
  returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_course public.courses;
begin
  perform public.require_admin();
  if p_status = 'published' and not exists (
      select 1 from public.learning_outcomes where course_id = p_course_id and retired_at is null) then
    raise exception 'Add at least one learning outcome before publishing' using errcode = '22023';
  end if;
  update public.courses
    set status = p_status, published_at = case when p_status = 'published' then coalesce(published_at, now()) else published_at end
    where id = p_course_id returning * into v_course;
  if not found then
    raise exception 'Course % does not exist', p_course_id using errcode = '22023';
  end if;
  return to_jsonb(v_course);
end
$$;

-- Creates or updates a session; an update may give only the fields that change. Booking
-- closes 2 days before a face-to-face session and an hour before a webinar unless a time
-- is given. Raising the capacity fills places from the waiting list.
create function public.admin_save_session(p_changes jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions;
  v_course public.courses;
  p_session jsonb := coalesce(
    (select to_jsonb(s) from public.sessions s where s.id = (p_changes ->> 'id')::uuid), '{}'::jsonb
  ) || p_changes;
  v_starts timestamptz := (p_session ->> 'starts_at')::timestamptz;
  v_ends timestamptz := (p_session ->> 'ends_at')::timestamptz;
  v_capacity int := (p_session ->> 'capacity')::int;
  v_online boolean := nullif(p_session ->> 'venue_name', '') is null;
begin
  perform public.require_admin();
  select * into v_course from public.courses where id = (p_session ->> 'course_id')::uuid;
  if not found then
    raise exception 'Course % does not exist', p_session ->> 'course_id' using errcode = '22023';
  end if;
  if v_starts is null or v_ends is null then
    raise exception 'Enter a start and an end' using errcode = '22023', detail = 'Times';
  end if;
  if v_ends <= v_starts then
    raise exception 'The end must be after the start' using errcode = '22023', detail = 'Times';
  end if;
  if v_capacity is null or v_capacity < 1 then
    raise exception 'Capacity must be at least 1' using errcode = '22023', detail = 'Capacity';
  end if;
  if v_online and nullif(p_session ->> 'join_url', '') is null then
    raise exception 'Enter a venue, or a joining link for an online session' using errcode = '22023', detail = 'Venue';
  end if;
  if nullif(p_session ->> 'join_url', '') !~ '^https://' then
    raise exception 'The joining link must start with https://' using errcode = '22023', detail = 'Joining link';
  end if;
  insert into public.sessions as s (id, course_id, starts_at, ends_at, venue_name, venue_address, join_url,
    capacity, waitlist_mode, offer_hours, booking_closes_at)
  values (coalesce((p_session ->> 'id')::uuid, gen_random_uuid()), v_course.id, v_starts, v_ends,
    public.checked_text(p_session ->> 'venue_name', 'Venue', 200, false),
    public.checked_text(p_session ->> 'venue_address', 'Venue address', 500, false),
    nullif(p_session ->> 'join_url', ''), v_capacity,
    coalesce((p_session ->> 'waitlist_mode')::public.waitlist_mode,
      case when v_course.format = 'webinar' then 'auto'::public.waitlist_mode else 'offer' end),
    coalesce((p_session ->> 'offer_hours')::int, 48),
    coalesce(case when p_changes ? 'starts_at' and not p_changes ? 'booking_closes_at' then null
        else (p_session ->> 'booking_closes_at')::timestamptz end,
      v_starts - case when v_online then interval '1 hour' else interval '2 days' end))
  on conflict (id) do update set
    starts_at = excluded.starts_at, ends_at = excluded.ends_at, venue_name = excluded.venue_name,
    venue_address = excluded.venue_address, join_url = excluded.join_url, capacity = excluded.capacity,
    waitlist_mode = excluded.waitlist_mode, offer_hours = excluded.offer_hours,
    booking_closes_at = excluded.booking_closes_at
  returning * into v_session;
  if v_session.booking_closes_at > v_session.starts_at then
    raise exception 'Booking must close before the session starts' using errcode = '22023', detail = 'Booking closes';
  end if;
  perform public.promote_waiting_list(v_session.id);
  return to_jsonb(v_session);
end
$$;

-- A Webinar Wednesday: one theme, three one-hour webinars on a Wednesday, each its own
-- course in the series with its learning outcomes and one online session, published.
-- p_webinars: [{title, summary, outcomes: [text], starts: 'HH:MI' (UK time), join_url}]
create function public.admin_create_webinar_wednesday(
  p_date date, p_theme text, p_capacity int, p_webinars jsonb
) returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_theme text := public.checked_text(p_theme, 'Theme', 200);
  v_item record;
  v_course jsonb;
  v_starts timestamptz;
  v_created jsonb := '[]';
begin
  perform public.require_admin();
  if p_date is null or extract(isodow from p_date) <> 3 then
    raise exception 'Webinar Wednesdays are on a Wednesday: % is a %', p_date, trim(to_char(p_date, 'Day'))
      using errcode = '22023', detail = 'Date';
  end if;
  if p_date < current_date then
    raise exception 'Choose a date from today on' using errcode = '22023', detail = 'Date';
  end if;
  if jsonb_typeof(p_webinars) is distinct from 'array' or jsonb_array_length(p_webinars) <> 3 then
    raise exception 'A Webinar Wednesday has three webinars' using errcode = '22023';
  end if;
  for v_item in select value, ordinality from jsonb_array_elements(p_webinars) with ordinality loop
    v_starts := (p_date + (v_item.value ->> 'starts')::time) at time zone 'Europe/London';
    v_course := public.admin_save_course(jsonb_build_object(
      'title', v_item.value ->> 'title', 'summary', v_item.value ->> 'summary',
      'slug', 'ww-' || to_char(p_date, 'YYYY-MM-DD') || '-' || v_item.ordinality,
      'audience', 'All practitioners working with children, young people and families',
      'level', 'introductory', 'format', 'webinar', 'duration_minutes', 60,
      'themes', jsonb_build_array(v_theme), 'series', 'webinar-wednesdays'));
    perform public.admin_save_outcomes((v_course ->> 'id')::uuid,
      (select jsonb_agg(jsonb_build_object('text', t)) from jsonb_array_elements_text(v_item.value -> 'outcomes') t));
    perform public.admin_set_course_status((v_course ->> 'id')::uuid, 'published');
    perform public.admin_save_session(jsonb_build_object('course_id', v_course ->> 'id',
      'starts_at', v_starts, 'ends_at', v_starts + interval '1 hour', 'capacity', p_capacity,
      'join_url', v_item.value ->> 'join_url'));
    v_created := v_created || jsonb_build_array(v_course);
  end loop;
  return v_created;
end
$$;

create function public.admin_assign_trainer(p_session_id uuid, p_trainer_id uuid, p_assigned boolean)
  returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  if p_assigned then
    if not exists (select 1 from public.staff_roles where user_id = p_trainer_id and role = 'trainer') then
      raise exception 'That person is not a trainer' using errcode = '22023';
    end if;
    insert into public.session_trainers (session_id, trainer_id) values (p_session_id, p_trainer_id)
      on conflict do nothing;
  else
    delete from public.session_trainers where session_id = p_session_id and trainer_id = p_trainer_id;
  end if;
end
$$;

-- Cancels a session: everyone booked, waiting or offered is told why, and their bookings
-- are closed.
create function public.admin_cancel_session(p_session_id uuid, p_reason text) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_reason text := public.checked_text(p_reason, 'Reason', 1000);
  v_title text;
  v_summary text := public.session_summary(p_session_id);
  v_told int;
begin
  perform public.require_admin();
  update public.sessions set status = 'cancelled', cancelled_reason = v_reason
    where id = p_session_id and status = 'scheduled';
  if not found then
    raise exception 'Session % does not exist or is already cancelled', p_session_id using errcode = '22023';
  end if;
  select c.title into v_title from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id;
  with affected as (
    update public.bookings set status = 'cancelled', cancelled_at = now(), offer_expires_at = null
    where session_id = p_session_id and status in ('requested', 'confirmed', 'waitlisted', 'offered')
    returning id, user_id
  )
  select count(*) into v_told from (
    select public.notify(a.user_id, 'session_cancelled', 'Cancelled: ' || v_title,
      'We are sorry: the partnership has cancelled this session.' || E'\n\nReason: ' || v_reason
        || E'\n\n' || v_summary || E'\n\nOther dates are in the brochure.',
      'session-cancelled:' || a.id)
    from affected a
  ) told;
  return v_told;
end
$$;
grant execute on function public.admin_save_course(jsonb), public.admin_save_outcomes(uuid, jsonb),
  public.admin_set_course_status(uuid, public.course_status), public.admin_save_session(jsonb),
  public.admin_create_webinar_wednesday(date, text, int, jsonb),
  public.admin_assign_trainer(uuid, uuid, boolean), public.admin_cancel_session(uuid, text)
  to authenticated;

-- ======================================================================================
-- supabase/schemas/12_impact_facts.sql
-- ======================================================================================

-- Impact facts: one row per place on a register (a booking or a walk-in) with everything
-- the impact report counts — who (a pseudonymous person key), their agency, how the booking
-- ended, how they were marked, and their evaluation and follow-up. Kept up to date by
-- statement-level triggers as bookings, marks, evaluations and follow-ups arrive, so the
-- report reads one narrow table instead of working out each person's attendance from the
-- marks every time (ten years of marks took most of a second to sort).
--
-- The person key is the account id while the account exists, a hash of the email for a
-- walk-in; deleting an account or the retention policy replaces it with a random key, the
-- same on every row of that person, so the report's counts of distinct people stand.

create table public.impact_facts (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid unique references public.bookings (id) on delete set null,
  walk_in_id uuid unique references public.walk_in_attendees (id) on delete set null,
  person uuid not null,
  agency_id uuid references public.agencies (id) on delete set null,
  booking_status public.booking_status,
  waitlisted boolean not null default false,
  cancelled_at timestamptz,
  attendance public.attendance_status,
  evaluation_id uuid references public.evaluations (id) on delete set null,
  -- the evaluation's total change over its ratings, and how many ratings: a person's mean change
  change_sum int,
  change_n int,
  followup_id uuid references public.followups (id) on delete set null,
  followup_applied public.followup_applied,
  followup_barriers boolean not null default false
);
create index impact_facts_session_idx on public.impact_facts (session_id);
create index impact_facts_person_idx on public.impact_facts (person);
create unique index impact_facts_evaluation_idx on public.impact_facts (evaluation_id);
create unique index impact_facts_followup_idx on public.impact_facts (followup_id);
create index impact_facts_session_person_idx on public.impact_facts (session_id, person)
  where booking_id is not null;

-- The triggers below see the rows a statement wrote (usually one: a sync mutation; thousands
-- when the demo history is seeded). The planner cannot size those sets, so the triggers
-- look rows up by index, which is right for one row and fast enough for thousands.

-- Read only through the report's functions: no API role may touch it.
alter table public.impact_facts enable row level security;

create function public.walk_in_person(p_email text, p_id uuid) returns uuid
  language sql immutable set search_path = ''
as $$ select coalesce(md5('walk-in:' || lower(p_email))::uuid, p_id) $$;

create function public.impact_facts_bookings_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, booking_id, person, agency_id, booking_status, waitlisted, cancelled_at)
  select n.session_id, n.id, n.user_id, p.agency_id, n.status, n.waitlisted_at is not null, n.cancelled_at
  from new_rows n join public.profiles p on p.id = n.user_id;
  return null;
end
$$;

create function public.impact_facts_bookings_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set booking_status = n.status, waitlisted = n.waitlisted_at is not null, cancelled_at = n.cancelled_at
  from new_rows n
  where f.booking_id = n.id
    and (f.booking_status, f.waitlisted, f.cancelled_at) is distinct from
        (n.status, n.waitlisted_at is not null, n.cancelled_at);
  return null;
end
$$;

create function public.impact_facts_walk_ins_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, walk_in_id, person, agency_id)
  select n.session_id, n.id, public.walk_in_person(n.email, n.id), n.agency_id from new_rows n;
  return null;
end
$$;

create function public.impact_facts_marks_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- the mark that counts for the report: the latest a person made; closing the register's
  -- no-show only when nobody marked them
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.booking_id) e.booking_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
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

-- An evaluation or follow-up belongs to one place: the person's live booking on the session
-- (or, if they cancelled it afterwards, the cancelled one), never to two rows.
create function public.impact_place_of(p_session_id uuid, p_person uuid) returns uuid
  language sql stable set search_path = ''
as $$
  select x.id from public.impact_facts x
  where x.session_id = p_session_id and x.person = p_person and x.booking_id is not null
  order by (x.booking_status in ('cancelled', 'declined')), x.id limit 1
$$;

create function public.impact_facts_evaluations_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set evaluation_id = n.id
  from new_rows n where n.user_id is not null and f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;

create function public.impact_facts_followups_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_id = n.id, followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n where f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;

-- A follow-up rating carries the end-of-course rating it is compared with (retention), so the
-- report need not look it up among every rating.
create function public.followup_rating_end() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  new.end_rating := (select r.after from public.followups f
    join public.evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
    join public.evaluation_ratings r on r.evaluation_id = e.id and r.outcome_id = new.outcome_id
    where f.id = new.followup_id);
  return new;
end
$$;
create trigger followup_rating_end before insert on public.followup_ratings
  for each row execute function public.followup_rating_end();

-- Per-session totals of ratings (evaluations by booked people and paper forms) and of
-- follow-up ratings against the end-of-course ones. Ratings never change once given, so the
-- totals only grow. Reports over the whole partnership or a trainer's sessions read these;
-- reports narrowed to an agency or a sector count the people's own rows.
create table public.impact_session_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_before int not null,
  sum_after int not null,
  primary key (session_id, outcome_id, change)
);

create table public.impact_session_followup_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_end int not null,
  sum_now int not null,
  primary key (session_id, outcome_id, change)
);
alter table public.impact_session_ratings enable row level security;
alter table public.impact_session_followup_ratings enable row level security;

create function public.impact_session_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- each evaluation's total change, on its place
  update public.impact_facts f set change_sum = c.change_sum, change_n = c.change_n
  from (select r.evaluation_id, sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
        from public.evaluation_ratings r
        where r.evaluation_id in (select n.evaluation_id from new_rows n)
        group by r.evaluation_id) c
  where f.evaluation_id = c.evaluation_id;
  -- and the session's totals
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select e.session_id, n.outcome_id, n.after - n.before, count(*), sum(n.before), sum(n.after)
  from new_rows n join public.evaluations e on e.id = n.evaluation_id
  where e.from_paper or exists (select 1 from public.impact_facts f where f.evaluation_id = e.id)
  group by e.session_id, n.outcome_id, n.after - n.before
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
  return null;
end
$$;

create function public.impact_session_followup_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_session_followup_ratings as t (session_id, outcome_id, change, n, sum_end, sum_now)
  select fu.session_id, n.outcome_id, n.now_rating - n.end_rating, count(*), sum(n.end_rating), sum(n.now_rating)
  from new_rows n join public.followups fu on fu.id = n.followup_id
  where n.end_rating is not null and exists (select 1 from public.impact_facts f where f.followup_id = fu.id)
  group by fu.session_id, n.outcome_id, n.now_rating - n.end_rating
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_end = t.sum_end + excluded.sum_end, sum_now = t.sum_now + excluded.sum_now;
  return null;
end
$$;

-- A follow-up's answer, on its place: counted without reading the follow-ups.
create function public.impact_facts_followups_answered() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n
  where f.followup_id = n.id
    and (f.followup_applied, f.followup_barriers) is distinct from (n.applied, n.barriers is not null);
  return null;
end
$$;

-- A person's agency is the one on their profile: moving agency moves their history with them
-- (as the report did when it read profiles directly).
create function public.impact_facts_profiles_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set agency_id = n.agency_id
  from new_rows n join old_rows o on o.id = n.id
  where n.agency_id is distinct from o.agency_id and f.person = n.id and f.booking_id is not null;
  return null;
end
$$;
create trigger impact_facts_bookings_inserted after insert on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_inserted();
create trigger impact_facts_bookings_updated after update on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_updated();
create trigger impact_facts_walk_ins_inserted after insert on public.walk_in_attendees
  referencing new table as new_rows for each statement execute function public.impact_facts_walk_ins_inserted();
create trigger impact_facts_marks_inserted after insert on public.attendance_events
  referencing new table as new_rows for each statement execute function public.impact_facts_marks_inserted();
create trigger impact_facts_evaluations_inserted after insert on public.evaluations
  referencing new table as new_rows for each statement execute function public.impact_facts_evaluations_inserted();
create trigger impact_facts_followups_answered after update on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_answered();
create trigger impact_session_ratings_added after insert on public.evaluation_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_ratings_added();
create trigger impact_session_followup_ratings_added after insert on public.followup_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_followup_ratings_added();
create trigger impact_facts_followups_inserted after insert on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_inserted();
create trigger impact_facts_profiles_updated after update on public.profiles
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.impact_facts_profiles_updated();

-- ======================================================================================
-- supabase/schemas/13_impact_counts.sql
-- ======================================================================================

-- Impact counts, kept as the facts change, so the report reads the places only to count
-- distinct people.
--
-- * impact_place_counts: per session and agency, how many places were booked, attended,
--   not attended, cancelled late, left waiting, evaluated and followed up. Kept by
--   statement-level triggers on the facts, which add each statement's change (new rows
--   minus old rows) with an upsert, so concurrent writers to one session add up rather
--   than overwrite each other. A late cancellation depends on the session's start, so
--   moving a session adds the difference too.
-- * impact_session_changes: per session, how many respondents had each mean change
--   across the outcomes (as sum and count). Reports over the partnership or a trainer's
--   sessions read it; reports narrowed to an agency or a sector count people's own rows.
--
-- Ten years of the partnership (63,000 places) make 11,500 rows of counts and 5,900 of
-- changes. The report reads those, the attended places once for the distinct people, and
-- the per-session ratings it already read.

create table public.impact_place_counts (
  session_id uuid not null references public.sessions (id) on delete cascade,
  -- no reference: a derived count, moved to "no agency" with its places if one is deleted
  agency_id uuid,
  places int not null default 0,
  booked int not null default 0,
  attended int not null default 0,
  no_shows int not null default 0,
  late_cancellations int not null default 0,
  unmet_demand int not null default 0,
  responses int not null default 0,
  followups int not null default 0,
  followups_answered int not null default 0,
  applied_yes int not null default 0,
  applied_partly int not null default 0,
  applied_no int not null default 0
);
create unique index impact_place_counts_key on public.impact_place_counts (session_id, agency_id) nulls not distinct;

create table public.impact_session_changes (
  session_id uuid not null references public.sessions (id) on delete cascade,
  change_sum int not null,
  change_n int not null,
  n int not null,
  primary key (session_id, change_sum, change_n)
);
alter table public.impact_place_counts enable row level security;
alter table public.impact_session_changes enable row level security;

-- What one place counts for, given its session's start. The report's definitions, in one place.
create function public.impact_place_flags(
  p_booking_status public.booking_status, p_waitlisted boolean, p_cancelled_at timestamptz,
  p_attendance public.attendance_status, p_starts_at timestamptz,
  out booked int, out attended int, out no_show int, out late_cancellation int, out unmet int)
  language sql immutable set search_path = ''
as $$
  select (p_booking_status is not null)::int,
    coalesce(p_attendance in ('present', 'late', 'left_early'), false)::int,
    coalesce(p_booking_status = 'confirmed' and p_attendance = 'absent', false)::int,
    coalesce(p_booking_status = 'cancelled' and p_cancelled_at > p_starts_at - interval '48 hours', false)::int,
    coalesce(p_waitlisted and p_booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
             and p_attendance is null, false)::int
$$;

-- Adds a statement's change to the counts: the places it wrote (new) count +1, the places
-- as they were (old) -1; an update is both, and what it did not change cancels out.
create function public.impact_counts_add(p_new public.impact_facts[], p_old public.impact_facts[]) returns void
  language sql volatile security definer set search_path = ''
as $$
  with d as (
    select 1 as sign, n.* from unnest(p_new) n
    union all
    select -1, o.* from unnest(p_old) o
  ), c as (
    -- a session being deleted is not joined: its counts go with it
    select d.session_id, d.agency_id, sum(d.sign)::int as places,
      sum(d.sign * g.booked)::int as booked, sum(d.sign * g.attended)::int as attended,
      sum(d.sign * g.no_show)::int as no_shows, sum(d.sign * g.late_cancellation)::int as late_cancellations,
      sum(d.sign * g.unmet)::int as unmet_demand,
      coalesce(sum(d.sign) filter (where d.evaluation_id is not null), 0)::int as responses,
      coalesce(sum(d.sign) filter (where d.followup_id is not null), 0)::int as followups,
      coalesce(sum(d.sign) filter (where d.followup_applied is not null), 0)::int as followups_answered,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'yes'), 0)::int as applied_yes,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'partly'), 0)::int as applied_partly,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'no'), 0)::int as applied_no
    from d join public.sessions s on s.id = d.session_id
    cross join lateral public.impact_place_flags(d.booking_status, d.waitlisted, d.cancelled_at, d.attendance, s.starts_at) g
    group by d.session_id, d.agency_id
  )
  insert into public.impact_place_counts as t (session_id, agency_id, places, booked, attended, no_shows,
    late_cancellations, unmet_demand, responses, followups, followups_answered, applied_yes, applied_partly, applied_no)
  select c.session_id, c.agency_id, c.places, c.booked, c.attended, c.no_shows, c.late_cancellations, c.unmet_demand,
    c.responses, c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no
  from c
  where (c.places, c.booked, c.attended, c.no_shows, c.late_cancellations, c.unmet_demand, c.responses,
         c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no)
        <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  on conflict (session_id, agency_id) do update set
    places = t.places + excluded.places, booked = t.booked + excluded.booked,
    attended = t.attended + excluded.attended, no_shows = t.no_shows + excluded.no_shows,
    late_cancellations = t.late_cancellations + excluded.late_cancellations,
    unmet_demand = t.unmet_demand + excluded.unmet_demand, responses = t.responses + excluded.responses,
    followups = t.followups + excluded.followups, followups_answered = t.followups_answered + excluded.followups_answered,
    applied_yes = t.applied_yes + excluded.applied_yes, applied_partly = t.applied_partly + excluded.applied_partly,
    applied_no = t.applied_no + excluded.applied_no;

  with d as (
    select 1 as sign, n.session_id, n.change_sum, n.change_n from unnest(p_new) n
    where n.evaluation_id is not null and n.change_n > 0
    union all
    select -1, o.session_id, o.change_sum, o.change_n from unnest(p_old) o
    where o.evaluation_id is not null and o.change_n > 0
  )
  insert into public.impact_session_changes as t (session_id, change_sum, change_n, n)
  select d.session_id, d.change_sum, d.change_n, sum(d.sign)
  from d join public.sessions s on s.id = d.session_id
  group by d.session_id, d.change_sum, d.change_n
  having sum(d.sign) <> 0
  on conflict (session_id, change_sum, change_n) do update set n = t.n + excluded.n;
$$;

-- Transition tables need one trigger per event: an INSERT has no old rows, a DELETE no new ones.
create function public.impact_counts_inserted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), '{}');
  return null;
end
$$;

create function public.impact_counts_updated() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;

create function public.impact_counts_deleted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add('{}', array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;
create trigger impact_counts_inserted after insert on public.impact_facts
  referencing new table as new_rows for each statement execute function public.impact_counts_inserted();
create trigger impact_counts_updated after update on public.impact_facts
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_updated();
create trigger impact_counts_deleted after delete on public.impact_facts
  referencing old table as old_rows for each statement execute function public.impact_counts_deleted();

-- Moving a session moves the line for a late cancellation (48 hours before it starts).
create function public.impact_counts_session_moved() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.impact_place_counts as t (session_id, agency_id, late_cancellations)
  select f.session_id, f.agency_id, sum(moved.late_cancellation - was.late_cancellation)
  from new_rows n join old_rows o on o.id = n.id
  join public.impact_facts f on f.session_id = n.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.cancelled_at, f.attendance, n.starts_at) moved
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.cancelled_at, f.attendance, o.starts_at) was
  where n.starts_at is distinct from o.starts_at and f.booking_status = 'cancelled'
  group by f.session_id, f.agency_id
  having sum(moved.late_cancellation - was.late_cancellation) <> 0
  on conflict (session_id, agency_id) do update set late_cancellations = t.late_cancellations + excluded.late_cancellations;
  return null;
end
$$;
create trigger impact_counts_session_moved after update on public.sessions
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_session_moved();

-- ======================================================================================
-- supabase/schemas/14_impact_report.sql
-- ======================================================================================

-- The impact report and exports: one RPC per report. The aggregates are done here, in SQL; the
-- statistics (confidence intervals, effect sizes, Wilcoxon signed-rank tests) are worked out
-- in the app by a statistics library from the distributions this returns, which are small:
-- ratings are whole numbers 1–5, so each paired difference has one of nine values.
--
-- Who sees what: admins the whole partnership; an agency's safeguarding lead only people
-- from their agency, whatever the filters say; a trainer only the sessions they teach. No
-- report carries a name, an email or an id of a person.
--
-- How the report reads: the places in scope come from an inlinable SQL function
-- (impact_places), so the report reads the facts in its own query; the quotes and the
-- follow-up barriers pick their first rows by id before reading the texts; one grouping of
-- the places per session and agency gives both the sessions' and the agencies' counts;
-- follow-up ratings are grouped per course (each year's Webinar Wednesdays are separate
-- courses sharing a title); the counts come from 13_impact_counts.sql.

-- Impact reports are for the partnership's admins, agency safeguarding leads and trainers.
create function public.require_impact_reader() returns void
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null or not (public.has_staff_role('admin') or public.has_staff_role('agency_lead')
                                or public.has_staff_role('trainer')) then
    raise exception 'Impact reports are for the partnership''s admins, agency safeguarding leads and trainers'
      using errcode = '42501';
  end if;
end
$$;

-- The agency the caller is safeguarding lead for, if any.
create function public.led_agency() returns uuid
  language sql stable security definer set search_path = ''
as $$
  select r.agency_id from public.staff_roles r where r.user_id = auth.uid() and r.role = 'agency_lead'
$$;

-- The report's places in scope: an inlinable SQL function (no SET, invoker), so the
-- caller's query reads the facts directly instead of a copy of them. Only the impact
-- functions (security definer) call it; they check the caller first.
create function public.impact_places(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz)
  language sql stable
as $$
  select s.id, s.course_id, s.starts_at, s.capacity, f.person, f.agency_id, a.sector, f.booking_id, f.walk_in_id,
    f.booking_status, f.waitlisted,
    coalesce(f.booking_status = 'cancelled' and f.cancelled_at > s.starts_at - interval '48 hours', false),
    f.attendance, coalesce(f.attendance in ('present', 'late', 'left_early'), false), f.evaluation_id,
    f.change_sum, f.change_n, f.followup_id, f.followup_applied, f.followup_barriers, s.month
  from (
    -- the sessions in scope, each with its month worked out once (not once per person);
    -- each "(select …)" is worked out once per call, not once per row
    select s.id, s.course_id, s.starts_at, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= p_from and s.starts_at < p_to
      and ((select p_filters ->> 'course_id') is null or c.id = (select (p_filters ->> 'course_id')::uuid))
      and ((select p_filters ->> 'format') is null or c.format::text = (select p_filters ->> 'format'))
      and ((select p_filters ->> 'theme') is null or (select p_filters ->> 'theme') = any (c.themes))
      and ((select public.has_staff_role('admin')) or (select public.led_agency()) is not null
           or exists (select 1 from public.session_trainers t
                      where t.session_id = s.id and t.trainer_id = (select auth.uid())))
    offset 0) s
  join public.impact_facts f on f.session_id = s.id
  left join public.agencies a on a.id = f.agency_id
  where ((select public.led_agency()) is null or f.agency_id = (select public.led_agency()))
    and ((select p_filters ->> 'agency_id') is null or f.agency_id = (select (p_filters ->> 'agency_id')::uuid))
    and ((select p_filters ->> 'sector') is null or a.sector::text = (select p_filters ->> 'sector'))
$$;

-- The exports read the places through impact_people: it checks the caller, then returns them.
create function public.impact_people(p_from timestamptz, p_to timestamptz, p_filters jsonb)
  returns table (
    session_id uuid, course_id uuid, starts_at timestamptz, capacity int,
    person uuid, agency_id uuid, sector public.sector, booking_id uuid, walk_in_id uuid,
    booking_status public.booking_status, waitlisted boolean, late_cancellation boolean,
    attendance public.attendance_status, attended boolean, evaluation_id uuid, change_sum int, change_n int,
    followup_id uuid, followup_applied public.followup_applied, followup_barriers boolean, month timestamptz)
  language plpgsql stable security definer set search_path = ''
  rows 20000
as $$
begin
  perform public.require_impact_reader();
  return query select * from public.impact_places(p_from, p_to, p_filters);
end
$$;

create function public.impact_report(p_filters jsonb default '{}') returns json
  language plpgsql stable security definer set search_path = ''
  -- the report's intermediate results hash in memory; the planner cannot estimate them,
  -- and a nested loop over tens of thousands of rows never ends
  set work_mem = '32MB'
  set enable_nestloop = off
  -- planned for each call's own filters: a plan cached for "any filters" guesses one row
  -- everywhere and sorts where it should hash
  set plan_cache_mode = force_custom_plan
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_previous_from timestamptz;
  v_caller uuid := auth.uid();
  v_admin boolean := public.has_staff_role('admin');
  v_led_agency uuid := public.led_agency();
  -- narrowed to people (an agency or a sector): count their own rows, not the sessions' totals
  v_by_person boolean := v_led_agency is not null or p_filters ->> 'agency_id' is not null or p_filters ->> 'sector' is not null;
  v_quote_search text := p_filters ->> 'quote_search';
  v_format text := p_filters ->> 'format';
  v_theme text := p_filters ->> 'theme';
  v_sector text := p_filters ->> 'sector';
  v_course_id uuid;
  v_agency_id uuid;
  v_result json;
begin
  if jsonb_typeof(coalesce(p_filters, '{}'::jsonb)) <> 'object' then
    raise exception 'Filters must be a JSON object' using errcode = '22023';
  end if;
  begin
    v_from := ((p_filters ->> 'from')::date)::timestamp at time zone 'Europe/London';
    v_to := (((p_filters ->> 'to')::date) + 1)::timestamp at time zone 'Europe/London';
  exception when others then
    raise exception 'from and to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_from is null or v_to is null or v_to <= v_from then
    raise exception 'Choose a period: from and to dates, with from before to' using errcode = '22023';
  end if;
  if v_to - v_from > interval '11 years' then
    raise exception 'A report covers at most ten years' using errcode = '22023';
  end if;
  if p_filters ->> 'sector' is not null
     and p_filters ->> 'sector' not in (select unnest(enum_range(null::public.sector))::text) then
    raise exception 'Unknown sector "%"', left(p_filters ->> 'sector', 40) using errcode = '22023';
  end if;
  if p_filters ->> 'format' is not null
     and p_filters ->> 'format' not in (select unnest(enum_range(null::public.course_format))::text) then
    raise exception 'Unknown format "%"', left(p_filters ->> 'format', 40) using errcode = '22023';
  end if;
  if coalesce(p_filters ->> 'course_id', p_filters ->> 'agency_id') is not null
     and not (coalesce(p_filters ->> 'course_id', '00000000-0000-0000-0000-000000000000') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
              and coalesce(p_filters ->> 'agency_id', '00000000-0000-0000-0000-000000000000') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$') then
    raise exception 'course_id and agency_id must be ids from the brochure and the agency list' using errcode = '22023';
  end if;
  v_previous_from := v_from - (v_to - v_from);
  perform public.require_impact_reader();
  v_course_id := (p_filters ->> 'course_id')::uuid;
  v_agency_id := (p_filters ->> 'agency_id')::uuid;

  with scope as materialized (
    -- the sessions in scope, each with its month
    select s.id as session_id, s.course_id, s.capacity, date_trunc('month', s.starts_at, 'Europe/London') as month
    from public.sessions s join public.courses c on c.id = s.course_id
    where s.status = 'scheduled' and s.starts_at >= v_from and s.starts_at < v_to
      and (v_course_id is null or c.id = v_course_id)
      and (v_format is null or c.format::text = v_format)
      and (v_theme is null or v_theme = any (c.themes))
      and (v_admin or v_led_agency is not null
           or exists (select 1 from public.session_trainers t where t.session_id = s.id and t.trainer_id = v_caller))
  ), place_counts as materialized (
    -- the kept counts per session and agency, summed below either way
    select sc.session_id, sc.course_id, sc.capacity, sc.month, pc.agency_id, pc.booked, pc.attended, pc.no_shows,
      pc.late_cancellations, pc.unmet_demand, pc.responses, pc.followups, pc.followups_answered,
      pc.applied_yes, pc.applied_partly, pc.applied_no
    from scope sc join public.impact_place_counts pc on pc.session_id = sc.session_id
    left join public.agencies a on a.id = pc.agency_id
    where pc.places > 0
      and (v_led_agency is null or pc.agency_id = v_led_agency)
      and (v_agency_id is null or pc.agency_id = v_agency_id)
      and (v_sector is null or a.sector::text = v_sector)
  ), places as not materialized (
    -- the places themselves: read for distinct people, and for what a narrowed report
    -- counts from people's own rows
    select f.person, f.agency_id, a.sector, sc.course_id, sc.month, f.attendance, f.evaluation_id, f.change_sum,
      f.change_n, f.followup_id, f.followup_barriers
    from scope sc join public.impact_facts f on f.session_id = sc.session_id
    left join public.agencies a on a.id = f.agency_id
    where (v_led_agency is null or f.agency_id = v_led_agency)
      and (v_agency_id is null or f.agency_id = v_agency_id)
      and (v_sector is null or a.sector::text = v_sector)
  ), attendees as materialized (
    -- everyone who attended, once per place
    select pe.person, pe.agency_id, pe.sector, pe.month from places pe
    where pe.attendance in ('present', 'late', 'left_early')
  ), attended_people as materialized (
    -- each person once per agency they attended from (one agency, unless a walk-in's differs)
    select distinct at.person, at.agency_id, at.sector from attendees at
  ), agency_people as materialized (
    select ap.agency_id, count(*) as people from attended_people ap group by ap.agency_id
  ), session_counts as materialized (
    select pc.session_id, pc.course_id, pc.capacity, pc.month,
      sum(pc.booked)::bigint as booked, sum(pc.attended)::bigint as attended, sum(pc.no_shows)::bigint as no_shows,
      sum(pc.late_cancellations)::bigint as late_cancellations, sum(pc.unmet_demand)::bigint as unmet_demand,
      sum(pc.responses)::bigint as responses, sum(pc.followups)::bigint as followups,
      sum(pc.followups_answered)::bigint as followups_answered, sum(pc.applied_yes)::bigint as applied_yes,
      sum(pc.applied_partly)::bigint as applied_partly, sum(pc.applied_no)::bigint as applied_no
    from place_counts pc group by pc.session_id, pc.course_id, pc.capacity, pc.month
  ), agency_counts as materialized (
    select pc.agency_id, sum(pc.booked)::bigint as booked, sum(pc.attended)::bigint as attended,
      sum(pc.no_shows)::bigint as no_shows
    from place_counts pc group by pc.agency_id
  ), month_people as (
    select m.month, count(*) as people from (select distinct at.month, at.person from attendees at) m
    group by m.month
  ), month_counts as (
    select to_char(sc.month at time zone 'Europe/London', 'YYYY-MM') as month,
      coalesce(mp.people, 0) as people, sum(sc.booked) as booked, sum(sc.attended) as attended
    from session_counts sc left join month_people mp on mp.month = sc.month
    group by sc.month, mp.people
  ), paper as materialized (
    -- paper forms belong to no agency: they count for the partnership and for trainers
    select e.id, s.course_id, c.change_sum, c.change_n
    from public.evaluations e join public.sessions s on s.id = e.session_id
    cross join lateral (select sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
                        from public.evaluation_ratings r where r.evaluation_id = e.id) c
    where e.from_paper and e.session_id in (select sc.session_id from session_counts sc)
      and not v_by_person
  ), ratings as materialized (
    -- each course's ratings as (outcome, change): n, sum before, sum after — from the
    -- sessions' totals, or from the people's own evaluations when narrowed to an agency
    select sc.course_id, r.outcome_id, r.change, r.n, r.sum_before, r.sum_after
    from public.impact_session_ratings r join session_counts sc on sc.session_id = r.session_id
    where not v_by_person
    union all
    select pe.course_id, r.outcome_id, r.after - r.before, 1, r.before, r.after
    from places pe join public.evaluation_ratings r on r.evaluation_id = pe.evaluation_id
    where v_by_person
  ), responses as (
    -- the evaluations in scope: the people's and the paper forms
    select pe.evaluation_id as id, pe.course_id from places pe where pe.evaluation_id is not null
    union all
    select pa.id, pa.course_id from paper pa
  ), change_counts as (
    -- each respondent's mean change across the outcomes, as sum and count: from the
    -- sessions' kept distributions, or from the people's own rows when narrowed
    select sc.course_id, ch.change_sum, ch.change_n, ch.n
    from public.impact_session_changes ch join session_counts sc on sc.session_id = ch.session_id
    where not v_by_person and ch.n > 0
    union all
    select pe.course_id, pe.change_sum, pe.change_n, 1 from places pe
    where v_by_person and pe.evaluation_id is not null and pe.change_n > 0
    union all
    select pa.course_id, pa.change_sum, pa.change_n, 1 from paper pa where pa.change_n > 0
  ), person_changes as (
    -- as "sum/count": exact, and small
    select d.course_id, json_object_agg(d.v, d.n) as counts from (
      select cc.course_id, cc.change_sum::text || '/' || cc.change_n::text as v, sum(cc.n) as n
      from change_counts cc group by cc.course_id, cc.change_sum, cc.change_n) d
    group by d.course_id
  ), outcome_rows as (
    select o.course_id, json_agg(json_build_object(
        'outcome_id', o.outcome_id, 'position', lo.position, 'text', lo.text, 'n', o.n,
        'sum_before', o.sum_before, 'sum_after', o.sum_after, 'changes', o.changes) order by lo.position) as outcomes
    from (select c.course_id, c.outcome_id, sum(c.n) as n, sum(c.sum_before) as sum_before, sum(c.sum_after) as sum_after,
            json_object_agg(c.change::text, c.n) as changes
          from (select r.course_id, r.outcome_id, r.change, sum(r.n) as n,
                  sum(r.sum_before) as sum_before, sum(r.sum_after) as sum_after
                from ratings r group by r.course_id, r.outcome_id, r.change) c
          group by c.course_id, c.outcome_id) o
    join public.learning_outcomes lo on lo.id = o.outcome_id
    group by o.course_id
  ), course_counts as (
    select sc.course_id, count(*) as sessions, sum(sc.capacity) as capacity, sum(sc.booked) as booked,
      sum(sc.attended) as attended, sum(sc.no_shows) as no_shows, sum(sc.late_cancellations) as late_cancellations,
      sum(sc.unmet_demand) as unmet_demand, sum(sc.responses) as responses
    from session_counts sc group by sc.course_id
  ), course_responses as (
    select r.course_id, sum(r.responses) as responses from (
      select cc.course_id, cc.responses from course_counts cc
      union all
      select pa.course_id, count(*) from paper pa group by pa.course_id) r
    group by r.course_id having sum(r.responses) > 0
  ), followup_ratings as (
    select sc.course_id, r.outcome_id, r.change, r.n, r.sum_end, r.sum_now
    from public.impact_session_followup_ratings r join session_counts sc on sc.session_id = r.session_id
    where not v_by_person
    union all
    select pe.course_id, fr.outcome_id, fr.now_rating - fr.end_rating, 1, fr.end_rating, fr.now_rating
    from places pe join public.followup_ratings fr on fr.followup_id = pe.followup_id
    where v_by_person and fr.end_rating is not null
  )
  select json_build_object(
    'period', json_build_object('from', p_filters ->> 'from', 'to', p_filters ->> 'to',
      'previous_from', to_char(v_previous_from at time zone 'Europe/London', 'YYYY-MM-DD')),
    'scope', case when v_admin then 'partnership' when v_led_agency is not null then 'agency' else 'trainer' end,
    'reach', json_build_object(
      'people', (select count(*) from (select distinct ap.person from attended_people ap) d),
      'places_booked', (select coalesce(sum(sc.booked), 0) from session_counts sc),
      'agencies', (select count(*) from agency_people ap where ap.agency_id is not null),
      'previous', (select json_build_object(
          'people', count(distinct pv.person) filter (where pv.attended),
          'places_booked', count(*) filter (where pv.booking_status is not null))
        from public.impact_places(v_previous_from, v_from, p_filters) pv),
      'by_agency', coalesce((select json_agg(x order by x.people desc, x.agency) from (
        select coalesce(a.name, 'Not recorded') as agency, a.sector, coalesce(max(ap.people), 0) as people,
          sum(g.booked) as booked, sum(g.attended) as attended, sum(g.no_shows) as no_shows
        from agency_counts g
        left join agency_people ap
          on ap.agency_id is not distinct from g.agency_id
        left join public.agencies a on a.id = g.agency_id
        group by a.name, a.sector) x), '[]'::json),
      'by_sector', coalesce((select json_agg(x order by x.people desc, x.sector) from (
        select coalesce(s.sector::text, 'not_recorded') as sector, s.people, c.attended
        from (select d.sector, count(*) as people from (select distinct ap.sector, ap.person from attended_people ap) d
              group by d.sector) s
        join (select a.sector, sum(g.attended) as attended
              from agency_counts g left join public.agencies a on a.id = g.agency_id group by a.sector) c
          on c.sector is not distinct from s.sector) x), '[]'::json),
      -- every month of the period, with zeros, so a quiet month shows as one
      'by_month', coalesce((select json_agg(json_build_object('month', m.month,
          'people', coalesce(c.people, 0), 'booked', coalesce(c.booked, 0), 'attended', coalesce(c.attended, 0))
          order by m.month)
        from (select to_char(g, 'YYYY-MM') as month
              from generate_series(date_trunc('month', v_from at time zone 'Europe/London'),
                                   (v_to at time zone 'Europe/London') - interval '1 day', interval '1 month') g) m
        left join month_counts c on c.month = m.month), '[]'::json)),
    'attendance', (select json_build_object(
      'attended', coalesce(sum(sc.attended), 0),
      'no_shows', coalesce(sum(sc.no_shows), 0),
      'late_cancellations', coalesce(sum(sc.late_cancellations), 0),
      'unmet_demand', coalesce(sum(sc.unmet_demand), 0),
      'by_course', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'format', c.format, 'sessions', cc.sessions,
          'capacity', coalesce(cc.capacity, 0), 'booked', cc.booked, 'attended', cc.attended,
          'no_shows', cc.no_shows, 'late_cancellations', cc.late_cancellations, 'unmet_demand', cc.unmet_demand)
          order by c.title, c.id)
        from course_counts cc join public.courses c on c.id = cc.course_id), '[]'::json))
      from session_counts sc),
    'learning', json_build_object(
      'responses', (select coalesce(sum(sc.responses), 0) from session_counts sc) + (select count(*) from paper),
      'courses', coalesce((select json_agg(json_build_object(
          'course_id', c.id, 'title', c.title, 'attended', coalesce(cc.attended, 0), 'responses', cr.responses,
          'person_changes', coalesce(pc.counts, '{}'::json), 'outcomes', coalesce(o.outcomes, '[]'::json))
          order by c.title, c.id)
        from course_responses cr join public.courses c on c.id = cr.course_id
        left join course_counts cc on cc.course_id = cr.course_id
        left join person_changes pc on pc.course_id = cr.course_id
        left join outcome_rows o on o.course_id = cr.course_id), '[]'::json)),
    'followup', (select json_build_object(
      'requested', coalesce(sum(sc.followups), 0),
      'answered', coalesce(sum(sc.followups_answered), 0),
      'applied', json_build_object(
        'yes', coalesce(sum(sc.applied_yes), 0),
        'partly', coalesce(sum(sc.applied_partly), 0),
        'no', coalesce(sum(sc.applied_no), 0)),
      -- per course (each year's webinars are courses of the same title), in a stable order
      'outcomes', coalesce((select json_agg(x order by x.title, x.course_id, x.position) from (
        select c.id as course_id, c.title, lo.position, lo.text, sum(g.n) as n, sum(g.sum_end) as sum_end,
          sum(g.sum_now) as sum_now, json_object_agg(g.change::text, g.n) as changes
        from (select fr.course_id, fr.outcome_id, fr.change, sum(fr.n) as n, sum(fr.sum_end) as sum_end,
                sum(fr.sum_now) as sum_now
              from followup_ratings fr group by fr.course_id, fr.outcome_id, fr.change) g
        join public.learning_outcomes lo on lo.id = g.outcome_id
        join public.courses c on c.id = g.course_id
        group by c.id, c.title, lo.position, lo.text) x), '[]'::json),
      'barriers', coalesce((select json_agg(fu.barriers order by fu.id) from (
        -- the first twenty by id, picked before reading the answers
        select p2.followup_id from places p2 where p2.followup_barriers order by p2.followup_id limit 20) b
        join public.followups fu on fu.id = b.followup_id), '[]'::json))
      from session_counts sc),
    'quotes', coalesce((select json_agg(json_build_object('text', e.practice_change, 'course', c.title) order by q.id)
      from (
        -- the first twelve by id; with a search, the first twelve that match it
        select ev.id, ev.course_id from responses ev
        where v_quote_search is null
           or (select e.practice_change from public.evaluations e where e.id = ev.id)
              ilike '%' || replace(replace(v_quote_search, '%', '\%'), '_', '\_') || '%'
        order by ev.id limit 12) q
      join public.evaluations e on e.id = q.id
      join public.courses c on c.id = q.course_id), '[]'::json)
  ) into v_result;
  return v_result;
end
$$;
grant execute on function public.impact_report(jsonb) to authenticated;

create function public.impact_export(p_kind text, p_filters jsonb default '{}') returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  begin
    v_from := ((p_filters ->> 'from')::date)::timestamp at time zone 'Europe/London';
    v_to := (((p_filters ->> 'to')::date) + 1)::timestamp at time zone 'Europe/London';
  exception when others then
    raise exception 'from and to must be dates (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_from is null or v_to is null or v_to <= v_from then
    raise exception 'Choose a period: from and to dates, with from before to' using errcode = '22023';
  end if;
  if p_kind = 'bookings' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'format', c.format, 'session_starts', pe.starts_at,
        'name', pr.full_name, 'email', pr.email, 'agency', a.name, 'sector', a.sector,
        'status', b.status, 'booked_at', b.created_at, 'cancelled_at', b.cancelled_at,
        'late_cancellation', pe.late_cancellation, 'attendance', pe.attendance)
        order by pe.starts_at, c.title, pr.full_name)
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.bookings b on b.id = pe.booking_id
      join public.profiles pr on pr.id = b.user_id
      join public.courses c on c.id = pe.course_id
      left join public.agencies a on a.id = pe.agency_id), '[]');
  elsif p_kind = 'registers' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'session_starts', pe.starts_at,
        'name', coalesce(pr.full_name, w.full_name), 'agency', coalesce(a.name, w.agency_name),
        'booked', pe.booking_id is not null, 'attendance', coalesce(pe.attendance::text, 'not marked'))
        order by pe.starts_at, c.title, coalesce(pr.full_name, w.full_name))
      from public.impact_people(v_from, v_to, p_filters) pe
      join public.courses c on c.id = pe.course_id
      left join public.bookings b on b.id = pe.booking_id
      left join public.profiles pr on pr.id = b.user_id
      left join public.walk_in_attendees w on w.id = pe.walk_in_id
      left join public.agencies a on a.id = pe.agency_id
      where pe.booking_status is null or pe.booking_status in ('confirmed', 'cancelled') or pe.attendance is not null), '[]');
  elsif p_kind = 'evaluations' then
    return coalesce((select jsonb_agg(jsonb_build_object(
        'course', c.title, 'session_starts', s.starts_at, 'sector', a.sector,
        'outcome', lo.text, 'before', r.before, 'after', r.after, 'usefulness', e.overall,
        'practice_change', e.practice_change, 'from_paper', e.from_paper)
        order by s.starts_at, c.title, md5(e.id::text), lo.position)
      from public.evaluations e
      join public.sessions s on s.id = e.session_id
      join public.courses c on c.id = s.course_id
      join public.evaluation_ratings r on r.evaluation_id = e.id
      join public.learning_outcomes lo on lo.id = r.outcome_id
      left join public.profiles pr on pr.id = e.user_id
      left join public.agencies a on a.id = pr.agency_id
      where e.id in (select pe.evaluation_id from public.impact_people(v_from, v_to, p_filters) pe)
        or (e.from_paper and e.session_id in (select pe.session_id from public.impact_people(v_from, v_to, p_filters) pe)
            and not exists (select 1 from public.staff_roles sr where sr.user_id = auth.uid() and sr.role = 'agency_lead'))), '[]');
  end if;
  raise exception 'Export must be bookings, registers or evaluations (got "%")', left(coalesce(p_kind, ''), 40)
    using errcode = '22023';
end
$$;
grant execute on function public.impact_export(text, jsonb) to authenticated;

-- ======================================================================================
-- supabase/schemas/15_privacy.sql
-- ======================================================================================

-- Privacy (UK GDPR): the right of access ("download my data"), the right to erasure
-- ("delete my account") and storage limitation (the retention policy).

-- "Download my data" (UK GDPR, right of access): everything the service holds about the
-- caller, as one JSON document. The caller comes from auth.uid(), never from an argument.
create function public.my_data() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_email text;
begin
  if v_uid is null then
    raise exception 'Sign in to download your data' using errcode = '42501';
  end if;
  select p.email into v_email from public.profiles p where p.id = v_uid;
  return jsonb_build_object(
    'about', 'Everything HSCP Training holds about you, as of this moment. Dates and times are UTC.',
    'generated_at', now(),
    'account', (select to_jsonb(u) from (
        select au.id, au.email, au.created_at, au.last_sign_in_at from auth.users au where au.id = v_uid) u),
    'profile', (select jsonb_build_object('email', p.email, 'full_name', p.full_name, 'job_role', p.job_role,
        'agency', a.name, 'created_at', p.created_at, 'updated_at', p.updated_at)
      from public.profiles p left join public.agencies a on a.id = p.agency_id where p.id = v_uid),
    'staff_roles', coalesce((select jsonb_agg(jsonb_build_object('role', r.role, 'agency', a.name,
        'granted_at', r.granted_at) order by r.granted_at)
      from public.staff_roles r left join public.agencies a on a.id = r.agency_id where r.user_id = v_uid), '[]'),
    'bookings', coalesce((select jsonb_agg(jsonb_build_object('id', b.id, 'course', c.title,
        'session_starts', s.starts_at, 'status', b.status, 'booked_at', b.created_at, 'waitlisted_at', b.waitlisted_at,
        'offer_expires_at', b.offer_expires_at, 'cancelled_at', b.cancelled_at,
        'attendance_marks', coalesce((select jsonb_agg(jsonb_build_object('status', m.status, 'source', m.source,
            'marked_at', m.marked_at) order by m.marked_at) from public.attendance_events m where m.booking_id = b.id), '[]'))
        order by s.starts_at)
      from public.bookings b join public.sessions s on s.id = b.session_id join public.courses c on c.id = s.course_id
      where b.user_id = v_uid), '[]'),
    'walk_ins', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'full_name', w.full_name, 'email', w.email, 'agency', coalesce(a.name, w.agency_name), 'added_at', w.created_at)
        order by w.created_at)
      from public.walk_in_attendees w join public.sessions s on s.id = w.session_id
      join public.courses c on c.id = s.course_id left join public.agencies a on a.id = w.agency_id
      where v_email is not null and lower(w.email) = lower(v_email)), '[]'),
    'sessions_taught', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at)
        order by s.starts_at)
      from public.session_trainers t join public.sessions s on s.id = t.session_id
      join public.courses c on c.id = s.course_id where t.trainer_id = v_uid), '[]'),
    'evaluations', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'submitted_at', e.submitted_at, 'usefulness', e.overall, 'practice_change', e.practice_change,
        'comments', e.comments,
        'ratings', coalesce((select jsonb_agg(jsonb_build_object('outcome', lo.text, 'before', r.before, 'after', r.after)
            order by lo.position) from public.evaluation_ratings r
            join public.learning_outcomes lo on lo.id = r.outcome_id where r.evaluation_id = e.id), '[]'))
        order by s.starts_at)
      from public.evaluations e join public.sessions s on s.id = e.session_id join public.courses c on c.id = s.course_id
      where e.user_id = v_uid), '[]'),
    'evaluation_requests', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'requested_at', q.requested_at, 'reminded_at', q.reminded_at) order by q.requested_at)
      from public.evaluation_requests q join public.sessions s on s.id = q.session_id
      join public.courses c on c.id = s.course_id where q.user_id = v_uid), '[]'),
    'followups', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'requested_at', f.requested_at, 'reminded_at', f.reminded_at, 'submitted_at', f.submitted_at,
        'applied', f.applied, 'example', f.example, 'barriers', f.barriers,
        'ratings', coalesce((select jsonb_agg(jsonb_build_object('outcome', lo.text, 'now', r.now_rating)
            order by lo.position) from public.followup_ratings r
            join public.learning_outcomes lo on lo.id = r.outcome_id where r.followup_id = f.id), '[]'))
        order by f.requested_at)
      from public.followups f join public.sessions s on s.id = f.session_id join public.courses c on c.id = s.course_id
      where f.user_id = v_uid), '[]'),
    'emails', coalesce((select jsonb_agg(jsonb_build_object('to', n.to_email, 'kind', n.kind, 'subject', n.subject,
        'body', n.body, 'status', n.status, 'created_at', n.created_at, 'sent_at', n.sent_at) order by n.created_at)
      from public.notifications n where n.user_id = v_uid), '[]'),
    'changes_sent_from_devices', coalesce((select jsonb_agg(jsonb_build_object('device', m.device_id, 'name', m.name,
        'received_at', m.received_at, 'result', m.result) order by m.received_at)
      from public.sync_mutations m where m.user_id = v_uid), '[]'));
end
$$;
grant execute on function public.my_data() to authenticated;

-- "Delete my account" (UK GDPR, right to erasure). The account's personal data goes; what
-- the partnership must keep to report on its training stays, without a name on it:
--   * the profile and the sign-in identity keep only their id (now pointing at nobody) and
--     the agency, so anonymous counts by agency stand; name, email and job role go;
--   * bookings for sessions yet to start are cancelled as the person would cancel them
--     (the waiting list moves up); past bookings and their marks stay as anonymous history;
--   * evaluations and follow-ups are unlinked from the person (kept, marked anonymised);
--   * emails sent, device changes, pending requests and staff roles are deleted;
--   * walk-in records under the same email lose the name and email;
--   * the impact facts' key for the person is replaced by a random one, the same on each of
--     their rows, so every count of people in the impact report stays as it was.

-- An email's walk-in places: name and email removed. They were counted under the email's
-- key, apart from any account: one random key, the same on each of them, keeps the counts.
create function public.anonymise_walk_ins(p_email text) returns void
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_key uuid := gen_random_uuid();
begin
  update public.impact_facts set person = v_key where person = public.walk_in_person(p_email, null);
  update public.walk_in_attendees set full_name = 'Name removed', email = null, anonymised = true
  where lower(email) = lower(p_email);
end
$$;

-- Removes one person's personal data, keeping what the partnership reports on without a
-- name on it (see "Delete my account" above). Server-side only: delete_my_account and the
-- retention policy call it.
create function public.anonymise_person(p_user uuid) returns void
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
  delete from public.evaluation_requests where user_id = p_user;
  delete from public.staff_roles where user_id = p_user;
  update public.impact_facts set person = v_key where person = p_user;
  if v_email is not null then
    perform public.anonymise_walk_ins(v_email);
  end if;
end
$$;

-- The caller's own account; nobody else's can be named.
create function public.delete_my_account() returns jsonb
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_booking uuid;
  v_cancelled int := 0;
begin
  if v_uid is null then
    raise exception 'Sign in to delete your account' using errcode = '42501';
  end if;
  if exists (select 1 from public.session_trainers t join public.sessions s on s.id = t.session_id
             where t.trainer_id = v_uid and s.ends_at > now() and s.status = 'scheduled') then
    raise exception 'You are a trainer on sessions still to run'
      using errcode = '55000', hint = 'Ask the training team to give your sessions to another trainer first.';
  end if;

  -- as if they had cancelled each booking themselves: offers go to the waiting list
  for v_booking in
    select b.id from public.bookings b join public.sessions s on s.id = b.session_id
    where b.user_id = v_uid and s.starts_at > now() and b.status not in ('cancelled', 'declined')
  loop
    perform public.cancel_booking(v_booking);
    v_cancelled := v_cancelled + 1;
  end loop;
  perform public.anonymise_person(v_uid);
  return jsonb_build_object('deleted', true, 'bookings_cancelled', v_cancelled);
end
$$;
grant execute on function public.delete_my_account() to authenticated;

-- Retention policy (UK GDPR, storage limitation). After a configurable period the service
-- stops holding personal data it no longer needs:
--   * accounts with nothing since the cutoff — no session booked, waited for or taught that
--     ended after it, no sign-in after it, no staff role — are anonymised exactly as "delete
--     my account" does (anonymise_person);
--   * walk-in records lose their names and emails once all of that email's walk-in places
--     are older than the cutoff (someone still walking in keeps one key until then, so they
--     are counted once);
--   * emails sent, device changes and evaluation requests older than the cutoff are deleted.
-- An active account keeps its own training history (bookings, certificates, evaluations).
-- Every impact figure stands: people are re-keyed as a whole, never split.

create table public.retention_policy (
  id boolean primary key default true check (id),
  keep_personal_data interval not null default interval '6 years'
    check (keep_personal_data >= interval '1 year'),
  updated_at timestamptz not null default now()
);
insert into public.retention_policy default values;
alter table public.retention_policy enable row level security;

create function public.apply_retention(p_now timestamptz default now()) returns jsonb
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

  return jsonb_build_object('cutoff', v_cutoff, 'accounts_anonymised', v_people,
    'walk_in_emails_removed', v_walk_in_emails, 'walk_ins_without_email_anonymised', v_walk_ins,
    'emails_deleted', v_emails, 'device_changes_deleted', v_changes, 'requests_deleted', v_requests);
end
$$;
