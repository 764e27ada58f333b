-- Retention policy (UK GDPR, storage limitation). After a configurable period the service
-- stops holding personal data it no longer needs:
--   * accounts with nothing since the cutoff — no session booked, waited for or taught that
--     ended after it, no sign-in after it, no staff role — are anonymised exactly as "delete
--     my account" does (anonymise_person);
--   * walk-in records lose their names and emails once all of that email's walk-in places
--     are older than the cutoff (someone still walking in keeps one key until then, so they
--     are counted once);
--   * emails sent, device changes and evaluation requests older than the cutoff are deleted.
-- An active account keeps its own training history (bookings, certificates, evaluations).
-- Every impact figure stands: people are re-keyed as a whole, never split.
-- Production runs it daily with pg_cron:
--   select cron.schedule('retention', '15 3 * * *', 'select public.apply_retention()');

create table public.retention_policy (
  id boolean primary key default true check (id),
  keep_personal_data interval not null default interval '6 years'
    check (keep_personal_data >= interval '1 year'),
  updated_at timestamptz not null default now()
);
insert into public.retention_policy default values;
alter table public.retention_policy enable row level security;
revoke all on public.retention_policy from anon, authenticated;

create function public.apply_retention(p_now timestamptz default now()) returns jsonb
  language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_cutoff timestamptz := p_now - (select r.keep_personal_data from public.retention_policy r);
  v_user uuid;
  v_email text;
  v_people int := 0;
  v_walk_in_emails int := 0;
  v_walk_ins int;
  v_emails int;
  v_changes int;
  v_requests int;
begin
  for v_user in
    select p.id from public.profiles p join auth.users u on u.id = p.id
    where p.created_at < v_cutoff
      and p.email not like '%@deleted.invalid'
      and coalesce(u.last_sign_in_at, p.created_at) < v_cutoff
      and not exists (select 1 from public.staff_roles r where r.user_id = p.id)
      and not exists (select 1 from public.bookings b join public.sessions s on s.id = b.session_id
                      where b.user_id = p.id and s.ends_at >= v_cutoff)
      and not exists (select 1 from public.session_trainers t join public.sessions s on s.id = t.session_id
                      where t.trainer_id = p.id and s.ends_at >= v_cutoff)
  loop
    perform public.anonymise_person(v_user);
    v_people := v_people + 1;
  end loop;

  for v_email in
    select lower(w.email) from public.walk_in_attendees w join public.sessions s on s.id = w.session_id
    where w.email is not null group by lower(w.email) having max(s.ends_at) < v_cutoff
  loop
    perform public.anonymise_walk_ins(v_email);
    v_walk_in_emails := v_walk_in_emails + 1;
  end loop;

  update public.walk_in_attendees w set full_name = 'Name removed', email = null, anonymised = true
  from public.sessions s
  where s.id = w.session_id and s.ends_at < v_cutoff and not w.anonymised and w.email is null;
  get diagnostics v_walk_ins = row_count;

  delete from public.notifications where created_at < v_cutoff;
  get diagnostics v_emails = row_count;
  delete from public.sync_mutations where received_at < v_cutoff;
  get diagnostics v_changes = row_count;
  delete from public.evaluation_requests where requested_at < v_cutoff;
  get diagnostics v_requests = row_count;

  return jsonb_build_object('cutoff', v_cutoff, 'accounts_anonymised', v_people,
    'walk_in_emails_removed', v_walk_in_emails, 'walk_ins_without_email_anonymised', v_walk_ins,
    'emails_deleted', v_emails, 'device_changes_deleted', v_changes, 'requests_deleted', v_requests);
end
$$;
