-- Messages from a session's trainer to everyone booked (supabase/schemas/09_registers.sql):
-- message_session writes one email per confirmed place through the outbox.

create function public.message_session(p_args jsonb) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_session public.sessions := public.require_register((p_args ->> 'session_id')::uuid);
  v_id uuid;
  v_subject text := public.checked_text(p_args ->> 'subject', 'Subject', 120);
  v_message text := public.checked_text(p_args ->> 'message', 'Message', 2000);
  v_sender text;
  v_title text;
  v_sent int;
begin
  if coalesce(p_args ->> 'id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' then
    raise exception 'A message needs an id (a UUID)' using errcode = '22023', detail = 'id';
  end if;
  v_id := (p_args ->> 'id')::uuid;
  if v_session.status = 'cancelled' then
    return jsonb_build_object('status', 'rejected', 'reason',
      'This session was cancelled, and everyone booked was told.');
  end if;
  select coalesce(p.full_name, 'The trainer') into v_sender from public.profiles p where p.id = auth.uid();
  select c.title into v_title from public.courses c where c.id = v_session.course_id;
  select count(*) into v_sent from (
    select public.notify(b.user_id, 'session_message', v_title || ': ' || v_subject,
      coalesce(v_sender, 'The trainer') || ' has sent this message to everyone booked on this session:'
        || E'\n\n' || v_message
        || E'\n\n' || public.session_summary(v_session.id)
        || case when v_session.join_url is not null then E'\n\nJoin online: ' || v_session.join_url else '' end
        || E'\n\nYour booking: ' || public.course_link(v_session.id),
      'session-message:' || v_id || ':' || b.user_id)
    from public.bookings b where b.session_id = v_session.id and b.status = 'confirmed'
  ) sent;
  return jsonb_build_object('status', 'applied', 'data', jsonb_build_object('sent', v_sent));
end
$$;

grant execute on function public.message_session(jsonb) to authenticated;
