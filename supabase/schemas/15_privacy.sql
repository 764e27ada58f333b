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
        'answers_at_booking', (select ba.answers from public.booking_answers ba where ba.booking_id = b.id),
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
  delete from public.checkin_failures where user_id = p_user;
  delete from public.offline_checkins where user_id = p_user;
  delete from public.evaluation_requests where user_id = p_user;
  delete from public.staff_roles where user_id = p_user;
  delete from public.booking_answers where user_id = p_user;
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
--   * emails sent, device changes and evaluation requests older than the cutoff are deleted;
--   * answers given at booking (access needs) are deleted 14 days after their session.
-- An active account keeps its own training history (bookings, certificates, evaluations).
-- Every impact figure stands: people are re-keyed as a whole, never split. It runs daily
-- (the 'retention' job, 16_scheduled_jobs.sql).

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
  v_answers int;
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
  -- an offline check-in serves its register; the trainer's mark is what is kept
  delete from public.offline_checkins o using public.sessions s
    where s.id = o.session_id and s.ends_at < v_cutoff;
  -- answers at booking (access needs) serve the session: kept 14 days after it
  delete from public.booking_answers a using public.sessions s
    where s.id = a.session_id and s.ends_at < p_now - interval '14 days';
  get diagnostics v_answers = row_count;

  return jsonb_build_object('cutoff', v_cutoff, 'accounts_anonymised', v_people,
    'walk_in_emails_removed', v_walk_in_emails, 'walk_ins_without_email_anonymised', v_walk_ins,
    'emails_deleted', v_emails, 'device_changes_deleted', v_changes, 'requests_deleted', v_requests,
    'booking_answers_deleted', v_answers);
end
$$;
