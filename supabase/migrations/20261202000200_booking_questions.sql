-- Questions at booking: a course may ask up to 5 (access needs, reasonable adjustments),
-- answered when booking, seen by the person, the session's trainers and admins only, and
-- removed when the booking is given up or 14 days after the session.

-- A course's questions at booking: at most 5, each 5 to 300 characters.
create function public.booking_questions_valid(p_questions text[]) returns boolean
  language sql immutable set search_path = ''
as $$
  select cardinality(p_questions) <= 5
    and coalesce((select bool_and(char_length(q) between 5 and 300) from unnest(p_questions) q), true)
$$;

alter table public.courses add column booking_questions text[] not null default '{}'
  check (public.booking_questions_valid(booking_questions));

-- Answers to a course's booking questions (access needs, reasonable adjustments), given
-- with the booking. The person, the session's trainers and admins see them, in the
-- booking's row and on the register (booking_answers_of); no API role reads the table.
-- They go when the booking is given up and, by the retention job, 14 days after the
-- session, and the copy in the devices' change ledger goes with them.
create table public.booking_answers (
  booking_id uuid primary key references public.bookings (id) on delete cascade,
  session_id uuid not null references public.sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- [{question, answer}]: the question as it was asked
  answers jsonb not null check (jsonb_typeof(answers) = 'array' and jsonb_array_length(answers) between 1 and 5),
  answered_at timestamptz not null default now()
);
create index booking_answers_session_idx on public.booking_answers (session_id);
create index booking_answers_user_idx on public.booking_answers (user_id);
alter table public.booking_answers enable row level security;
-- the booking's row carries its answers: a change to them is a change to the booking
create trigger booking_answers_track after insert or update or delete on public.booking_answers
  for each row execute function public.track_row_change(
    'booking', 'booking_id', 'user:user_id', 'session:session_id', 'admin');

create function public.forget_booking_answers_sent() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  -- a booking request sent again is answered from the ledger's stored result (args null)
  update public.sync_mutations m set args = null
  from old_rows o
  where m.user_id = o.user_id and m.name = 'booking.request' and m.args is not null
    and m.args ->> 'booking_id' = o.booking_id::text;
  return null;
end
$$;
create trigger booking_answers_forget_sent after delete on public.booking_answers
  referencing old table as old_rows for each statement execute function public.forget_booking_answers_sent();

-- A booking's answers, for someone who may see the booking: its owner, the session's
-- trainers, an admin.
create function public.booking_answers_of(p_booking_id uuid) returns jsonb
  language sql stable security definer set search_path = ''
as $$
  select a.answers from public.booking_answers a join public.bookings b on b.id = a.booking_id
  where a.booking_id = p_booking_id
    and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin'))
$$;
grant execute on function public.booking_answers_of(uuid) to authenticated;

-- Answers as a device sends them: a list of {question, answer}, blank answers left out.
-- Null when there are none; a clear error for anything else.
create function public.checked_booking_answers(p_answers jsonb) returns jsonb
  language plpgsql immutable set search_path = ''
as $$
declare
  v_item jsonb;
  v_out jsonb := '[]';
begin
  if p_answers is null or p_answers = 'null'::jsonb then return null; end if;
  if jsonb_typeof(p_answers) <> 'array' or jsonb_array_length(p_answers) > 5 then
    raise exception 'Answers must be a list of at most 5' using errcode = '22023', detail = 'answers';
  end if;
  for v_item in select * from jsonb_array_elements(p_answers) loop
    if jsonb_typeof(v_item -> 'question') is distinct from 'string'
       or jsonb_typeof(v_item -> 'answer') is distinct from 'string' then
      raise exception 'Each answer needs its question and the answer, as text' using errcode = '22023', detail = 'answers';
    end if;
    if trim(v_item ->> 'answer') = '' then continue; end if;
    v_out := v_out || jsonb_build_object(
      'question', public.checked_text(v_item ->> 'question', 'Question', 300),
      'answer', public.checked_text(trim(v_item ->> 'answer'), 'Answer', 1000));
  end loop;
  return nullif(v_out, '[]'::jsonb);
end
$$;

-- Giving up a booking gives up its answers: they were for that place.
create function public.drop_booking_answers() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  delete from public.booking_answers where booking_id = new.id;
  return null;
end
$$;
create trigger bookings_drop_answers after update of status on public.bookings
  for each row when (new.status in ('cancelled', 'declined'))
  execute function public.drop_booking_answers();

