-- The sync push's time, profiled (tests/bench/profile-sync-push.js): half of it went in
-- planning impact_counts_add again at each of its calls (a SQL function called from the
-- facts' triggers), and checked_ratings read the session's outcomes once per rating.
-- impact_counts_add becomes PL/pgSQL, which keeps its plans; checked_ratings reads them once.
-- The other SQL functions each evaluation calls (evaluation_standing, session_outcomes,
-- impact_place_of) become PL/pgSQL for the same reason.

create or replace function public.impact_counts_add(p_new public.impact_facts[], p_old public.impact_facts[]) returns void
  language plpgsql volatile security definer set search_path = ''
as $$
begin
  with d as (
    select 1 as sign, n.* from unnest(p_new) n
    union all
    select -1, o.* from unnest(p_old) o
  ), c as (
    -- a session being deleted is not joined: its counts go with it
    select d.session_id, d.agency_id, sum(d.sign)::int as places,
      sum(d.sign * g.confirmed)::int as confirmed, sum(d.sign * g.attended)::int as attended,
      sum(d.sign * g.no_show)::int as no_shows, sum(d.sign * g.cancellation)::int as cancellations,
      sum(d.sign * g.late_cancellation)::int as late_cancellations,
      sum(d.sign * g.unmet)::int as unmet_demand,
      -- an evaluation counts only from a place attended: a no-show's does not
      coalesce(sum(d.sign) filter (where d.evaluation_id is not null and g.attended = 1), 0)::int as responses,
      coalesce(sum(d.sign) filter (where d.followup_id is not null), 0)::int as followups,
      coalesce(sum(d.sign) filter (where d.followup_applied is not null), 0)::int as followups_answered,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'yes'), 0)::int as applied_yes,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'partly'), 0)::int as applied_partly,
      coalesce(sum(d.sign) filter (where d.followup_applied = 'no'), 0)::int as applied_no
    from d join public.sessions s on s.id = d.session_id
    cross join lateral public.impact_place_flags(d.booking_status, d.waitlisted, d.held_place, d.cancelled_at,
      d.attendance, s.starts_at) g
    group by d.session_id, d.agency_id
  )
  insert into public.impact_place_counts as t (session_id, agency_id, places, confirmed, attended, no_shows,
    cancellations, late_cancellations, unmet_demand, responses, followups, followups_answered, applied_yes,
    applied_partly, applied_no)
  select c.session_id, c.agency_id, c.places, c.confirmed, c.attended, c.no_shows, c.cancellations,
    c.late_cancellations, c.unmet_demand, c.responses, c.followups, c.followups_answered, c.applied_yes,
    c.applied_partly, c.applied_no
  from c
  where (c.places, c.confirmed, c.attended, c.no_shows, c.cancellations, c.late_cancellations, c.unmet_demand,
         c.responses, c.followups, c.followups_answered, c.applied_yes, c.applied_partly, c.applied_no)
        <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  on conflict (session_id, agency_id) do update set
    places = t.places + excluded.places, confirmed = t.confirmed + excluded.confirmed,
    cancellations = t.cancellations + excluded.cancellations,
    attended = t.attended + excluded.attended, no_shows = t.no_shows + excluded.no_shows,
    late_cancellations = t.late_cancellations + excluded.late_cancellations,
    unmet_demand = t.unmet_demand + excluded.unmet_demand, responses = t.responses + excluded.responses,
    followups = t.followups + excluded.followups, followups_answered = t.followups_answered + excluded.followups_answered,
    applied_yes = t.applied_yes + excluded.applied_yes, applied_partly = t.applied_partly + excluded.applied_partly,
    applied_no = t.applied_no + excluded.applied_no;

  with d as (
    select 1 as sign, n.session_id, n.change_sum, n.change_n from unnest(p_new) n
    where n.evaluation_id is not null and n.change_n > 0 and public.impact_attended(n.attendance)
    union all
    select -1, o.session_id, o.change_sum, o.change_n from unnest(p_old) o
    where o.evaluation_id is not null and o.change_n > 0 and public.impact_attended(o.attendance)
  )
  insert into public.impact_session_changes as t (session_id, change_sum, change_n, n)
  select d.session_id, d.change_sum, d.change_n, sum(d.sign)
  from d join public.sessions s on s.id = d.session_id
  group by d.session_id, d.change_sum, d.change_n
  having sum(d.sign) <> 0
  on conflict (session_id, change_sum, change_n) do update set n = t.n + excluded.n;

  -- the sessions' rating totals follow their places: an evaluation's ratings count while its
  -- place is attended (one marked absent later takes them out, one marked present adds them)
  with d as (
    select 1 as sign, n.session_id, n.evaluation_id from unnest(p_new) n
    where n.evaluation_id is not null and public.impact_attended(n.attendance)
    union all
    select -1, o.session_id, o.evaluation_id from unnest(p_old) o
    where o.evaluation_id is not null and public.impact_attended(o.attendance)
  ), r as (
    select d.session_id, rt.outcome_id, rt.after - rt.before as change, sum(d.sign)::int as n,
      sum(d.sign * rt.before)::int as sum_before, sum(d.sign * rt.after)::int as sum_after
    from d join public.sessions s on s.id = d.session_id
    join public.evaluation_ratings rt on rt.evaluation_id = d.evaluation_id
    group by d.session_id, rt.outcome_id, rt.after - rt.before
  )
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select r.session_id, r.outcome_id, r.change, r.n, r.sum_before, r.sum_after from r
  where (r.n, r.sum_before, r.sum_after) <> (0, 0, 0)
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
end
$$;

