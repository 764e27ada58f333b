-- Imports that mark the right people (supabase/schemas/09_registers.sql): the register a
-- device downloads names the session's trainers, so an attendance report's rows for them
-- are left out instead of offered as walk-ins.

create or replace function public.get_register(p_session_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register(p_session_id);
  v_secret bytea;
begin
  insert into public.session_checkin_keys (session_id) values (v_session.id) on conflict do nothing;
  select secret into v_secret from public.session_checkin_keys where session_id = v_session.id;
  return jsonb_build_object(
    'session_id', v_session.id,
    'downloaded_at', now(),
    'checkin_key', encode(v_secret, 'base64'),
    'closed_at', (select closed_at from public.register_closures where session_id = v_session.id),
    -- the session's trainers, so an import never takes their rows in a report for attendees
    'trainers', coalesce((
      select jsonb_agg(jsonb_build_object('full_name', p.full_name, 'email', p.email) order by p.full_name)
      from public.session_trainers t join public.profiles p on p.id = t.trainer_id
      where t.session_id = v_session.id), '[]'),
    -- check-ins that came after their code expired, waiting for a trainer's decision
    'offline_checkins', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', o.id, 'booking_id', o.booking_id, 'walk_in_id', o.walk_in_id, 'status', o.status,
          'shown_at', o.shown_at, 'scanned_at', o.scanned_at, 'received_at', o.received_at)
        order by o.received_at)
      from public.offline_checkins o
      where o.session_id = v_session.id and o.decided_by_mark is null), '[]'),
    'attendees', coalesce((
      select jsonb_agg(jsonb_build_object(
          'booking_id', b.id, 'user_id', b.user_id, 'booking_status', b.status,
          'full_name', coalesce(p.full_name, p.email), 'email', p.email,
          'agency', a.name, 'job_role', p.job_role) order by lower(coalesce(p.full_name, p.email)))
      from public.bookings b
      join public.profiles p on p.id = b.user_id
      left join public.agencies a on a.id = p.agency_id
      where b.session_id = v_session.id
        and (b.status in ('confirmed', 'waitlisted', 'offered', 'requested')
             or exists (select 1 from public.attendance_events e where e.booking_id = b.id))), '[]'),
    'walk_ins', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', w.id, 'session_id', w.session_id, 'full_name', w.full_name, 'email', w.email,
          'agency_id', w.agency_id, 'agency_name', coalesce(w.agency_name, a.name)) order by w.created_at)
      from public.walk_in_attendees w left join public.agencies a on a.id = w.agency_id
      where w.session_id = v_session.id), '[]'),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', e.id, 'session_id', e.session_id, 'booking_id', e.booking_id, 'walk_in_id', e.walk_in_id,
          'status', e.status, 'marked_at', e.marked_at, 'source', e.source, 'device_id', e.device_id,
          'supersedes', to_jsonb(e.supersedes), 'marked_by_name', coalesce(p.full_name, 'Someone'))
        order by e.marked_at)
      from public.attendance_events e left join public.profiles p on p.id = e.marked_by
      where e.session_id = v_session.id), '[]')
  );
end
$$;

