-- Certificates an employer can check: every booking and walk-in place carries a random
-- reference from the start (existing ones get theirs here), printed on the certificate,
-- and verify_certificate answers for it, to anyone, once the certificate is earned.

-- A certificate's reference: 12 characters of Crockford's base32 (no I, L, O or U, so it
-- reads back unambiguously), 60 random bits, shown as XXXX-XXXX-XXXX. Every booking and
-- walk-in place has one from the start, so a device can print the certificate offline;
-- verify_certificate (10_evaluations.sql) answers for it only once it is earned.
create function public.new_certificate_ref() returns text
  language sql volatile set search_path = ''
as $$
  select substr(r, 1, 4) || '-' || substr(r, 5, 4) || '-' || substr(r, 9, 4)
  from (
    select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(b.bytes, i) % 32 + 1, 1), ''
                      order by i) as r
    from (select extensions.gen_random_bytes(12) as bytes) b, generate_series(0, 11) i
  ) x
$$;

-- A reference as someone typed it: any case, with or without spaces and hyphens, O read as
-- 0 and I or L as 1. Null when it cannot be a reference at all.
create function public.normalised_certificate_ref(p_value text) returns text
  language sql immutable set search_path = ''
as $$
  select case when v ~ '^[0-9A-HJKMNP-TV-Z]{12}$'
    then substr(v, 1, 4) || '-' || substr(v, 5, 4) || '-' || substr(v, 9, 4) end
  from (select translate(upper(regexp_replace(coalesce(left(p_value, 64), ''), '[\s-]', '', 'g')), 'OIL', '011') as v) x
$$;

alter table public.bookings add column certificate_ref text not null default public.new_certificate_ref();
create unique index bookings_certificate_ref_idx on public.bookings (certificate_ref);
alter table public.walk_in_attendees add column certificate_ref text not null default public.new_certificate_ref();
create unique index walk_in_attendees_certificate_ref_idx on public.walk_in_attendees (certificate_ref);

-- The caller's place at a session as a walk-in, shaped like a booking so My training shows
-- it with the evaluation, certificate and follow-up; nothing for anyone else's.
create or replace function public.walk_in_place_sync_row(p_id uuid) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'id', w.id, 'session_id', w.session_id, 'user_id', p.id, 'status', 'confirmed',
      'waitlisted_at', null, 'offer_expires_at', null, 'created_at', w.created_at,
      'cancelled_at', null, 'join_url', null, 'waiting_position', null, 'walk_in', true,
      'attendance', public.walk_in_attendance_status(w.id),
      'certificate_ref', w.certificate_ref,
      'checkin_awaiting', exists (select 1 from public.offline_checkins o
                                  where o.walk_in_id = w.id and o.decided_by_mark is null))
    from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
    where w.id = p_id and p.id = auth.uid() and not w.anonymised
  );
end
$$;

-- Checking a certificate, for anyone (an employer need not sign in): for a reference that is
-- earned (marked present or late, evaluation sent, session not cancelled, name on the
-- account) the name, course, date and learning time; for any other, nothing. A reference
-- that cannot be one is refused with a message saying what one looks like. References are
-- 60 random bits, so they cannot be found by trying.
create function public.verify_certificate(p_reference text) returns jsonb
  language plpgsql stable security definer set search_path = ''
as $$
declare
  v_ref text := public.normalised_certificate_ref(p_reference);
begin
  if v_ref is null then
    raise exception 'A certificate reference is 12 letters and numbers, like 7K3M-Q9XD-2RTA'
      using errcode = '22023', detail = 'reference';
  end if;
  return (
    select jsonb_build_object('reference', v_ref, 'name', x.full_name, 'course', c.title,
      'starts_at', s.starts_at, 'learning_minutes', c.duration_minutes)
    from (
      select b.session_id, p.full_name, p.id as user_id, public.attendance_status_of(b.id) as attendance
      from public.bookings b join public.profiles p on p.id = b.user_id
      where b.certificate_ref = v_ref
      union all
      select w.session_id, p.full_name, p.id, public.walk_in_attendance_status(w.id)
      from public.walk_in_attendees w join public.profiles p on p.email = lower(w.email)
      where w.certificate_ref = v_ref and not w.anonymised
    ) x
    join public.sessions s on s.id = x.session_id
    join public.courses c on c.id = s.course_id
    where x.attendance in ('present', 'late') and s.status <> 'cancelled' and x.full_name is not null
      and exists (select 1 from public.evaluations e where e.session_id = x.session_id and e.user_id = x.user_id)
    limit 1
  );
end
$$;
grant execute on function public.verify_certificate(text) to anon, authenticated;