create or replace function public.checked_ratings(p_session_id uuid, p_ratings jsonb, p_fields text[])
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

create or replace function public.evaluation_standing(p_session_id uuid, p_user_id uuid) returns text
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select case
    when bool_or(public.impact_attended(f.attendance)) then 'attended'
    when bool_or(f.attendance is null and (f.walk_in_id is not null or f.booking_status = 'confirmed'))
         and not exists (select 1 from public.register_closures c where c.session_id = p_session_id)
      then 'undecided'
    when bool_or(f.attendance is not null or f.walk_in_id is not null or f.booking_status = 'confirmed')
      then 'not_attended'
    else 'not_on_register' end
  from public.impact_facts f
  where f.session_id = p_session_id and f.person = p_user_id);
end
$$;

create or replace function public.session_outcomes(p_session_id uuid)
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

create or replace function public.impact_place_of(p_session_id uuid, p_person uuid) returns uuid
  language plpgsql stable set search_path = ''
as $$
begin
  return (
    select x.id from public.impact_facts x
    where x.session_id = p_session_id and x.person = p_person
    order by case when x.booking_id is not null and x.booking_status not in ('cancelled', 'declined') then 0
                  when x.walk_in_id is not null then 1 else 2 end, x.id
    limit 1);
end
$$;

-- A batch of evaluations is applied in one go (submit_evaluations), with one insert for the
-- evaluations and one for their ratings, so the impact triggers run once per batch; any
-- batch it cannot take whole is applied one mutation at a time, as before.
alter table public.sync_mutation_handlers add column batch_handler regprocedure;

