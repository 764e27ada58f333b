-- Learning-gain evaluations, follow-ups and the results trainers see (issue 6).
--
-- An evaluation is one immutable submission per person per session: for each learning
-- outcome of the course, confidence before the training and now (a retrospective
-- "then-test"), overall usefulness, how it will inform practice. Evaluations collected on
-- paper are entered by the session's trainers or admins, not tied to an account. A
-- follow-up is requested some weeks after the session (the course's followup_weeks) and
-- answered once. Trainers see aggregates, never individual answers with names.

-- Submissions are never edited; only the link to a deleted account may be cleared.
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
  if (to_jsonb(new) - 'user_id' - 'from_paper' - 'reminded_at') is distinct from
     (to_jsonb(old) - 'user_id' - 'from_paper' - 'reminded_at') then
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

-- Rows the sync protocol hands out: bookings now say how the person was marked and
-- whether they have evaluated; a person's own evaluations and follow-ups come with ratings.
create or replace function public.sync_entity_row(p_entity text, p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return case p_entity
    when 'agency' then (select to_jsonb(a) - 'created_at' from public.agencies a where a.id = p_id)
    when 'course' then (select to_jsonb(c) from public.courses c where c.id = p_id)
    when 'learning_outcome' then
      (select to_jsonb(lo) from public.learning_outcomes lo where lo.id = p_id)
    when 'session' then (
      select (to_jsonb(s) - 'join_url')
        || jsonb_build_object('places_taken', a.taken, 'waiting', a.waiting)
      from public.sessions s cross join public.session_availability(s.id) a where s.id = p_id
    )
    when 'profile' then (select to_jsonb(p) from public.profiles p where p.id = p_id)
    when 'staff_roles' then (
      select jsonb_build_object(
        'id', p_id,
        'roles', jsonb_agg(jsonb_build_object('role', r.role, 'agency_id', r.agency_id) order by r.role)
      )
      from public.staff_roles r where r.user_id = p_id
      having count(*) > 0
    )
    when 'booking' then (
      select to_jsonb(b) || jsonb_build_object(
        'join_url', case when b.status = 'confirmed' then s.join_url end,
        'waiting_position', case when b.status = 'waitlisted' then (
          select count(*) from public.bookings w
          where w.session_id = b.session_id and w.status = 'waitlisted'
            and (w.waitlisted_at, w.id) <= (b.waitlisted_at, b.id)) end,
        'attendance', public.attendance_status_of(b.id))
      from public.bookings b left join public.sessions s on s.id = b.session_id where b.id = p_id
    )
    when 'session_assignment' then (
      select jsonb_build_object('id', t.id, 'session_id', t.session_id, 'trainer_id', t.trainer_id,
        'join_url', s.join_url)
      from public.session_trainers t join public.sessions s on s.id = t.session_id where t.id = p_id
    )
    when 'evaluation' then (
      select to_jsonb(e) || jsonb_build_object('ratings', coalesce((
        select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'before', r.before, 'after', r.after))
        from public.evaluation_ratings r where r.evaluation_id = e.id), '[]'))
      from public.evaluations e where e.id = p_id
    )
    when 'followup' then (
      select to_jsonb(f) || jsonb_build_object('ratings', coalesce((
        select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'now', r.now_rating))
        from public.followup_ratings r where r.followup_id = f.id), '[]'))
      from public.followups f where f.id = p_id
    )
  end;
end
$$;

create or replace function public.apply_mutation(p_name text, p_args jsonb)
  returns jsonb language plpgsql security invoker set search_path = ''
as $$
begin
  case p_name
    when 'profile.update' then
      return jsonb_build_object('status', 'applied', 'data', public.update_profile(
        p_args ->> 'full_name', (p_args ->> 'agency_id')::uuid, p_args ->> 'job_role'));
    when 'booking.request' then
      return public.book_session((p_args ->> 'booking_id')::uuid, (p_args ->> 'session_id')::uuid);
    when 'booking.cancel' then
      return public.cancel_booking((p_args ->> 'booking_id')::uuid);
    when 'booking.respond_to_offer' then
      return public.respond_to_offer((p_args ->> 'booking_id')::uuid, (p_args ->> 'accept')::boolean);
    when 'attendance.mark' then
      return public.record_attendance(p_args);
    when 'attendance.add_walk_in' then
      return public.add_walk_in(p_args);
    when 'attendance.check_in' then
      return public.self_check_in(p_args);
    when 'attendance.close_register' then
      return public.close_register(p_args);
    when 'evaluation.submit' then
      return public.submit_evaluation(p_args);
    when 'evaluation.submit_paper' then
      return public.submit_paper_evaluation(p_args);
    when 'followup.submit' then
      return public.submit_followup(p_args);
    else
      raise exception 'Unknown mutation "%"', left(p_name, 60)
        using errcode = '22023', hint = 'The app may be newer or older than the server.';
  end case;
end
$$;

grant execute on function public.submit_evaluation(jsonb), public.submit_paper_evaluation(jsonb),
  public.submit_followup(jsonb), public.session_results(uuid) to authenticated;
grant execute on function public.attendance_status_of(uuid) to anon, authenticated;
