-- Impact facts: one row per place on a register (a booking or a walk-in) with everything
-- the impact report counts — who (a pseudonymous person key), their agency, how the booking
-- ended, how they were marked, and their evaluation and follow-up. Kept up to date by
-- statement-level triggers as bookings, marks, evaluations and follow-ups arrive, so the
-- report reads one narrow table instead of working out each person's attendance from the
-- marks every time (ten years of marks took most of a second to sort).
--
-- The person key is the account id while the account exists (a walk-in's too, when their
-- email is an account's: one person, however they came), a hash of the email for any other
-- walk-in; deleting an account or the retention policy replaces it with a random key, the
-- same on every row of that person, so the report's counts of distinct people stand.

create table public.impact_facts (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.sessions (id) on delete cascade,
  booking_id uuid unique references public.bookings (id) on delete set null,
  walk_in_id uuid unique references public.walk_in_attendees (id) on delete set null,
  person uuid not null,
  agency_id uuid references public.agencies (id) on delete set null,
  booking_status public.booking_status,
  waitlisted boolean not null default false,
  cancelled_at timestamptz,
  attendance public.attendance_status,
  evaluation_id uuid references public.evaluations (id) on delete set null,
  -- the evaluation's total change over its ratings, and how many ratings: a person's mean change
  change_sum int,
  change_n int,
  followup_id uuid references public.followups (id) on delete set null,
  followup_applied public.followup_applied,
  followup_barriers boolean not null default false,
  -- the booking held a confirmed place at some point (bookings.confirmed_at)
  held_place boolean not null default false
);
create index impact_facts_session_idx on public.impact_facts (session_id);
create index impact_facts_person_idx on public.impact_facts (person);
create unique index impact_facts_evaluation_idx on public.impact_facts (evaluation_id);
create unique index impact_facts_followup_idx on public.impact_facts (followup_id);
-- the places whose follow-up named a barrier, which the impact report counts
create index impact_facts_barriers_idx on public.impact_facts (followup_id) where followup_barriers;
create index impact_facts_session_person_idx on public.impact_facts (session_id, person);

-- The triggers below see the rows a statement wrote (usually one: a sync mutation; thousands
-- when the demo history is seeded). The planner cannot size those sets, so the triggers
-- look rows up by index, which is right for one row and fast enough for thousands.

-- Read only through the report's functions: no API role may touch it.
alter table public.impact_facts enable row level security;

create function public.walk_in_person(p_email text, p_id uuid) returns uuid
  language sql immutable set search_path = ''
as $$ select coalesce(md5('walk-in:' || lower(p_email))::uuid, p_id) $$;

create function public.impact_facts_bookings_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, booking_id, person, agency_id, booking_status, waitlisted,
    cancelled_at, held_place)
  select n.session_id, n.id, n.user_id, p.agency_id, n.status, n.waitlisted_at is not null, n.cancelled_at,
    n.confirmed_at is not null
  from new_rows n join public.profiles p on p.id = n.user_id;
  return null;
end
$$;

create function public.impact_facts_bookings_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set booking_status = n.status, waitlisted = n.waitlisted_at is not null, cancelled_at = n.cancelled_at,
    held_place = n.confirmed_at is not null
  from new_rows n
  where f.booking_id = n.id
    and (f.booking_status, f.waitlisted, f.cancelled_at, f.held_place) is distinct from
        (n.status, n.waitlisted_at is not null, n.cancelled_at, n.confirmed_at is not null);
  return null;
end
$$;

create function public.impact_facts_walk_ins_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_facts (session_id, walk_in_id, person, agency_id)
  select n.session_id, n.id, coalesce(p.id, public.walk_in_person(n.email, n.id)), n.agency_id
  from new_rows n left join public.profiles p on p.email = lower(n.email);
  return null;
end
$$;

