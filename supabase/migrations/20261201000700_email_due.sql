-- Which emails the sender should take is one rule, email_due, used by the claim and by the
-- job that asks for delivery (supabase/schemas/07_notifications.sql, 16_scheduled_jobs.sql).

create function public.email_due(p_email public.notifications) returns boolean
  language sql stable
as $$
  select (p_email.status = 'pending' and p_email.next_attempt_at <= now())
      or (p_email.status = 'sending' and p_email.claimed_at <= now() - interval '10 minutes')
$$;

create or replace function public.claim_emails(p_limit int default 50)
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

create or replace function public.request_email_delivery() returns text
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
