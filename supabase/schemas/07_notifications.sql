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
  error text,
  check ((status = 'sent') = (sent_at is not null))
);
create index notifications_pending_idx on public.notifications (created_at) where status = 'pending';
create index notifications_user_idx on public.notifications (user_id);
alter table public.notifications enable row level security;

create function public.notify(p_user_id uuid, p_kind text, p_subject text, p_body text, p_dedupe text)
  returns void language sql security definer set search_path = ''
as $$
  insert into public.notifications (user_id, to_email, kind, subject, body, dedupe_key)
  select p.id, p.email, p_kind, p_subject, p_body, p_dedupe from public.profiles p where p.id = p_user_id
  on conflict (dedupe_key) do nothing
$$;

-- What an email says about a session: course, time, place.
create function public.session_summary(p_session_id uuid) returns text
  language sql stable security definer set search_path = ''
as $$
  select c.title || E'\n' || public.uk_time(s.starts_at) || ' to '
    || lower(to_char(s.ends_at at time zone 'Europe/London', 'FMHH12:MIam')) || E'\n'
    || coalesce(s.venue_name || ', ' || coalesce(s.venue_address, ''), 'Online')
  from public.sessions s join public.courses c on c.id = s.course_id where s.id = p_session_id
$$;