create function public.impact_facts_marks_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- the mark that counts for the report: the latest a person made; closing the register's
  -- no-show when nobody marked them or the latest mark cleared theirs
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.booking_id) e.booking_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status
               when e.status is null and exists (select 1 from public.attendance_events c
                 where c.booking_id = e.booking_id and c.source = 'closure') then 'absent'::public.attendance_status
               else e.status end as status
        from public.attendance_events e
        where e.booking_id in (select n.booking_id from new_rows n)
        order by e.booking_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.booking_id = m.booking_id and f.attendance is distinct from m.status;
  update public.impact_facts f set attendance = m.status
  from (select distinct on (e.walk_in_id) e.walk_in_id,
          case when e.source = 'closure' then 'absent'::public.attendance_status else e.status end as status
        from public.attendance_events e
        where e.walk_in_id in (select n.walk_in_id from new_rows n)
        order by e.walk_in_id, (e.source = 'closure'), e.marked_at desc, e.id desc) m
  where f.walk_in_id = m.walk_in_id and f.attendance is distinct from m.status;
  return null;
end
$$;

-- An evaluation or follow-up belongs to one place, never to two rows: the person's live
-- booking on the session, else the place they attended as a walk-in (with their account's
-- email), else a booking they cancelled afterwards.
-- (PL/pgSQL for its kept plan: it runs for each evaluation and follow-up written)
create function public.impact_place_of(p_session_id uuid, p_person uuid) returns uuid
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

create function public.impact_facts_evaluations_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set evaluation_id = n.id
  from new_rows n where n.user_id is not null and f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;

create function public.impact_facts_followups_inserted() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_id = n.id, followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n where f.id = public.impact_place_of(n.session_id, n.user_id);
  return null;
end
$$;

-- A follow-up rating carries the end-of-course rating it is compared with (retention), so the
-- report need not look it up among every rating.
create function public.followup_rating_end() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  new.end_rating := (select r.after from public.followups f
    join public.evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
    join public.evaluation_ratings r on r.evaluation_id = e.id and r.outcome_id = new.outcome_id
    where f.id = new.followup_id);
  return new;
end
$$;
create trigger followup_rating_end before insert on public.followup_ratings
  for each row execute function public.followup_rating_end();

-- Per-session totals of ratings (evaluations by booked people and paper forms) and of
-- follow-up ratings against the end-of-course ones. Ratings never change once given, so the
-- totals only grow. Reports over the whole partnership or a trainer's sessions read these;
-- reports narrowed to an agency or a sector count the people's own rows.
create table public.impact_session_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_before int not null,
  sum_after int not null,
  primary key (session_id, outcome_id, change)
);

create table public.impact_session_followup_ratings (
  session_id uuid not null references public.sessions (id) on delete cascade,
  outcome_id uuid not null references public.learning_outcomes (id) on delete cascade,
  change int not null,
  n int not null,
  sum_end int not null,
  sum_now int not null,
  primary key (session_id, outcome_id, change)
);
alter table public.impact_session_ratings enable row level security;
alter table public.impact_session_followup_ratings enable row level security;

create function public.impact_session_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  -- each evaluation's total change, on its place
  update public.impact_facts f set change_sum = c.change_sum, change_n = c.change_n
  from (select r.evaluation_id, sum(r.after - r.before)::int as change_sum, count(*)::int as change_n
        from public.evaluation_ratings r
        where r.evaluation_id in (select n.evaluation_id from new_rows n)
        group by r.evaluation_id) c
  where f.evaluation_id = c.evaluation_id;
  -- and the session's totals: paper forms, and the evaluations of places attended (a place
  -- marked attended later adds its ratings then: impact_counts_add, 13_impact_counts.sql)
  insert into public.impact_session_ratings as t (session_id, outcome_id, change, n, sum_before, sum_after)
  select e.session_id, n.outcome_id, n.after - n.before, count(*), sum(n.before), sum(n.after)
  from new_rows n join public.evaluations e on e.id = n.evaluation_id
  where e.from_paper or exists (select 1 from public.impact_facts f where f.evaluation_id = e.id
                                  and public.impact_attended(f.attendance))
  group by e.session_id, n.outcome_id, n.after - n.before
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_before = t.sum_before + excluded.sum_before, sum_after = t.sum_after + excluded.sum_after;
  return null;
