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

alter table public.evaluations add column anonymised boolean not null default false;
alter table public.evaluations drop constraint evaluations_check;
alter table public.evaluations add constraint evaluations_person_check
  check (case when from_paper then user_id is null else (user_id is null) = anonymised end);
alter table public.followups add column anonymised boolean not null default false;
alter table public.followups alter column user_id drop not null;
alter table public.followups add constraint followups_person_check check ((user_id is null) = anonymised);
alter table public.walk_in_attendees alter column email drop not null;
alter table public.walk_in_attendees add column anonymised boolean not null default false;

-- Finding one person's rows (their download, their deletion, the retention policy)
create index evaluations_user_idx on public.evaluations (user_id) where user_id is not null;
create index followups_user_idx on public.followups (user_id) where user_id is not null;
create index notifications_user_idx on public.notifications (user_id);
create index evaluation_requests_user_idx on public.evaluation_requests (user_id);
create index walk_in_attendees_email_idx on public.walk_in_attendees (lower(email)) where email is not null;

-- Submitted answers never change, except to be unlinked from a person.
create or replace function public.forbid_submission_change() returns trigger
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
-- name on it (see the top of this file). Server-side only: delete_my_account and the
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
