-- The admins' Emails screen (supabase/schemas/07_notifications.sql).

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