create or replace function public.admin_save_course(p_course jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_course public.courses;
  v_id uuid := coalesce((p_course ->> 'id')::uuid, gen_random_uuid());
  v_title text := public.checked_text(p_course ->> 'title', 'Title', 200);
  v_slug text := coalesce(nullif(p_course ->> 'slug', ''),
    trim(both '-' from regexp_replace(lower(v_title), '[^a-z0-9]+', '-', 'g')));
  -- training that must be renewed: every 1 to 10 years; empty when it need not be
  v_renew text := nullif(p_course ->> 'renew_years', '');
  v_questions text[];
begin
  perform public.require_admin();
  if jsonb_typeof(p_course -> 'themes') is distinct from 'array' or jsonb_array_length(p_course -> 'themes') = 0 then
    raise exception 'Choose at least one theme' using errcode = '22023', detail = 'Themes';
  end if;
  if coalesce((p_course ->> 'duration_minutes')::int, 0) not between 15 and 2880 then
    raise exception 'Duration must be between 15 minutes and 2 days' using errcode = '22023', detail = 'Duration';
  end if;
  if v_renew !~ '^([1-9]|10)$' then
    raise exception 'Renewal must be every 1 to 10 years, or left empty' using errcode = '22023', detail = 'Renew every';
  end if;
  if p_course ? 'booking_questions' and jsonb_typeof(p_course -> 'booking_questions') not in ('array', 'null') then
    raise exception 'Booking questions must be a list' using errcode = '22023', detail = 'Booking questions';
  end if;
  v_questions := array(select trim(q) from jsonb_array_elements_text(
    coalesce(nullif(p_course -> 'booking_questions', 'null'::jsonb), '[]')) with ordinality x(q, n)
    where trim(q) <> '' order by n);
  if cardinality(v_questions) > 5 then
    raise exception 'Ask at most 5 questions at booking' using errcode = '22023', detail = 'Booking questions';
  end if;
  if not public.booking_questions_valid(v_questions) then
    raise exception 'Each booking question must be 5 to 300 characters' using errcode = '22023', detail = 'Booking questions';
  end if;
  insert into public.courses as c (id, slug, title, summary, description, audience, level, format,
    duration_minutes, themes, series, elearning_url, followup_weeks, renew_years, booking_questions)
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
    coalesce((p_course ->> 'followup_weeks')::int, 12),
    v_renew::int, v_questions)
  on conflict (id) do update set
    slug = excluded.slug, title = excluded.title, summary = excluded.summary,
    description = excluded.description, audience = excluded.audience, level = excluded.level,
    format = excluded.format, duration_minutes = excluded.duration_minutes, themes = excluded.themes,
    series = excluded.series, elearning_url = excluded.elearning_url,
    followup_weeks = excluded.followup_weeks, renew_years = excluded.renew_years,
    booking_questions = excluded.booking_questions
  returning * into v_course;
  return to_jsonb(v_course);
end
$$;

create or replace function public.booking_request_mutation(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  -- checked first: answers that cannot be kept refuse the request rather than being lost
  v_answers jsonb := public.checked_booking_answers(p_args -> 'answers');
  v_result jsonb := public.book_session((p_args ->> 'booking_id')::uuid, (p_args ->> 'session_id')::uuid);
begin
  if v_result ->> 'status' = 'applied' and v_answers is not null then
    insert into public.booking_answers (booking_id, session_id, user_id, answers)
    values ((v_result -> 'data' ->> 'id')::uuid, (v_result -> 'data' ->> 'session_id')::uuid, auth.uid(), v_answers);
  end if;
  return v_result;
end
$$;

create or replace function public.booking_sync_row(p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return (
    select to_jsonb(b) || jsonb_build_object(
      'join_url', case when b.status = 'confirmed' then public.session_join_url(b.session_id) end,
      'waiting_position', public.waiting_list_position(b.id),
      'attendance', public.booking_attendance(b.id),
      'checkin_awaiting', public.booking_checkin_awaiting(b.id),
      'answers', public.booking_answers_of(b.id))
    from public.bookings b where b.id = p_id
  );
end
$$;

create or replace function public.get_register(p_session_id uuid) returns jsonb
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
    -- the session's trainers, so an import never takes their rows in a report for attendees
    'trainers', coalesce((
      select jsonb_agg(jsonb_build_object('full_name', p.full_name, 'email', p.email) order by p.full_name)
      from public.session_trainers t join public.profiles p on p.id = t.trainer_id
      where t.session_id = v_session.id), '[]'),
    -- check-ins that came after their code expired, waiting for a trainer's decision
    'offline_checkins', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', o.id, 'booking_id', o.booking_id, 'walk_in_id', o.walk_in_id, 'status', o.status,
          'shown_at', o.shown_at, 'scanned_at', o.scanned_at, 'received_at', o.received_at)
        order by o.received_at)
      from public.offline_checkins o
      where o.session_id = v_session.id and o.decided_by_mark is null), '[]'),
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object(
          'booking_id', b.id, 'user_id', b.user_id, 'booking_status', b.status,
          'full_name', coalesce(p.full_name, p.email), 'email', p.email,
          'agency', a.name, 'job_role', p.job_role,
          'answers', (select ba.answers from public.booking_answers ba where ba.booking_id = b.id))
        order by lower(coalesce(p.full_name, p.email)))
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

create or replace function public.my_data() returns jsonb
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
