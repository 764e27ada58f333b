-- One limit on guessing check-in codes, on every path (supabase/schemas/09_registers.sql,
-- 15_privacy.sql): self_check_in records each code that did not match in checkin_failures
-- and counts them per person and session, instead of counting rejected check-ins in the
-- sync ledger, which a direct call to self_check_in never wrote. The failures go with the
-- account, and the retention job keeps them a day at most.

create table public.checkin_failures (
  user_id uuid not null references public.profiles (id) on delete cascade,
  session_id uuid not null references public.sessions (id) on delete cascade,
  failed_at timestamptz not null default now()
);
create index checkin_failures_idx on public.checkin_failures (user_id, session_id, failed_at);
alter table public.checkin_failures enable row level security;

create or replace function public.self_check_in(p_args jsonb) returns jsonb
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
  -- ten codes that did not match for this session in the last hour, by any path, and no more
  -- are tried (the 6-digit code changes every 30 seconds)
  if (select count(*) from public.checkin_failures f
      where f.user_id = v_uid and f.session_id = v_session.id and f.failed_at > now() - interval '1 hour') >= 10 then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Too many codes that did not match in the last hour. Ask the trainer to mark you on the register.');
  end if;
  if v_code !~ '^[0-9]{6}$' then
    insert into public.checkin_failures (user_id, session_id) values (v_uid, v_session.id);
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
    -- counted, and the person's failures older than the hour the limit looks at are let go
    delete from public.checkin_failures f where f.user_id = v_uid and f.failed_at < now() - interval '1 hour';
    insert into public.checkin_failures (user_id, session_id) values (v_uid, v_session.id);
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


create or replace function public.anonymise_person(p_user uuid) returns void
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
  delete from public.checkin_failures where user_id = p_user;
  delete from public.evaluation_requests where user_id = p_user;
  delete from public.staff_roles where user_id = p_user;
  update public.impact_facts set person = v_key where person = p_user;
  if v_email is not null then
    perform public.anonymise_walk_ins(v_email);
  end if;
end
$$;


create or replace function public.apply_retention(p_now timestamptz default now()) returns jsonb
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
  -- wrong check-in codes matter for an hour (the limit on guessing); kept a day at most
  delete from public.checkin_failures where failed_at < p_now - interval '1 day';

  return jsonb_build_object('cutoff', v_cutoff, 'accounts_anonymised', v_people,
    'walk_in_emails_removed', v_walk_in_emails, 'walk_ins_without_email_anonymised', v_walk_ins,
    'emails_deleted', v_emails, 'device_changes_deleted', v_changes, 'requests_deleted', v_requests);
end
$$;

