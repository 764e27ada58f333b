-- Reminders 7 days and 1 day before a session, the days set in app_settings.reminder_days
-- (supabase/schemas/07_notifications.sql, 08_bookings.sql).

alter table public.app_settings
  add column reminder_days int[] not null default '{7,1}' check (
    cardinality(reminder_days) between 1 and 5 and 1 <= all (reminder_days) and 60 >= all (reminder_days));

drop function public.send_session_reminders();
create function public.send_session_reminders(p_now timestamptz default now()) returns int
  language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  with offsets as (
    select d from public.app_settings s cross join unnest(s.reminder_days) d
  ), due as (
    select distinct on (b.id) b.id, b.user_id, s.id as session_id, s.join_url, c.title, o.d
    from public.bookings b
    join public.sessions s on s.id = b.session_id
    join public.courses c on c.id = s.course_id
    cross join offsets o
    where b.status = 'confirmed' and s.status = 'scheduled'
      and s.starts_at > p_now and s.starts_at - make_interval(days => o.d) <= p_now
      and (b.created_at < s.starts_at - make_interval(days => o.d) or o.d = (select min(d) from offsets))
    order by b.id, o.d
  )
  select count(*) into v_count from (
    select public.notify(d.user_id, 'reminder',
      case when d.d = 1 then 'Tomorrow: ' else 'In ' || d.d || ' days: ' end || d.title,
      'A reminder of your training.' || E'\n\n' || public.session_summary(d.session_id)
        || case when d.join_url is not null then E'\n\nJoin online: ' || d.join_url else '' end
        || E'\n\nYour booking, a calendar file, or to release your place: ' || public.course_link(d.session_id),
      'reminder:' || d.id || ':' || d.d)
    from due d
  ) sent;
  return v_count;
end
$$;
