-- Change tracking for sync_pull (DESIGN.md §5.5). Every change to a row a client may hold
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

create trigger agencies_track after insert or update or delete on public.agencies
  for each row execute function public.track_row_change('agency', 'id', 'public');
create trigger courses_track after insert or update or delete on public.courses
  for each row execute function public.track_row_change('course', 'id', 'public');
create trigger courses_track_visibility after update on public.courses
  for each row execute function public.track_course_visibility();
create trigger learning_outcomes_track after insert or update or delete on public.learning_outcomes
  for each row execute function public.track_row_change('learning_outcome', 'id', 'public');
create trigger sessions_track after insert or update or delete on public.sessions
  for each row execute function public.track_row_change('session', 'id', 'public');
create trigger profiles_track after insert or update or delete on public.profiles
  for each row execute function public.track_row_change('profile', 'id', 'user:id', 'admin');
-- a user's roles travel as one entity keyed by the user
create trigger staff_roles_track after insert or update or delete on public.staff_roles
  for each row execute function public.track_row_change('staff_roles', 'user_id', 'user:user_id', 'admin');
create trigger session_trainers_track after insert or update or delete on public.session_trainers
  for each row execute function public.track_row_change(
    'session_assignment', 'id', 'user:trainer_id', 'admin');
create trigger session_trainers_access after insert or delete on public.session_trainers
  for each row execute function public.track_trainer_access();
create trigger bookings_track after insert or update or delete on public.bookings
  for each row execute function public.track_row_change(
    'booking', 'id', 'user:user_id', 'session:session_id', 'admin');

create function public.touch_updated_at() returns trigger language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

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
