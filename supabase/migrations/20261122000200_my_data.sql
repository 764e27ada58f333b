-- "Download my data" (UK GDPR, right of access): everything the service holds about the
-- caller, as one JSON document. The caller comes from auth.uid(), never from an argument.
create function public.my_data() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_email text;
begin
  if v_uid is null then
    raise exception 'Sign in to download your data' using errcode = '42501';
  end if;
  select p.email into v_email from public.profiles p where p.id = v_uid;
  return jsonb_build_object(
    'about', 'Everything HSCP Training holds about you, as of this moment. Dates and times are UTC.',
    'generated_at', now(),
    'account', (select to_jsonb(u) from (
        select au.id, au.email, au.created_at, au.last_sign_in_at from auth.users au where au.id = v_uid) u),
    'profile', (select jsonb_build_object('email', p.email, 'full_name', p.full_name, 'job_role', p.job_role,
        'agency', a.name, 'created_at', p.created_at, 'updated_at', p.updated_at)
      from public.profiles p left join public.agencies a on a.id = p.agency_id where p.id = v_uid),
    'staff_roles', coalesce((select jsonb_agg(jsonb_build_object('role', r.role, 'agency', a.name,
        'granted_at', r.granted_at) order by r.granted_at)
      from public.staff_roles r left join public.agencies a on a.id = r.agency_id where r.user_id = v_uid), '[]'),
    'bookings', coalesce((select jsonb_agg(jsonb_build_object('id', b.id, 'course', c.title,
        'session_starts', s.starts_at, 'status', b.status, 'booked_at', b.created_at, 'waitlisted_at', b.waitlisted_at,
        'offer_expires_at', b.offer_expires_at, 'cancelled_at', b.cancelled_at,
        'attendance_marks', coalesce((select jsonb_agg(jsonb_build_object('status', m.status, 'source', m.source,
            'marked_at', m.marked_at) order by m.marked_at) from public.attendance_events m where m.booking_id = b.id), '[]'))
        order by s.starts_at)
      from public.bookings b join public.sessions s on s.id = b.session_id join public.courses c on c.id = s.course_id
      where b.user_id = v_uid), '[]'),
    'walk_ins', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'full_name', w.full_name, 'email', w.email, 'agency', coalesce(a.name, w.agency_name), 'added_at', w.created_at)
        order by w.created_at)
      from public.walk_in_attendees w join public.sessions s on s.id = w.session_id
      join public.courses c on c.id = s.course_id left join public.agencies a on a.id = w.agency_id
      where v_email is not null and lower(w.email) = lower(v_email)), '[]'),
    'sessions_taught', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at)
        order by s.starts_at)
      from public.session_trainers t join public.sessions s on s.id = t.session_id
      join public.courses c on c.id = s.course_id where t.trainer_id = v_uid), '[]'),
    'evaluations', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'submitted_at', e.submitted_at, 'usefulness', e.overall, 'practice_change', e.practice_change,
        'comments', e.comments,
        'ratings', coalesce((select jsonb_agg(jsonb_build_object('outcome', lo.text, 'before', r.before, 'after', r.after)
            order by lo.position) from public.evaluation_ratings r
            join public.learning_outcomes lo on lo.id = r.outcome_id where r.evaluation_id = e.id), '[]'))
        order by s.starts_at)
      from public.evaluations e join public.sessions s on s.id = e.session_id join public.courses c on c.id = s.course_id
      where e.user_id = v_uid), '[]'),
    'evaluation_requests', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'requested_at', q.requested_at, 'reminded_at', q.reminded_at) order by q.requested_at)
      from public.evaluation_requests q join public.sessions s on s.id = q.session_id
      join public.courses c on c.id = s.course_id where q.user_id = v_uid), '[]'),
    'followups', coalesce((select jsonb_agg(jsonb_build_object('course', c.title, 'session_starts', s.starts_at,
        'requested_at', f.requested_at, 'reminded_at', f.reminded_at, 'submitted_at', f.submitted_at,
        'applied', f.applied, 'example', f.example, 'barriers', f.barriers,
        'ratings', coalesce((select jsonb_agg(jsonb_build_object('outcome', lo.text, 'now', r.now_rating)
            order by lo.position) from public.followup_ratings r
            join public.learning_outcomes lo on lo.id = r.outcome_id where r.followup_id = f.id), '[]'))
        order by f.requested_at)
      from public.followups f join public.sessions s on s.id = f.session_id join public.courses c on c.id = s.course_id
      where f.user_id = v_uid), '[]'),
    'emails', coalesce((select jsonb_agg(jsonb_build_object('to', n.to_email, 'kind', n.kind, 'subject', n.subject,
        'body', n.body, 'status', n.status, 'created_at', n.created_at, 'sent_at', n.sent_at) order by n.created_at)
      from public.notifications n where n.user_id = v_uid), '[]'),
    'changes_sent_from_devices', coalesce((select jsonb_agg(jsonb_build_object('device', m.device_id, 'name', m.name,
        'received_at', m.received_at, 'result', m.result) order by m.received_at)
      from public.sync_mutations m where m.user_id = v_uid), '[]'));
end
$$;
grant execute on function public.my_data() to authenticated;