create function public.sync_push_batch(p_uid uuid, p_device_id uuid, p_mutations jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_name text;
  v_handler regprocedure;
  v_results jsonb;
begin
  if jsonb_array_length(p_mutations) < 2 then return null; end if;
  select min(m ->> 'name') into v_name from jsonb_array_elements(p_mutations) m
  having count(distinct m ->> 'name') = 1
    and count(distinct m ->> 'id') = count(*)
    and bool_and(jsonb_typeof(m) = 'object'
      and coalesce(m ->> 'id', '') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      and jsonb_typeof(m -> 'seq') = 'number' and (m ->> 'seq') ~ '^[0-9]{1,18}$'
      and jsonb_typeof(m -> 'args') = 'object' and octet_length((m -> 'args')::text) <= 65536);
  if v_name is null then return null; end if;
  select h.batch_handler into v_handler from public.sync_mutation_handlers h where h.name = v_name;
  if v_handler is null then return null; end if;
  if exists (select 1 from jsonb_array_elements(p_mutations) m
             join public.sync_mutations sm on sm.id = (m ->> 'id')::uuid)
     or exists (select 1 from public.sync_ledger_pruned lp cross join jsonb_array_elements(p_mutations) m
                where lp.user_id = p_uid and lp.device_id = p_device_id
                  and (m ->> 'seq')::bigint <= lp.pruned_through_seq) then
    return null;
  end if;
  begin
    execute format('select %s($1)', v_handler::regproc) into v_results
      using (select jsonb_agg(m -> 'args' order by o) from jsonb_array_elements(p_mutations) with ordinality x(m, o));
    if jsonb_typeof(v_results) is distinct from 'array' or jsonb_array_length(v_results) <> jsonb_array_length(p_mutations)
       or exists (select 1 from jsonb_array_elements(v_results) r where r ->> 'status' <> 'applied') then
      raise exception 'The batch handler did not apply every mutation' using errcode = 'P0001';
    end if;
    insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
    select (m ->> 'id')::uuid, p_uid, p_device_id, (m ->> 'seq')::bigint, v_name, v_results -> (o::int - 1), m -> 'args'
    from jsonb_array_elements(p_mutations) with ordinality x(m, o) order by o;
    return (select jsonb_agg(jsonb_build_object('id', (m ->> 'id')::uuid) || (v_results -> (o::int - 1)) order by o)
            from jsonb_array_elements(p_mutations) with ordinality x(m, o));
  exception
    when serialization_failure or deadlock_detected or lock_not_available
      or insufficient_resources or query_canceled then
      raise;
    when others then
      return null; -- undone; one by one instead
  end;
end
$$;

create or replace function public.sync_push(p_device_id uuid, p_mutations jsonb)
  returns jsonb language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_item record;
  v_result jsonb;
  v_results jsonb := '[]'::jsonb;
  v_id uuid;
  v_problem text;
  v_size int;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
begin
  if v_uid is null then
    raise exception 'Sign in to send changes' using errcode = '42501';
  end if;
  if p_device_id is null then
    raise exception 'p_device_id is required' using errcode = '22023';
  end if;
  if jsonb_typeof(p_mutations) is distinct from 'array' then
    raise exception 'p_mutations must be a JSON array' using errcode = '22023';
  end if;
  if jsonb_array_length(p_mutations) > 500 then
    raise exception 'At most 500 mutations per push' using errcode = '22023';
  end if;
  v_size := octet_length(p_mutations::text);
  if v_size > 1048576 then
    raise exception 'This push is too large (% KB; at most 1,024 KB)', v_size / 1024
      using errcode = '54000', hint = 'Send fewer changes at a time.';
  end if;

  v_results := public.sync_push_batch(v_uid, p_device_id, p_mutations);
  if v_results is not null then
    return jsonb_build_object('results', v_results, 'txid', pg_current_xact_id()::text);
  end if;
  v_results := '[]'::jsonb;

  for v_item in select m.value, m.ordinality from jsonb_array_elements(p_mutations) with ordinality m
                order by m.ordinality loop
    v_id := case when jsonb_typeof(v_item.value) = 'object'
                   and coalesce(v_item.value ->> 'id', '') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                 then (v_item.value ->> 'id')::uuid end;
    v_problem := case
      when jsonb_typeof(v_item.value) is distinct from 'object' then 'is not a JSON object'
      when v_id is null then 'needs an id (a UUID)'
      when jsonb_typeof(v_item.value -> 'seq') is distinct from 'number'
           or (v_item.value ->> 'seq') !~ '^[0-9]{1,18}$' then 'needs seq, a whole number from 0'
      when coalesce(v_item.value ->> 'name', '') !~ '^[a-z_]{1,40}\.[a-z_]{1,40}$'
        then 'needs a name of the form feature.action'
      when jsonb_typeof(v_item.value -> 'args') is distinct from 'object' then 'needs args, a JSON object'
      when octet_length((v_item.value -> 'args')::text) > 65536
        then format('is too large (%s KB of args; at most 64 KB)', octet_length((v_item.value -> 'args')::text) / 1024)
    end;
    if v_problem is not null then
      -- a retry of an id already answered gets that answer, as any replay does
      select sm.result into v_result from public.sync_mutations sm where sm.id = v_id and sm.user_id = v_uid;
      if not found then
        v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
          'code', '22023', 'message', format('Mutation %s %s', v_item.ordinality, v_problem),
          'details', null,
          'hint', 'Each mutation needs id (uuid), seq (number), name (feature.action) and args (object).'));
        if v_id is not null then
          begin
            insert into public.sync_mutations (id, user_id, device_id, seq, name, result)
            values (v_id, v_uid, p_device_id, 0,
              case when coalesce(v_item.value ->> 'name', '') ~ '^[a-z_]{1,40}\.[a-z_]{1,40}$'
                   then v_item.value ->> 'name' else 'malformed.mutation' end, v_result);
          exception when unique_violation then
            null; -- the id is another account's: answered, not recorded
          end;
        end if;
      end if;
      v_results := v_results || jsonb_build_array(
        jsonb_build_object('id', v_id, 'index', v_item.ordinality) || v_result);
      continue;
    end if;

    v_result := public.sync_owed_answer(v_uid, p_device_id, v_id,
        (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_item.value -> 'args');
    if v_result is null then
      begin
        v_result := public.apply_mutation(v_item.value ->> 'name', v_item.value -> 'args');
        insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
        values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
          v_item.value -> 'args');
      exception
        when serialization_failure or deadlock_detected or lock_not_available
          or insufficient_resources or query_canceled then
          raise;
        when unique_violation then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
            v_detail = pg_exception_detail, v_hint = pg_exception_hint;
          -- the same mutation pushed twice at once (two tabs, a retry racing its original):
          -- this attempt waited for the other to commit and was undone; it gets the answer
          -- the other recorded, as any replay does
          v_result := public.sync_owed_answer(v_uid, p_device_id, v_id,
            (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_item.value -> 'args');
          if v_result is null then
            v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
              'code', v_state, 'message', v_message,
              'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
            -- the id itself may be taken (by another account): then nothing can be recorded
            begin
              insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
              values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
                v_item.value -> 'args');
            exception when unique_violation then
              v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
                'code', '23505', 'message', 'This mutation id has already been used',
                'details', null, 'hint', 'Generate a new id for each mutation.'));
            end;
          end if;
        when others then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text,
            v_detail = pg_exception_detail, v_hint = pg_exception_hint;
          v_result := jsonb_build_object('status', 'invalid', 'error', jsonb_build_object(
            'code', v_state, 'message', v_message,
            'details', nullif(v_detail, ''), 'hint', nullif(v_hint, '')));
          insert into public.sync_mutations (id, user_id, device_id, seq, name, result, args)
          values (v_id, v_uid, p_device_id, (v_item.value ->> 'seq')::bigint, v_item.value ->> 'name', v_result,
            v_item.value -> 'args');
      end;
    end if;
    v_results := v_results || jsonb_build_array(jsonb_build_object('id', v_id) || v_result);
  end loop;

  -- the push's transaction: a device counts these changes as pulled once a pull's horizon
  -- has passed it
  return jsonb_build_object('results', v_results, 'txid', pg_current_xact_id()::text);
end
$$;

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

update public.sync_mutation_handlers set batch_handler = 'public.submit_evaluations(jsonb)'
where name = 'evaluation.submit';
