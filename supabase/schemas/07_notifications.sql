-- Emails: an outbox that a sender (GOV.UK Notify in production, the mailbox locally)
-- drains. Written only by the functions that decide an email is due; no API role reads it
-- (each person's emails are in their "download my data").

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references public.profiles (id) on delete cascade,
  to_email text not null check (char_length(to_email) between 3 and 320),
  kind text not null check (kind ~ '^[a-z_]+$'),
  subject text not null check (char_length(subject) between 1 and 300),
  body text not null check (char_length(body) <= 20000),
  -- same key twice is the same email: scheduled jobs may run more than once
  dedupe_key text unique,
  status public.notification_status not null default 'pending',
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  -- why it failed, or why the last attempt did not go
  error text,
  -- the sender's attempts, when it may try next, when it claimed it, and Notify's id
  attempts int not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  claimed_at timestamptz,
  notify_id text,
  check ((status = 'sent') = (sent_at is not null)),
  constraint notifications_claim_check check ((status::text = 'sending') = (claimed_at is not null))
);
create index notifications_due_idx on public.notifications (next_attempt_at)
  where status not in ('sent', 'failed');
create index notifications_user_idx on public.notifications (user_id);
alter table public.notifications enable row level security;

create function public.notify(p_user_id uuid, p_kind text, p_subject text, p_body text, p_dedupe text)
  returns void language sql security definer set search_path = ''
as $$
  insert into public.notifications (user_id, to_email, kind, subject, body, dedupe_key)
  select p.id, p.email, p_kind, p_subject, p_body, p_dedupe from public.profiles p where p.id = p_user_id
  on conflict (dedupe_key) do nothing
$$;

-- Where the app is, for the links in emails: set to the static host's address on
-- deployment (docs/deploy.md). One row.
create table public.app_settings (
  id boolean primary key default true check (id),
  app_url text not null default 'http://localhost:5173'
    check (app_url ~ '^https?://[^/?#[:space:]]+$'),
  updated_at timestamptz not null default now(),
  -- how many days before a session its confirmed people are reminded, with how to join
  reminder_days int[] not null default '{7,1}' check (
    cardinality(reminder_days) between 1 and 5 and 1 <= all (reminder_days) and 60 >= all (reminder_days))
);
insert into public.app_settings default values;
alter table public.app_settings enable row level security;

-- A page of the app, as a full address for an email.
create function public.app_link(p_path text) returns text
  language sql stable security definer set search_path = ''
as $$
  select s.app_url || p_path from public.app_settings s
$$;

