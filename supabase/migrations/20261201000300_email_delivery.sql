-- Emails go out through GOV.UK Notify: the sender's claim and record functions, the
-- columns they keep, and the job that asks the sender to run
-- (supabase/schemas/07_notifications.sql, 16_scheduled_jobs.sql).

alter type public.notification_status add value 'sending' after 'pending';

alter table public.notifications
  add column attempts int not null default 0 check (attempts >= 0),
  add column next_attempt_at timestamptz not null default now(),
  add column claimed_at timestamptz,
  add column notify_id text,
  add constraint notifications_claim_check check ((status::text = 'sending') = (claimed_at is not null));
drop index public.notifications_pending_idx;
create index notifications_due_idx on public.notifications (next_attempt_at)
  where status not in ('sent', 'failed');

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
    where (n.status = 'pending' and n.next_attempt_at <= now())
       or (n.status = 'sending' and n.claimed_at <= now() - interval '10 minutes')
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

-- Asks the email sender (an Edge Function) to send what is due, through pg_net, with the
-- address and shared secret kept in Vault (docs/deploy.md). Without pg_net and Vault (the
-- local stand-in, which delivers to its mailbox) it does nothing and says so.
create function public.request_email_delivery() returns text
  language plpgsql set search_path = ''
as $$
declare
  v_url text;
  v_secret text;
begin
  if to_regnamespace('net') is null or to_regnamespace('vault') is null then
    return 'pg_net or Vault is not installed here: nothing requested';
  end if;
  if not exists (
    select 1 from public.notifications n
    where (n.status = 'pending' and n.next_attempt_at <= now())
       or (n.status = 'sending' and n.claimed_at <= now() - interval '10 minutes')
  ) then
    return 'nothing due';
  end if;
  select s.decrypted_secret into v_url from vault.decrypted_secrets s where s.name = 'email_sender_url';
  select s.decrypted_secret into v_secret from vault.decrypted_secrets s where s.name = 'email_sender_secret';
  if v_url is null or v_secret is null then
    raise exception 'Vault has no email_sender_url or email_sender_secret'
      using hint = 'Add both as docs/deploy.md describes; emails wait in public.notifications.';
  end if;
  perform net.http_post(url := v_url, body := '{}'::jsonb, timeout_milliseconds := 55000,
    headers := jsonb_build_object('content-type', 'application/json', 'x-sender-secret', v_secret));
  return 'delivery requested';
end
$$;

insert into public.scheduled_jobs (name, schedule, command, about) values
  ('send-emails', '* * * * *', 'select public.request_email_delivery()',
    'Pending emails go to the sender, which sends them through GOV.UK Notify');
select public.schedule_jobs();
