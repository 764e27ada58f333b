-- Staff roles from the admin screen (supabase/schemas/11_admin.sql): admin_grant_role and
-- admin_remove_role, each change recorded in staff_role_changes with who made it; the
-- last admin cannot be removed, and a trainer removed leaves the sessions still to come.

-- Staff roles are granted and removed from the admin screen, never by editing the table:
-- every change is recorded here, with who made it.
create table public.staff_role_changes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.staff_role not null,
  agency_id uuid references public.agencies (id),
  change text not null check (change in ('granted', 'removed', 'agency_changed')),
  changed_by uuid not null references public.profiles (id),
  changed_at timestamptz not null default now()
);
create index staff_role_changes_time_idx on public.staff_role_changes (changed_at desc);
alter table public.staff_role_changes enable row level security;

-- Grants a role to the account with that email: trainer, admin, or agency lead of one
-- agency (granting it again with another agency moves the lead). The person must have
-- signed in once, so their account exists.
create function public.admin_grant_role(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_admin uuid := public.require_admin();
  v_email text := lower(public.checked_text(p_args ->> 'email', 'Email', 320));
  v_role text := p_args ->> 'role';
  v_agency_id uuid;
  v_person public.profiles;
  v_existing public.staff_roles;
begin
  if v_role is null or v_role not in ('trainer', 'agency_lead', 'admin') then
    raise exception 'Choose a role: trainer, agency lead or admin' using errcode = '22023', detail = 'role';
  end if;
  if v_role = 'agency_lead' then
    if coalesce(p_args ->> 'agency_id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
       or not exists (select 1 from public.agencies a where a.id = (p_args ->> 'agency_id')::uuid) then
      raise exception 'Choose the agency they lead' using errcode = '22023', detail = 'agency_id';
    end if;
    v_agency_id := (p_args ->> 'agency_id')::uuid;
  end if;
  select * into v_person from public.profiles p where p.email = v_email;
  if not found then
    raise exception 'No account uses %. Ask them to sign in to HSCP Training once, then try again.', v_email
      using errcode = '22023', detail = 'email';
  end if;
  select * into v_existing from public.staff_roles r
    where r.user_id = v_person.id and r.role = v_role::public.staff_role;
  if found and v_existing.agency_id is not distinct from v_agency_id then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', false));
  end if;
  insert into public.staff_roles (user_id, role, agency_id) values (v_person.id, v_role::public.staff_role, v_agency_id)
  on conflict (user_id, role) do update set agency_id = excluded.agency_id, granted_at = now();
  insert into public.staff_role_changes (user_id, role, agency_id, change, changed_by)
  values (v_person.id, v_role::public.staff_role, v_agency_id,
    case when v_existing.user_id is null then 'granted' else 'agency_changed' end, v_admin);
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', true, 'user_id', v_person.id));
end
$$;

-- Removes a role. A trainer who is no longer one leaves the sessions still to come; the
-- last admin cannot be removed, so the partnership always has one.
create function public.admin_remove_role(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_admin uuid := public.require_admin();
  v_user uuid;
  v_role text := p_args ->> 'role';
  v_existing public.staff_roles;
  v_unassigned int := 0;
begin
  if coalesce(p_args ->> 'user_id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' then
    raise exception 'user_id must be an account id' using errcode = '22023', detail = 'user_id';
  end if;
  v_user := (p_args ->> 'user_id')::uuid;
  if v_role is null or v_role not in ('trainer', 'agency_lead', 'admin') then
    raise exception 'Choose a role: trainer, agency lead or admin' using errcode = '22023', detail = 'role';
  end if;
  select * into v_existing from public.staff_roles r where r.user_id = v_user and r.role = v_role::public.staff_role
    for update;
  if not found then
    return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('changed', false));
  end if;
  if v_role = 'admin' and (select count(*) from public.staff_roles r where r.role = 'admin') <= 1 then
    return jsonb_build_object('status', 'rejected', 'reason',
      'This is the partnership''s only admin. Make someone else an admin first.');
  end if;
  delete from public.staff_roles r where r.user_id = v_user and r.role = v_role::public.staff_role;
  if v_role = 'trainer' then
    with gone as (
      delete from public.session_trainers t using public.sessions s
      where s.id = t.session_id and t.trainer_id = v_user and s.ends_at > now()
      returning 1)
    select count(*) into v_unassigned from gone;
  end if;
  insert into public.staff_role_changes (user_id, role, agency_id, change, changed_by)
  values (v_user, v_role::public.staff_role, v_existing.agency_id, 'removed', v_admin);
  return jsonb_build_object('status', 'applied',
    'data', jsonb_build_object('changed', true, 'sessions_unassigned', v_unassigned));
end
$$;

-- The latest changes to staff roles, for the admin screen: who, what, by whom, when.
create function public.admin_staff_role_changes(p_limit int default 100) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception 'p_limit must be between 1 and 1000' using errcode = '22023';
  end if;
  return coalesce((
    select jsonb_agg(x order by x.changed_at desc) from (
      select c.changed_at, c.change, c.role, a.name as agency,
        coalesce(p.full_name, p.email) as person, p.email,
        coalesce(b.full_name, b.email) as changed_by
      from public.staff_role_changes c
      join public.profiles p on p.id = c.user_id
      join public.profiles b on b.id = c.changed_by
      left join public.agencies a on a.id = c.agency_id
      order by c.changed_at desc limit p_limit) x), '[]');
end
$$;
grant execute on function public.admin_grant_role(jsonb), public.admin_remove_role(jsonb),
  public.admin_staff_role_changes(int) to authenticated;