-- The course page of a session: its dates, the person's booking, the calendar file, the
-- joining link once the place is confirmed, and the buttons to accept or release a place.
create function public.course_link(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select public.app_link('/courses/' || c.slug)
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
$$;

-- The page where the app makes a booking's calendar entry: to add it, to update it after
-- the session has moved, or to take it out of the calendar once the place is cancelled.
-- (GOV.UK Notify cannot attach files.)
create function public.calendar_link(p_booking_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select public.app_link('/calendar/' || p_booking_id)
$$;

-- What an email says about a session: course, date and UK time, venue or online.
create function public.session_summary(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select c.title || E'\n' || public.uk_time(s.starts_at) || ' to '
    || lower(to_char(s.ends_at at time zone 'Europe/London', 'FMHH12:MIam')) || ' (UK time)' || E'\n'
    || coalesce('Venue: ' || s.venue_name || coalesce(', ' || s.venue_address, ''), 'Online')
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
$$;

-- An email the sender should take now: pending and due, or claimed more than ten minutes
-- ago by a sender that never said what happened (in doubt).
create function public.email_due(p_email public.notifications) returns boolean
  language sql stable
as $$
  select (p_email.status = 'pending' and p_email.next_attempt_at <= now())
      or (p_email.status = 'sending' and p_email.claimed_at <= now() - interval '10 minutes')
$$;

-- The email sender's side of the outbox (supabase/functions/send-emails, as service_role;
-- no other API role may call these). An email is claimed before it is sent: a claim older
-- than ten minutes belongs to a sender that died, and the email is handed out again marked
-- in doubt, for the sender to look it up at Notify before sending.
create function public.claim_emails(p_limit int default 50)
  returns table (id uuid, to_email text, subject text, body text, attempts int, in_doubt boolean)
  language plpgsql set search_path = ''
as $$
begin
  if p_limit is null or p_limit not between 1 and 500 then
    raise exception 'p_limit must be between 1 and 500' using errcode = '22023';
  end if;
  return query
  with due as (
    select n.id, n.status = 'sending' as in_doubt from public.notifications n
    where public.email_due(n)
    order by n.next_attempt_at, n.created_at
    limit p_limit
    for update skip locked
  )
  update public.notifications n
    set status = 'sending', claimed_at = now(), attempts = n.attempts + 1
  from due
  where n.id = due.id
  returning n.id, n.to_email, n.subject, n.body, n.attempts, due.in_doubt;
end
$$;

create function public.record_email_sent(p_id uuid, p_notify_id text) returns boolean
  language plpgsql set search_path = ''
as $$
begin
  update public.notifications
    set status = 'sent', sent_at = now(), notify_id = p_notify_id, claimed_at = null, error = null
    where id = p_id and status = 'sending';
  return found;
end
$$;

create function public.record_email_failed(p_id uuid, p_reason text) returns boolean
  language plpgsql set search_path = ''
as $$
begin
  update public.notifications
    set status = 'failed', error = left(coalesce(p_reason, 'No reason given'), 2000), claimed_at = null
    where id = p_id and status = 'sending';
  return found;
end
$$;

create function public.record_email_retry(p_id uuid, p_reason text, p_after_seconds int)
  returns boolean language plpgsql set search_path = ''
as $$
begin
  update public.notifications
    set status = 'pending', claimed_at = null, error = left(p_reason, 2000),
        next_attempt_at = now() + make_interval(secs => greatest(coalesce(p_after_seconds, 60), 0))
    where id = p_id and status = 'sending';
  return found;
end
$$;

-- The admins' Emails screen: how many are pending, being sent, sent and failed, and the
-- newest emails (of one status if given) with what happened to each. Recipients and
-- subjects, not bodies: a body can carry a joining link.
create function public.admin_emails(
  p_status public.notification_status default null, p_limit int default 200
) returns jsonb language plpgsql stable security definer set search_path = ''
as $$
begin
  perform public.require_admin();
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'p_limit must be between 1 and 1000' using errcode = '22023';
  end if;
  return jsonb_build_object(
    'counts', (
      select jsonb_object_agg(s.status, (select count(*) from public.notifications n where n.status = s.status))
      from unnest(enum_range(null::public.notification_status)) s(status)),
    'emails', coalesce((
      select jsonb_agg(to_jsonb(e) order by e.created_at desc, e.id)
      from (
        select n.id, n.to_email, n.kind, n.subject, n.status, n.created_at, n.sent_at, n.error,
          n.attempts, n.next_attempt_at
        from public.notifications n
        where p_status is null or n.status = p_status
        order by n.created_at desc, n.id
        limit p_limit
      ) e), '[]'::jsonb)
  );
end
$$;

-- Sends a failed email again, to the person's address as it is now.
create function public.admin_resend_email(p_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_email public.notifications;
begin
  perform public.require_admin();
  update public.notifications n
    set status = 'pending', error = null, attempts = 0, next_attempt_at = now(), claimed_at = null,
        to_email = coalesce((select p.email from public.profiles p where p.id = n.user_id), n.to_email)
    where n.id = p_id and n.status = 'failed'
    returning * into v_email;
  if not found then
    raise exception 'Only a failed email can be sent again'
      using errcode = '22023', detail = 'Email ' || coalesce(p_id::text, 'null') || ' is not one that failed';
  end if;
  return jsonb_build_object('id', v_email.id, 'status', v_email.status, 'to_email', v_email.to_email);
end
$$;
grant execute on function public.admin_emails(public.notification_status, int),
  public.admin_resend_email(uuid) to authenticated;