end
$$;

create function public.impact_session_followup_ratings_added() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  insert into public.impact_session_followup_ratings as t (session_id, outcome_id, change, n, sum_end, sum_now)
  select fu.session_id, n.outcome_id, n.now_rating - n.end_rating, count(*), sum(n.end_rating), sum(n.now_rating)
  from new_rows n join public.followups fu on fu.id = n.followup_id
  where n.end_rating is not null and exists (select 1 from public.impact_facts f where f.followup_id = fu.id)
  group by fu.session_id, n.outcome_id, n.now_rating - n.end_rating
  on conflict (session_id, outcome_id, change) do update
    set n = t.n + excluded.n, sum_end = t.sum_end + excluded.sum_end, sum_now = t.sum_now + excluded.sum_now;
  return null;
end
$$;

-- A follow-up's answer, on its place: counted without reading the follow-ups.
create function public.impact_facts_followups_answered() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f
  set followup_applied = n.applied, followup_barriers = n.barriers is not null
  from new_rows n
  where f.followup_id = n.id
    and (f.followup_applied, f.followup_barriers) is distinct from (n.applied, n.barriers is not null);
  return null;
end
$$;

-- A person's agency is the one on their profile: moving agency moves their history with them
-- (as the report did when it read profiles directly).
create function public.impact_facts_profiles_updated() returns trigger
  language plpgsql security definer set search_path = ''
  set enable_hashjoin = off set enable_mergejoin = off set enable_seqscan = off
as $$
begin
  update public.impact_facts f set agency_id = n.agency_id
  from new_rows n join old_rows o on o.id = n.id
  where n.agency_id is distinct from o.agency_id and f.person = n.id and f.booking_id is not null;
  return null;
end
$$;
create trigger impact_facts_bookings_inserted after insert on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_inserted();
create trigger impact_facts_bookings_updated after update on public.bookings
  referencing new table as new_rows for each statement execute function public.impact_facts_bookings_updated();
create trigger impact_facts_walk_ins_inserted after insert on public.walk_in_attendees
  referencing new table as new_rows for each statement execute function public.impact_facts_walk_ins_inserted();
create trigger impact_facts_marks_inserted after insert on public.attendance_events
  referencing new table as new_rows for each statement execute function public.impact_facts_marks_inserted();
create trigger impact_facts_evaluations_inserted after insert on public.evaluations
  referencing new table as new_rows for each statement execute function public.impact_facts_evaluations_inserted();
create trigger impact_facts_followups_answered after update on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_answered();
create trigger impact_session_ratings_added after insert on public.evaluation_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_ratings_added();
create trigger impact_session_followup_ratings_added after insert on public.followup_ratings
  referencing new table as new_rows for each statement execute function public.impact_session_followup_ratings_added();
create trigger impact_facts_followups_inserted after insert on public.followups
  referencing new table as new_rows for each statement execute function public.impact_facts_followups_inserted();
create trigger impact_facts_profiles_updated after update on public.profiles
  referencing old table as old_rows new table as new_rows
  for each statement execute function public.impact_facts_profiles_updated();

-- A walk-in with an account is that account, whichever came first: when an account is made
-- (or takes an email) that walk-ins were recorded with, their places become the account's
-- in the facts, and the places reach the person's devices (My training).
create function public.walk_ins_meet_account() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  update public.impact_facts f set person = new.id
  from public.walk_in_attendees w
  where w.id = f.walk_in_id and lower(w.email) = new.email and f.person <> new.id;
  perform public.track_change('walk_in_place', w.id, array['user:' || new.id])
  from public.walk_in_attendees w where lower(w.email) = new.email;
  return null;
end
$$;
create trigger profiles_meet_walk_ins after insert or update of email on public.profiles
  for each row execute function public.walk_ins_meet_account();
