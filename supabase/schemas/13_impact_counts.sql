-- Impact counts, kept as the facts change, so the report reads the places only to count
-- distinct people.
--
-- * impact_place_counts: per session and agency, how many places were confirmed, attended,
--   not attended, given up (and how many late), left waiting, evaluated and followed up. Kept by
--   statement-level triggers on the facts, which add each statement's change (new rows
--   minus old rows) with an upsert, so concurrent writers to one session add up rather
--   than overwrite each other. A late cancellation depends on the session's start, so
--   moving a session adds the difference too.
-- * impact_session_changes: per session, how many respondents had each mean change
--   across the outcomes (as sum and count). Reports over the partnership or a trainer's
--   sessions read it; reports narrowed to an agency or a sector count people's own rows.
--
-- Ten years of the partnership (63,000 places) make 11,500 rows of counts and 5,900 of
-- changes. The report reads those, the attended places once for the distinct people, and
-- the per-session ratings it already read.

create table public.impact_place_counts (
  session_id uuid not null references public.sessions (id) on delete cascade,
  -- no reference: a derived count, moved to "no agency" with its places if one is deleted
  agency_id uuid,
  places int not null default 0,
  confirmed int not null default 0,
  attended int not null default 0,
  no_shows int not null default 0,
  late_cancellations int not null default 0,
  unmet_demand int not null default 0,
  responses int not null default 0,
  followups int not null default 0,
  followups_answered int not null default 0,
  applied_yes int not null default 0,
  applied_partly int not null default 0,
  applied_no int not null default 0,
  cancellations int not null default 0
);
create unique index impact_place_counts_key on public.impact_place_counts (session_id, agency_id) nulls not distinct;

create table public.impact_session_changes (
  session_id uuid not null references public.sessions (id) on delete cascade,
  change_sum int not null,
  change_n int not null,
  n int not null,
  primary key (session_id, change_sum, change_n)
);
alter table public.impact_place_counts enable row level security;
alter table public.impact_session_changes enable row level security;

-- What one place counts for, given its session's start: the report's definitions, stated
-- once here and in words in docs/impact-definitions.md.
--   confirmed: the booking holds a confirmed place (not cancelled, declined or waiting)
--   attended: marked present, late or left early (a booking or a walk-in)
--   no_show: a confirmed place marked absent, or not marked when the register closed
--   cancellation: a place that was confirmed and then given up; late if less than 48 hours
--     before the start
--   unmet: waited for a place and never had one, and did not attend
-- Attended: marked present, late or left early. No SET: it inlines where it is used.
create function public.impact_attended(p_attendance public.attendance_status) returns boolean
  language sql immutable
as $$ select coalesce(p_attendance in ('present', 'late', 'left_early'), false) $$;

-- Where a person stands for a session's evaluation: the one rule for who is asked to
-- evaluate, who may submit and whose evaluation counts, read from the same facts as the
-- impact report, so the three never disagree.
--   attended         the register shows them present, late or left early, on their booking
--                    or as a walk-in with their account's email: asked, may submit, counts;
--   undecided        a confirmed place or a walk-in nobody has marked, on a register not yet
--                    closed: may submit (people evaluate as the session ends), and it counts
--                    once they are marked as attending, never if they are marked absent;
--   not_attended     marked absent or as sending apologies, or unmarked when it closed;
--   not_on_register  no place on the session.
create function public.evaluation_standing(p_session_id uuid, p_user_id uuid) returns text
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

-- The accounts the register shows attended a session: who is asked to evaluate it.
create function public.session_attenders(p_session_id uuid) returns setof uuid
  language sql stable security definer set search_path = ''
as $$
  select distinct f.person from public.impact_facts f
  where f.session_id = p_session_id and public.impact_attended(f.attendance)
    and exists (select 1 from public.profiles p where p.id = f.person)
$$;

create function public.impact_place_flags(
  p_booking_status public.booking_status, p_waitlisted boolean, p_held_place boolean,
  p_cancelled_at timestamptz, p_attendance public.attendance_status, p_starts_at timestamptz,
  out confirmed int, out attended int, out no_show int, out cancellation int,
  out late_cancellation int, out unmet int)
  -- no SET: it inlines into the queries that read the places (impact_places)
  language sql immutable
as $$
  select coalesce(p_booking_status = 'confirmed', false)::int,
    public.impact_attended(p_attendance)::int,
    coalesce(p_booking_status = 'confirmed' and p_attendance = 'absent', false)::int,
    coalesce(p_booking_status = 'cancelled' and p_held_place, false)::int,
    coalesce(p_booking_status = 'cancelled' and p_held_place
             and p_cancelled_at > p_starts_at - interval '48 hours', false)::int,
    coalesce(p_waitlisted and not p_held_place
             and p_booking_status in ('waitlisted', 'declined', 'cancelled', 'offered')
             and p_attendance is null, false)::int
$$;

-- Adds a statement's change to the counts: the places it wrote (new) count +1, the places
-- as they were (old) -1; an update is both, and what it did not change cancels out.
-- PL/pgSQL, not SQL: it runs from a trigger for every statement that writes the facts, and
-- PL/pgSQL keeps the statement's plan for the session where a SQL function is planned
-- again at each call (measured: most of a sync push's time, tests/bench/profile-sync-push.js).
create function public.impact_counts_add(p_new public.impact_facts[], p_old public.impact_facts[]) returns void
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

-- Transition tables need one trigger per event: an INSERT has no old rows, a DELETE no new ones.
create function public.impact_counts_inserted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), '{}');
  return null;
end
$$;

create function public.impact_counts_updated() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add(array(select n::public.impact_facts from new_rows n), array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;

create function public.impact_counts_deleted() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  perform public.impact_counts_add('{}', array(select o::public.impact_facts from old_rows o));
  return null;
end
$$;
create trigger impact_counts_inserted after insert on public.impact_facts
  referencing new table as new_rows for each statement execute function public.impact_counts_inserted();
create trigger impact_counts_updated after update on public.impact_facts
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_updated();
create trigger impact_counts_deleted after delete on public.impact_facts
  referencing old table as old_rows for each statement execute function public.impact_counts_deleted();

-- Moving a session moves the line for a late cancellation (48 hours before it starts).
create function public.impact_counts_session_moved() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.impact_place_counts as t (session_id, agency_id, late_cancellations)
  select f.session_id, f.agency_id, sum(moved.late_cancellation - was.late_cancellation)
  from new_rows n join old_rows o on o.id = n.id
  join public.impact_facts f on f.session_id = n.id
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, n.starts_at) moved
  cross join lateral public.impact_place_flags(f.booking_status, f.waitlisted, f.held_place, f.cancelled_at,
    f.attendance, o.starts_at) was
  where n.starts_at is distinct from o.starts_at and f.booking_status = 'cancelled'
  group by f.session_id, f.agency_id
  having sum(moved.late_cancellation - was.late_cancellation) <> 0
  on conflict (session_id, agency_id) do update set late_cancellations = t.late_cancellations + excluded.late_cancellations;
  return null;
end
$$;
create trigger impact_counts_session_moved after update on public.sessions
  referencing old table as old_rows new table as new_rows for each statement execute function public.impact_counts_session_moved();
