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
-- the paper forms of the sessions an impact report covers
create index evaluations_paper_idx on public.evaluations (session_id) where from_paper;
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
  -- the barriers as the impact report groups them, worked out once when they are written
  barriers_key text generated always as (public.impact_same_text(barriers)) stored,
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
        || 'inform your practice. It takes about three minutes: ' || public.app_link('/evaluate/' || p_session_id)
        || E'\n\nOnce you have sent it, your certificate is in My training: ' || public.app_link('/my-training'),
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
  -- barriers_key is worked out from barriers, after this trigger (null in it)
  if (to_jsonb(new) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised' - 'barriers_key') is distinct from
     (to_jsonb(old) - 'user_id' - 'from_paper' - 'reminded_at' - 'anonymised' - 'barriers_key') then
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
  returns setof public.learning_outcomes language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select lo.* from public.learning_outcomes lo
    join public.sessions s on s.course_id = lo.course_id
    where s.id = p_session_id and (lo.retired_at is null or lo.retired_at > s.starts_at)
    order by lo.position;
end
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
  -- the session's outcomes, read once for all the ratings
  v_outcomes uuid[] := array(select o.id from public.session_outcomes(p_session_id) o);
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
    if not v_outcome = any (v_outcomes) then
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
  v_missing := cardinality(array(select unnest(v_outcomes) except select unnest(v_seen)));
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
  v_standing text;
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
  -- who may evaluate is who is asked and who counts (evaluation_standing): anyone the
  -- register shows attended, or not yet marked on a register still open
  v_standing := public.evaluation_standing(v_session.id, v_uid);
  if v_standing = 'not_on_register' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'Only people booked on this session or marked at it can evaluate it.');
  end if;
  if now() < v_session.starts_at then
    return jsonb_build_object('status', 'rejected', 'reason',
      'You can give your evaluation once the session has started.');
  end if;
  if v_standing = 'not_attended' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'The register shows you did not attend this session, so you cannot evaluate it. If that is wrong, ask the trainer to correct the register.');
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

-- Scheduled: asks everyone the register shows attended (present, late or left early,
-- booked or a walk-in with an account: session_attenders) for their follow-up once the
-- course's follow-up interval has passed since the session. p_now makes the clock
-- controllable.
create function public.send_followup_requests(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_sent int;
begin
  with due as (
    select s.id as session_id, a.person as user_id, c.title
    from public.sessions s
    join public.courses c on c.id = s.course_id
    cross join lateral public.session_attenders(s.id) a(person)
    where s.status = 'scheduled'
      and s.ends_at + make_interval(weeks => c.followup_weeks) <= p_now
      and s.ends_at + make_interval(weeks => c.followup_weeks) > p_now - interval '14 days'
      and not exists (select 1 from public.followups f where f.session_id = s.id and f.user_id = a.person)
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
        || E'\n\nHave you been able to use what you learned? Four short questions: '
        || public.app_link('/follow-up/' || c.session_id),
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
        || E'\n\nIt takes about three minutes: ' || public.app_link('/evaluate/' || d.session_id)
        || E'\n\nOnce you have sent it, your certificate is in My training: ' || public.app_link('/my-training'),
      'evaluation-reminder:' || d.session_id || ':' || d.user_id)
    from due d
  ) sent;
  return v_sent;
end
$$;

