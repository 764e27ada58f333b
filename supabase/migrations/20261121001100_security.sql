-- Security hardening (issue 8), found by the schema-generated security matrix.
--
-- attendance_status_of(booking) runs as its owner (a booker cannot read the marks on their
-- own booking) and was executable by every API role: anyone holding a booking's id could
-- learn whether that person attended. The API now gets booking_attendance, which answers
-- only for a booking the caller may see (their own, a session they teach, or as an admin);
-- attendance_status_of stays for the server's own functions.

create function public.booking_attendance(p_booking_id uuid) returns public.attendance_status
  language sql stable security definer set search_path = ''
as $$
  select public.attendance_status_of(b.id) from public.bookings b
  where b.id = p_booking_id
    and (b.user_id = auth.uid() or public.teaches_session(b.session_id) or public.has_staff_role('admin'))
$$;

create or replace function public.sync_entity_row(p_entity text, p_id uuid) returns jsonb
  language plpgsql stable security invoker set search_path = ''
as $$
begin
  return case p_entity
    when 'agency' then (select to_jsonb(a) - 'created_at' from public.agencies a where a.id = p_id)
    when 'course' then (select to_jsonb(c) from public.courses c where c.id = p_id)
    when 'learning_outcome' then
      (select to_jsonb(lo) from public.learning_outcomes lo where lo.id = p_id)
    when 'session' then (
      select (to_jsonb(s) - 'join_url')
        || jsonb_build_object('places_taken', a.taken, 'waiting', a.waiting)
      from public.sessions s cross join public.session_availability(s.id) a where s.id = p_id
    )
    when 'profile' then (select to_jsonb(p) from public.profiles p where p.id = p_id)
    when 'staff_roles' then (
      select jsonb_build_object(
        'id', p_id,
        'roles', jsonb_agg(jsonb_build_object('role', r.role, 'agency_id', r.agency_id) order by r.role)
      )
      from public.staff_roles r where r.user_id = p_id
      having count(*) > 0
    )
    when 'booking' then (
      select to_jsonb(b) || jsonb_build_object(
        'join_url', case when b.status = 'confirmed' then s.join_url end,
        'waiting_position', case when b.status = 'waitlisted' then (
          select count(*) from public.bookings w
          where w.session_id = b.session_id and w.status = 'waitlisted'
            and (w.waitlisted_at, w.id) <= (b.waitlisted_at, b.id)) end,
        'attendance', public.booking_attendance(b.id))
      from public.bookings b left join public.sessions s on s.id = b.session_id where b.id = p_id
    )
    when 'session_assignment' then (
      select jsonb_build_object('id', t.id, 'session_id', t.session_id, 'trainer_id', t.trainer_id,
        'join_url', s.join_url)
      from public.session_trainers t join public.sessions s on s.id = t.session_id where t.id = p_id
    )
    when 'evaluation' then (
      select to_jsonb(e) || jsonb_build_object('ratings', coalesce((
        select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'before', r.before, 'after', r.after))
        from public.evaluation_ratings r where r.evaluation_id = e.id), '[]'))
      from public.evaluations e where e.id = p_id
    )
    when 'followup' then (
      select to_jsonb(f) || jsonb_build_object('ratings', coalesce((
        select jsonb_agg(jsonb_build_object('outcome_id', r.outcome_id, 'now', r.now_rating))
        from public.followup_ratings r where r.followup_id = f.id), '[]'))
      from public.followups f where f.id = p_id
    )
  end;
end
$$;

revoke execute on function public.attendance_status_of(uuid) from anon, authenticated;
grant execute on function public.booking_attendance(uuid) to anon, authenticated;
