-- Small rules several parts of the API share: timestamps, checked input, UK times.

-- Keeps updated_at current on tables that have it.
create function public.touch_updated_at() returns trigger language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- A text field: trimmed, required or not, within a length, with the field's own name in
-- the message.
create function public.checked_text(p_value text, p_label text, p_max int, p_required boolean default true)
  returns text language plpgsql immutable set search_path = ''
as $$
declare
  v text := nullif(btrim(p_value), '');
begin
  if v is null and p_required then
    raise exception 'Enter the %', lower(p_label) using errcode = '22023', detail = p_label;
  end if;
  if char_length(v) > p_max then
    raise exception '% must be % characters or fewer (it has %)', p_label, p_max, char_length(v)
      using errcode = '22001', detail = p_label;
  end if;
  return v;
end
$$;

-- A line of text as people will read it: no control characters, and none of the invisible
-- marks that reorder text (bidirectional embeddings, overrides and isolates), which can make
-- a name on a register or in an evidence pack read as something else.
create function public.checked_line(p_value text, p_label text, p_detail text) returns text
  language plpgsql immutable set search_path = ''
as $$
begin
  if p_value ~ '[\u0001-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]' then
    raise exception '% must not contain control or text-direction characters', p_label
      using errcode = '22023', detail = p_detail;
  end if;
  return p_value;
end
$$;

-- Whole number 1–5 from a JSON value, or a clear error naming the field.
create function public.checked_score(p_value jsonb, p_label text) returns int
  language plpgsql immutable set search_path = ''
as $$
begin
  if jsonb_typeof(p_value) is distinct from 'number' or p_value::text !~ '^[1-5]$' then
    raise exception '% must be a whole number from 1 to 5', p_label using errcode = '22023', detail = p_label;
  end if;
  return p_value::text::int;
end
$$;

-- "Wednesday 2 December 2026, 9:30am" in UK time, for emails.
create function public.uk_time(p_at timestamptz) returns text
  language sql immutable set search_path = ''
as $$
  select trim(to_char(p_at at time zone 'Europe/London', 'FMDay FMDD FMMonth YYYY, FMHH12:MI'))
    || lower(to_char(p_at at time zone 'Europe/London', 'am'))
$$;

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

-- Two answers say the same when they differ only in case, spacing or punctuation: the impact
-- pack lists each barrier, quote and example once. No SET: it inlines where it is used, and
-- a follow-up keeps its barriers' key worked out by it (followups.barriers_key).
create function public.impact_same_text(p_text text) returns text
  language sql immutable
as $$ select btrim(regexp_replace(lower(p_text), '[[:space:][:punct:]]+', ' ', 'g')) $$;