-- The smallest group a figure may describe: below it a report gives counts only (the
-- impact report) or nothing beyond how many answered (a trainer's session results), so no
-- figure or comment can be traced to one of a handful of people. The app's MIN_N is the same.
create function public.impact_min_n() returns int
  language sql immutable set search_path = ''
as $$ select 5 $$;

-- A session's evaluation results for its trainers: how many attended and answered, and,
-- once impact_min_n() people have answered, the confidence before and after on each
-- outcome (as distributions of the paired changes, for the app's one learning-gain
-- function), each respondent's mean change, usefulness, and the comments in an order
-- that cannot be matched to who came first. Never a name.
create function public.session_results(p_session_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register(p_session_id);
  v_attended int;
  v_counted uuid[];
  v_responses int;
  v_shown boolean;
begin
  -- the same people as the impact report: those the register shows attended, and the
  -- evaluations that count, theirs and the paper forms (a no-show's never does)
  select count(*) into v_attended from public.impact_facts f
    where f.session_id = v_session.id and public.impact_attended(f.attendance);
  v_counted := array(
    select f.evaluation_id from public.impact_facts f
    where f.session_id = v_session.id and f.evaluation_id is not null and public.impact_attended(f.attendance)
    union
    select e.id from public.evaluations e where e.session_id = v_session.id and e.from_paper);
  v_responses := cardinality(v_counted);
  v_shown := v_responses >= public.impact_min_n();
  return jsonb_build_object(
    'attended', v_attended,
    'responses', v_responses,
    'from_paper', (select count(*) from public.evaluations e where e.id = any (v_counted) and e.from_paper),
    'min_n', public.impact_min_n(),
    'shown', v_shown,
    'overall_mean', case when v_shown then
      (select round(avg(e.overall), 2) from public.evaluations e where e.id = any (v_counted)) end,
    'outcomes', case when v_shown then coalesce((
      select jsonb_agg(jsonb_build_object(
          'outcome_id', o.id, 'position', o.position, 'text', o.text,
          'n', coalesce(r.n, 0), 'sum_before', coalesce(r.sum_before, 0), 'sum_after', coalesce(r.sum_after, 0),
          'changes', coalesce(r.changes, '{}'::jsonb))
        order by o.position)
      from public.session_outcomes(v_session.id) o
      left join lateral (
        select sum(c.n)::int as n, sum(c.sum_before)::int as sum_before, sum(c.sum_after)::int as sum_after,
          jsonb_object_agg(c.change::text, c.n) as changes
        from (select rt.after - rt.before as change, count(*)::int as n,
                sum(rt.before)::int as sum_before, sum(rt.after)::int as sum_after
              from public.evaluation_ratings rt
              where rt.evaluation_id = any (v_counted) and rt.outcome_id = o.id
              group by rt.after - rt.before) c
      ) r on true), '[]') else '[]' end,
    -- each respondent's mean change across the outcomes, as "sum/count": n
    'person_changes', case when v_shown then coalesce((
      select jsonb_object_agg(d.v, d.n) from (
        select c.change_sum::text || '/' || c.change_n::text as v, count(*)::int as n
        from (select sum(rt.after - rt.before) as change_sum, count(*) as change_n
              from public.evaluation_ratings rt where rt.evaluation_id = any (v_counted)
              group by rt.evaluation_id) c
        group by c.change_sum, c.change_n) d), '{}') else '{}' end,
    -- comments in a fixed but meaningless order, so they cannot be matched to who came first
    'practice_changes', case when v_shown then coalesce((
      select jsonb_agg(e.practice_change order by md5(e.id::text)) from public.evaluations e
      where e.id = any (v_counted)), '[]') else '[]' end,
    'comments', case when v_shown then coalesce((
      select jsonb_agg(e.comments order by md5(e.id::text)) from public.evaluations e
      where e.id = any (v_counted) and e.comments is not null), '[]') else '[]' end
  );
end
$$;
grant execute on function public.submit_evaluation(jsonb), public.submit_paper_evaluation(jsonb),
  public.submit_followup(jsonb), public.session_results(uuid) to authenticated;

-- A batch of the caller's own evaluations in one go: the checks of submit_evaluation and
-- insert_evaluation, for every one, then one insert for the evaluations and one for their
-- ratings, so the impact triggers run once per batch rather than once per evaluation. It
-- raises, to have sync_push apply them one by one (each then gets its own answer), for
-- anything but a batch that is all new, valid evaluations the caller may send.
create function public.submit_evaluations(p_items jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'Sign in to send your evaluation' using errcode = '42501';
  end if;
  create temporary table if not exists pg_temp.evaluation_batch (
    ord bigint, id uuid, session_id uuid, overall int, practice_change text, comments text, ratings jsonb
  ) on commit drop;
  truncate pg_temp.evaluation_batch;
  insert into pg_temp.evaluation_batch
  select x.ord, (x.a ->> 'id')::uuid, (x.a ->> 'session_id')::uuid,
    public.checked_score(x.a -> 'overall', 'overall'),
    public.checked_text(x.a ->> 'practice_change', 'How the training will inform your practice', 5000),
    public.checked_text(x.a ->> 'comments', 'Comments', 5000, false),
    x.a -> 'ratings'
  from jsonb_array_elements(p_items) with ordinality x(a, ord);
  if exists (
    select 1 from pg_temp.evaluation_batch b
    left join public.sessions s on s.id = b.session_id
    where b.id is null or s.id is null or now() < s.starts_at
      or public.evaluation_standing(s.id, v_uid) in ('not_on_register', 'not_attended')
      or exists (select 1 from public.evaluations e where e.id = b.id)
      or exists (select 1 from public.evaluations e where e.session_id = b.session_id and e.user_id = v_uid))
    or exists (select 1 from pg_temp.evaluation_batch b group by b.session_id having count(*) > 1)
    or exists (select 1 from pg_temp.evaluation_batch b group by b.id having count(*) > 1)
  then
    raise exception 'This batch needs its evaluations one by one' using errcode = 'P0001';
  end if;
  insert into public.evaluations (id, session_id, user_id, entered_by, from_paper, overall, practice_change, comments)
  select b.id, b.session_id, v_uid, null, false, b.overall, b.practice_change, b.comments
  from pg_temp.evaluation_batch b order by b.ord;
  insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
  select b.id, r.outcome_id, r.first_rating, r.second_rating
  from pg_temp.evaluation_batch b
  cross join lateral public.checked_ratings(b.session_id, b.ratings, array['before', 'after']) r
  order by b.ord;
  return (select jsonb_agg(jsonb_build_object('status', 'applied', 'data', jsonb_build_object('id', b.id))
    order by b.ord) from pg_temp.evaluation_batch b);
end
$$;

insert into public.sync_mutation_handlers (name, handler, batch_handler) values
  ('evaluation.submit', 'public.submit_evaluation(jsonb)', 'public.submit_evaluations(jsonb)');
insert into public.sync_mutation_handlers (name, handler) values
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
  -- not the barriers' key: it is the impact report's, worked out from the barriers
  select (to_jsonb(f) - 'barriers_key') || jsonb_build_object('ratings', coalesce((
    select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'now', r.now_rating))
    from public.followup_ratings r where r.followup_id = f.id), '[]'))
  from public.followups f where f.id = p_id
$$;
grant execute on function public.evaluation_sync_row(uuid), public.followup_sync_row(uuid)
  to authenticated;
insert into public.sync_entities (entity, row_function) values
  ('evaluation', 'public.evaluation_sync_row(uuid)'),
  ('followup', 'public.followup_sync_row(uuid)');

-- Checking a certificate, for anyone (an employer need not sign in): for a reference that is
-- earned (marked present or late, evaluation sent, session not cancelled, name on the
-- account) the name, course, date and learning time; for any other, nothing. A reference
-- that cannot be one is refused with a message saying what one looks like. References are
-- 60 random bits, so they cannot be found by trying.
create function public.verify_certificate(p_reference text) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_ref text := public.normalised_certificate_ref(p_reference);
begin
  if v_ref is null then
    raise exception 'A certificate reference is 12 letters and numbers, like 7K3M-Q9XD-2RTA'
      using errcode = '22023', detail = 'reference';
  end if;
  return (
    select jsonb_build_object('reference', v_ref, 'name', x.full_name, 'course', c.title,
      'starts_at', s.starts_at, 'learning_minutes', c.duration_minutes)
    from (
      select b.session_id, p.full_name, p.id as user_id, public.attendance_status_of(b.id) as attendance
      from public.bookings b join public.profiles p on p.id = b.user_id
      where b.certificate_ref = v_ref
      union all
      select w.session_id, p.full_name, p.id, public.walk_in_attendance_status(w.id)
      from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
      where w.certificate_ref = v_ref and not w.anonymised
    ) x
    join public.sessions s on s.id = x.session_id
    join public.courses c on c.id = s.course_id
    where x.attendance in ('present', 'late') and s.status <> 'cancelled' and x.full_name is not null
      and exists (select 1 from public.evaluations e where e.session_id = x.session_id and e.user_id = x.user_id)
    limit 1
  );
end
$$;
grant execute on function public.verify_certificate(text) to anon, authenticated;

-- The training record: the sessions a person attended, booked or as a walk-in with their
-- email. Attended is present, late or left early, as in the impact figures; a session the
-- partnership cancelled is no one's training.
create function public.attended_sessions(p_user uuid)
  returns table (user_id uuid, session_id uuid, attendance public.attendance_status, certificate_ref text)
  language sql stable security definer set search_path = ''
as $$
  select distinct on (x.user_id, x.session_id) x.user_id, x.session_id, x.attendance, x.certificate_ref
  from (
    select b.user_id, b.session_id, public.attendance_status_of(b.id) as attendance, b.certificate_ref
    from public.bookings b where b.user_id = p_user
    union all
    select p.id, w.session_id, public.walk_in_attendance_status(w.id), w.certificate_ref
    from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where p.id = p_user and not w.anonymised
  ) x
  join public.sessions s on s.id = x.session_id
  where x.attendance in ('present', 'late', 'left_early') and s.status <> 'cancelled'
  order by x.user_id, x.session_id, x.attendance
$$;

-- When training must be renewed: the UK date it was last completed (present or late; leaving
-- early does not complete it) plus the course's renewal years.
create function public.renewal_due_on(p_completed_at timestamptz, p_renew_years int) returns date
  language sql immutable set search_path = ''
as $$
  select ((p_completed_at at time zone 'Europe/London')::date
    + make_interval(years => p_renew_years))::date
$$;

-- A person's record as the app shows it: every attended session with the learning time it
-- counts (the course's length when completed, none when they left early), the certificate
-- when it has been earned (as verify_certificate decides), and each course to renew with
-- its due date and any place booked to renew it. For the person's own page and their
-- agency lead's; no API role calls it directly.
create function public.training_record_of(p_user uuid) returns jsonb
  language sql stable security definer set search_path = ''
as $$
  with attended as (
    select a.session_id, a.attendance, a.attendance in ('present', 'late') as completed,
      s.starts_at, s.ends_at, c.id as course_id, c.title, c.slug, c.format, c.duration_minutes,
      c.renew_years, c.status = 'published' as published,
      (select min(e.submitted_at) from public.evaluations e
       where e.session_id = a.session_id and e.user_id = p_user) as evaluated_at,
      a.certificate_ref
    from public.attended_sessions(p_user) a
    join public.sessions s on s.id = a.session_id
    join public.courses c on c.id = s.course_id
  ), renewals as (
    select distinct on (t.course_id) t.course_id, t.title, t.slug, t.published, t.renew_years,
      t.starts_at as completed_at, public.renewal_due_on(t.starts_at, t.renew_years) as due_on
    from attended t where t.completed and t.renew_years is not null
    order by t.course_id, t.starts_at desc
  )
  select jsonb_build_object(
    'name', p.full_name,
    'agency', ag.name,
    'sessions', coalesce((
      select jsonb_agg(jsonb_build_object(
        'session_id', t.session_id, 'course_id', t.course_id, 'course', t.title, 'slug', t.slug,
        'published', t.published, 'format', t.format, 'starts_at', t.starts_at, 'ends_at', t.ends_at,
        'attendance', t.attendance,
        'learning_minutes', case when t.completed then t.duration_minutes else 0 end,
        'evaluated', t.evaluated_at is not null,
        'certificate', case when t.completed and t.evaluated_at is not null and p.full_name is not null
          then jsonb_build_object('reference', t.certificate_ref, 'issued_at', t.evaluated_at,
            'outcomes', coalesce((
              select jsonb_agg(lo.text order by lo.position) from public.learning_outcomes lo
              where lo.course_id = t.course_id and (lo.retired_at is null or lo.retired_at > t.starts_at)),
              '[]'::jsonb)) end)
        order by t.starts_at desc)
      from attended t), '[]'::jsonb),
    'renewals', coalesce((
      select jsonb_agg(jsonb_build_object(
        'course_id', r.course_id, 'course', r.title, 'slug', r.slug, 'published', r.published,
        'renew_years', r.renew_years, 'completed_at', r.completed_at, 'due_on', r.due_on,
        'booked_starts_at', (
          select min(s.starts_at) from public.bookings b join public.sessions s on s.id = b.session_id
          where b.user_id = p_user and s.course_id = r.course_id and s.status = 'scheduled'
            and s.starts_at > now() and b.status in ('confirmed', 'waitlisted', 'offered')))
        order by r.due_on)
      from renewals r), '[]'::jsonb))
  from public.profiles p left join public.agencies ag on ag.id = p.agency_id
  where p.id = p_user
$$;

-- The caller's own training record.
create function public.my_training_record() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Sign in to see your training record' using errcode = '42501';
  end if;
  return public.training_record_of(auth.uid());
end
$$;
grant execute on function public.my_training_record() to authenticated;

-- Training to renew: one email to each person whose training falls due within six weeks,
-- or fell due in the last 90 days (a course given a renewal period after the fact does not
-- email everyone who ever took it), unless they already have a place on a later session
-- of the course. The due date is in the key: renewing it makes a new due date and so a
-- new reminder in time.
create function public.send_refresher_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_today date := (p_now at time zone 'Europe/London')::date;
  v_count int;
begin
  -- only sessions whose completion falls due in the window are looked at; one that a later
  -- completion has renewed is left out below
  with renewing as (
    select s.id, s.course_id, s.starts_at, c.renew_years
    from public.sessions s join public.courses c on c.id = s.course_id
    where c.renew_years is not null and s.status <> 'cancelled' and s.starts_at <= p_now
      and public.renewal_due_on(s.starts_at, c.renew_years) between v_today - 90 and v_today + 42
  ), completed as (
    select distinct on (x.user_id, r.course_id) x.user_id, r.course_id, r.starts_at
    from (
      select b.user_id, b.session_id, public.attendance_status_of(b.id) as attendance
      from public.bookings b where b.session_id in (select id from renewing)
      union all
      select p.id, w.session_id, public.walk_in_attendance_status(w.id)
      from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
      where w.session_id in (select id from renewing) and not w.anonymised
    ) x join renewing r on r.id = x.session_id
    where x.attendance in ('present', 'late')
    order by x.user_id, r.course_id, r.starts_at desc
  ), due as (
    select d.user_id, c.id as course_id, c.title, c.slug, c.status, c.renew_years, d.starts_at,
      public.renewal_due_on(d.starts_at, c.renew_years) as due_on
    from completed d join public.courses c on c.id = d.course_id
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'refresher_due',
      'Time to renew: ' || d.title,
      'Your ' || d.title || ' training '
        || case when d.due_on < v_today then 'was due for renewal on ' else 'is due for renewal by ' end
        || to_char(d.due_on, 'FMDD FMMonth YYYY') || '. You last completed it on '
        || to_char(d.starts_at at time zone 'Europe/London', 'FMDD FMMonth YYYY')
        || ', and it is renewed every ' || d.renew_years
        || case when d.renew_years = 1 then ' year.' else ' years.' end
        || E'\n\n' || case when d.status = 'published'
          then 'Book a place: ' || public.app_link('/courses/' || d.slug)
          else 'The partnership will publish new dates: see the brochure at ' || public.app_link('/') end
        || E'\n\nYour training record: ' || public.app_link('/my-training/record'),
      'refresher:' || d.user_id || ':' || d.course_id || ':' || d.due_on)
    from due d join public.profiles p on p.id = d.user_id
    where d.due_on between v_today - 90 and v_today + 42
      and p.email not like '%@deleted.invalid'
      and not exists (
        select 1 from public.attended_sessions(d.user_id) a join public.sessions s on s.id = a.session_id
        where s.course_id = d.course_id and s.starts_at > d.starts_at and a.attendance in ('present', 'late'))
      and not exists (
        select 1 from public.bookings b join public.sessions s on s.id = b.session_id
        where b.user_id = d.user_id and s.course_id = d.course_id and s.status = 'scheduled'
          and s.starts_at > p_now and b.status in ('confirmed', 'waitlisted', 'offered'))
  ) sent;
  return v_count;
end
$$;
