-- Change tracking for sync_pull (DESIGN.md §5.5). Every change to a row a client may hold
-- moves that row's entry in change_log to the changing transaction's id. A pull hands out
-- entries in (txid, seq) order and only those older than the oldest transaction still
-- running, so a transaction that commits late can never be skipped by a cursor.
-- One entry per entity keeps the log as small as the data; deletions and lost access
-- show up as an entry whose row the caller can no longer read, i.e. a tombstone.

create sequence public.change_log_seq;

create table public.change_log (
  entity text not null check (entity ~ '^[a-z_]+$'),
  entity_id uuid not null,
  -- null: the entity is public data (brochure); otherwise only this user's pulls see it
  user_id uuid,
  txid xid8 not null default pg_current_xact_id(),
  seq bigint not null default nextval('public.change_log_seq'),
  primary key (entity, entity_id)
);
create index change_log_cursor_idx on public.change_log (txid, seq);
create index change_log_user_idx on public.change_log (user_id, txid, seq);

create function public.track_change(p_entity text, p_entity_id uuid, p_user_id uuid)
  returns void language sql security definer set search_path = ''
as $$
  insert into public.change_log (entity, entity_id, user_id)
  values (p_entity, p_entity_id, p_user_id)
  on conflict (entity, entity_id) do update
    set user_id = excluded.user_id,
        txid = pg_current_xact_id(),
        seq = nextval('public.change_log_seq');
$$;

create function public.touch_updated_at() returns trigger language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- trigger arguments: entity name, column holding the entity id, column holding the owning
-- user (omitted for public data)
create function public.track_row_change() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_user uuid := case when tg_nargs > 2 then (v_row ->> tg_argv[2])::uuid end;
begin
  perform public.track_change(tg_argv[0], (v_row ->> tg_argv[1])::uuid, v_user);
  -- a row that moved to another owner must also disappear from the old owner's device
  if tg_op = 'UPDATE' and tg_nargs > 2 and (to_jsonb(old) ->> tg_argv[2]) is distinct from (v_row ->> tg_argv[2]) then
    raise exception 'The owner of a % cannot change', tg_argv[0] using errcode = '23514';
  end if;
  return null;
end
$$;

-- Publishing or unpublishing a course changes who may read its outcomes and sessions too.
create function public.track_course_visibility() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform public.track_change('learning_outcome', lo.id, null)
      from public.learning_outcomes lo where lo.course_id = new.id;
    perform public.track_change('session', s.id, null)
      from public.sessions s where s.course_id = new.id;
  end if;
  return null;
end
$$;

create trigger agencies_track after insert or update or delete on public.agencies
  for each row execute function public.track_row_change('agency', 'id');
create trigger courses_track after insert or update or delete on public.courses
  for each row execute function public.track_row_change('course', 'id');
create trigger courses_track_visibility after update on public.courses
  for each row execute function public.track_course_visibility();
create trigger learning_outcomes_track after insert or update or delete on public.learning_outcomes
  for each row execute function public.track_row_change('learning_outcome', 'id');
create trigger sessions_track after insert or update or delete on public.sessions
  for each row execute function public.track_row_change('session', 'id');
create trigger profiles_track after insert or update or delete on public.profiles
  for each row execute function public.track_row_change('profile', 'id', 'id');
-- a user's roles travel as one entity keyed by the user
create trigger staff_roles_track after insert or update or delete on public.staff_roles
  for each row execute function public.track_row_change('staff_roles', 'user_id', 'user_id');
create trigger bookings_track after insert or update or delete on public.bookings
  for each row execute function public.track_row_change('booking', 'id', 'user_id');

create trigger profiles_updated_at before update on public.profiles
  for each row execute function public.touch_updated_at();
create trigger courses_updated_at before update on public.courses
  for each row execute function public.touch_updated_at();
create trigger sessions_updated_at before update on public.sessions
  for each row execute function public.touch_updated_at();
create trigger bookings_updated_at before update on public.bookings
  for each row execute function public.touch_updated_at();

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
