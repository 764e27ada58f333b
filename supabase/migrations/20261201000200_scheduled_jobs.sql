-- Scheduled jobs, defined once (supabase/schemas/16_scheduled_jobs.sql).

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
  ('retention', '15 3 * * *', 'select public.apply_retention()',
    'Personal data older than the retention period is anonymised or deleted');

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
