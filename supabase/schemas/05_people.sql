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
