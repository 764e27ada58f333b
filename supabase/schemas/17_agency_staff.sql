-- Booking for staff: an agency's safeguarding lead books and releases places for named
-- colleagues in the agency they lead (each colleague is emailed, with who did it), and sees
-- their training records and who is due a refresher. Called directly: these need a
-- connection. The lead is auth.uid(); a colleague is anyone whose profile is in the agency
-- the lead leads (led_agency, 14_impact_report.sql), deleted accounts aside.

-- The agency the caller leads, or a refusal.
create function public.require_agency_lead() returns uuid
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.led_agency();
begin
  if auth.uid() is null or v_agency is null then
    raise exception 'Booking for staff is for agency safeguarding leads' using errcode = '42501';
  end if;
  return v_agency;
end
$$;

-- A colleague of the caller's, or a refusal that says nothing about anyone outside the agency.
create function public.require_colleague(p_user_id uuid) returns public.profiles
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.require_agency_lead();
  v_person public.profiles;
begin
  select * into v_person from public.profiles p
  where p.id = p_user_id and p.agency_id = v_agency and p.email not like '%@deleted.invalid';
  if not found then
    raise exception 'That person is not in the agency you lead' using errcode = '42501';
  end if;
  return v_person;
end
$$;

-- The lead's agency and its staff: for each, what they attended, learning time, training to
-- renew and their places still to come.
create function public.agency_staff() returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_agency uuid := public.require_agency_lead();
begin
  return jsonb_build_object(
    'agency', (select a.name from public.agencies a where a.id = v_agency),
    'staff', coalesce((
      select jsonb_agg(jsonb_build_object(
          'user_id', p.id, 'full_name', p.full_name, 'email', p.email, 'job_role', p.job_role,
          'attended', jsonb_array_length(r.record -> 'sessions'),
          'learning_minutes', (select coalesce(sum((x ->> 'learning_minutes')::int), 0)
                               from jsonb_array_elements(r.record -> 'sessions') x),
          'renewals', r.record -> 'renewals',
          'bookings', coalesce((
            select jsonb_agg(jsonb_build_object('booking_id', b.id, 'session_id', s.id, 'course', c.title,
                'starts_at', s.starts_at, 'status', b.status, 'booked_by_lead', b.booked_by is not null)
              order by s.starts_at)
            from public.bookings b join public.sessions s on s.id = b.session_id
            join public.courses c on c.id = s.course_id
            where b.user_id = p.id and s.status = 'scheduled' and s.ends_at > now()
              and b.status in ('requested', 'confirmed', 'waitlisted', 'offered')), '[]'::jsonb))
        order by lower(coalesce(p.full_name, p.email)))
      from public.profiles p
      cross join lateral (select public.training_record_of(p.id) as record) r
      where p.agency_id = v_agency and p.email not like '%@deleted.invalid'), '[]'::jsonb));
end
$$;

-- A colleague's training record, as they see it themselves.
create function public.staff_training_record(p_user_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  perform public.require_colleague(p_user_id);
  return public.training_record_of(p_user_id);
end
$$;

-- Books a place for a colleague, by the same rules as their own booking; they are emailed,
-- with who booked it. The same booking id twice is answered as before, not booked twice.
create function public.book_for_colleague(p_user_id uuid, p_session_id uuid, p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_existing public.bookings;
begin
  perform public.require_colleague(p_user_id);
  if p_booking_id is null or p_session_id is null then
    raise exception 'p_booking_id and p_session_id are required' using errcode = '22023';
  end if;
  select * into v_existing from public.bookings where id = p_booking_id;
  if found then
    if v_existing.user_id = p_user_id and v_existing.session_id = p_session_id then
      return jsonb_build_object('status', 'applied', 'data', to_jsonb(v_existing));
    end if;
    raise exception 'Booking % is another booking', p_booking_id using errcode = '23505';
  end if;
  return public.place_booking(p_booking_id, p_session_id, p_user_id, auth.uid());
end
$$;

-- Releases a colleague's place, or takes them off a waiting list; they are emailed.
create function public.release_for_colleague(p_booking_id uuid) returns jsonb
  language plpgsql security definer set search_path = ''
as $$
declare
  v_booking public.bookings;
begin
  select * into v_booking from public.bookings where id = p_booking_id;
  if not found then
    raise exception 'Booking % does not exist', p_booking_id using errcode = '22023';
  end if;
  perform public.require_colleague(v_booking.user_id);
  -- session first, then the booking, as every booking change locks them
  perform 1 from public.sessions where id = v_booking.session_id for update;
  select * into v_booking from public.bookings where id = p_booking_id for update;
  return public.release_place(v_booking, auth.uid());
end
$$;

grant execute on function public.agency_staff(), public.staff_training_record(uuid),
  public.book_for_colleague(uuid, uuid, uuid), public.release_for_colleague(uuid) to authenticated;
