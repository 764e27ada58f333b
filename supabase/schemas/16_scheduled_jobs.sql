-- Scheduled jobs, one list. On Supabase, pg_cron runs it (schedule_jobs, applied by the
-- migrations); where pg_cron is absent (the embedded PostgreSQL of the local stand-in) the
-- stand-in reads the same rows and runs them on its own timer (supabase/local/scheduler.js).
-- Schedules are cron syntax in UTC. No API role reads the list.

create table public.scheduled_jobs (
  name text primary key check (name ~ '^[a-z]+(-[a-z]+)*$'),
  schedule text not null check (schedule ~ '^\S+( \S+){4}$'),
  -- one SQL statement, run as the database owner
  command text not null check (command ~ '^select public\.[a-z_]+\(.*\)$'),
  about text not null
);
alter table public.scheduled_jobs enable row level security;

insert into public.scheduled_jobs (name, schedule, command, about) values
  ('expire-offers', '* * * * *', 'select public.expire_offers()',
    'Offered places not accepted in time pass to the next person on the waiting list'),
  ('session-reminders', '*/10 * * * *', 'select public.send_session_reminders()',
    'Reminders with the joining instructions, the day before a session'),
  ('evaluation-reminders', '7 * * * *', 'select public.send_evaluation_reminders()',
    'One reminder for an evaluation still unanswered three days after it was asked for'),
  ('followup-requests', '17 * * * *', 'select public.send_followup_requests()',
    'The follow-up questionnaire, the course''s follow-up weeks after a session'),
  ('refresher-reminders', '40 8 * * *', 'select public.send_refresher_reminders()',
    'One email to renew training that falls due within six weeks (courses to renew every few years)'),
  ('prune-sync-ledger', '25 3 * * *', 'select public.prune_sync_ledger()',
    'Devices'' change answers older than 90 days are forgotten (a device''s highest pruned change is kept)'),
  ('retention', '15 3 * * *', 'select public.apply_retention()',
    'Personal data older than the retention period is anonymised or deleted'),
  ('send-emails', '* * * * *', 'select public.request_email_delivery()',
    'Pending emails go to the sender, which sends them through GOV.UK Notify');

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
  if not exists (select 1 from public.notifications n where public.email_due(n)) then
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

-- Schedules the list with pg_cron, creating the extension where the project offers it.
-- Jobs are named 'hscp-<name>': each is replaced by name, and one no longer listed is
-- unscheduled; other jobs in cron.job are left alone. Says what it did.
create function public.schedule_jobs() returns text
  language plpgsql set search_path = ''
as $$
declare
  v_job public.scheduled_jobs;
begin
  if to_regnamespace('cron') is null then
    if not exists (select 1 from pg_available_extensions where name = 'pg_cron') then
      return 'pg_cron is not available here: nothing scheduled (the local stand-in runs public.scheduled_jobs)';
    end if;
    create extension pg_cron with schema pg_catalog;
  end if;
  perform cron.unschedule(j.jobname) from cron.job j
  where j.jobname like 'hscp-%'
    and substr(j.jobname, 6) not in (select s.name from public.scheduled_jobs s);
  for v_job in select * from public.scheduled_jobs order by name loop
    perform cron.schedule('hscp-' || v_job.name, v_job.schedule, v_job.command);
  end loop;
  return format('%s jobs scheduled with pg_cron', (select count(*) from public.scheduled_jobs));
end
$$;

select public.schedule_jobs();
