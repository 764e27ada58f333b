-- Demo partnership for local development and tests: partner agencies, the training
-- brochure, Webinar Wednesdays for the next 12 weeks (relative to the seeding day),
-- face-to-face sessions at Hampshire venues, eLearning, a few drafts and demo users.

insert into public.agencies (name, sector) values
  ('Hampshire Safeguarding Children Partnership', 'local_authority'),
  ('Hampshire County Council Children''s Services', 'local_authority'),
  ('Hampshire Constabulary', 'police'),
  ('Hampshire and Isle of Wight Integrated Care Board (formerly the Clinical Commissioning Group)', 'health'),
  ('Child and Adolescent Mental Health Services (CAMHS)', 'health'),
  ('Public Health Hampshire', 'health'),
  ('Solent NHS Trust', 'health'),
  ('Southern Health NHS Foundation Trust', 'health'),
  ('Hampshire Hospitals NHS Foundation Trust', 'health'),
  ('Schools and colleges', 'education'),
  ('Early years settings', 'education'),
  ('Probation Service', 'probation_and_justice'),
  ('Youth Offending Team', 'probation_and_justice'),
  ('District and borough councils', 'local_authority'),
  ('Hampshire and Isle of Wight Fire and Rescue Service', 'fire_and_rescue'),
  ('Diocese of Winchester', 'faith'),
  ('Substance misuse services', 'health'),
  ('Voluntary and community sector', 'voluntary');

-- Face-to-face courses and eLearning programmes of the brochure.
with brochure (slug, title, summary, audience, level, format, duration, themes, outcomes) as (values
  ('working-together-to-safeguard-children', 'Working Together to Safeguard Children',
   'The multi-agency framework for safeguarding in Hampshire: roles, thresholds, referrals and information sharing.',
   'All practitioners working with children, young people and families', 'introductory', 'face_to_face', 360,
   array['Multi-agency working'],
   array['Describe the statutory framework set out in Working Together to Safeguard Children',
         'Explain the roles and responsibilities of partner agencies in Hampshire',
         'Apply the Hampshire threshold document to decide on the right level of support',
         'Make a clear, well-evidenced referral to Children''s Services',
         'Share information lawfully and confidently']),
  ('neglect-identification-and-response', 'Neglect: identification and response',
   'Recognising the cumulative harm of neglect and using the Graded Care Profile 2 to assess and respond.',
   'Practitioners in health, education, early years, social care and the voluntary sector', 'intermediate', 'face_to_face', 360,
   array['Neglect'],
   array['Recognise the signs and cumulative impact of neglect on children of different ages',
         'Use the Graded Care Profile 2 to assess the quality of care',
         'Challenge drift and start-again syndrome in long-standing cases',
         'Plan a multi-agency response that improves outcomes for the child']),
  ('domestic-abuse-and-its-impact-on-children', 'Domestic abuse and its impact on children',
   'How domestic abuse harms children, how to ask about it safely and how to use DASH and MARAC.',
   'All practitioners who work with children or adults who are parents', 'intermediate', 'face_to_face', 360,
   array['Domestic abuse'],
   array['Describe the impact of domestic abuse on children as victims in their own right',
         'Ask about domestic abuse safely and respond to disclosures',
         'Complete a DASH risk assessment and know when to refer to MARAC',
         'Work with the whole family, including the person causing harm']),
  ('child-exploitation-and-contextual-safeguarding', 'Child exploitation and contextual safeguarding',
   'Child sexual and criminal exploitation, county lines, and safeguarding beyond the family home.',
   'Practitioners working with adolescents, including police, youth services and schools', 'advanced', 'face_to_face', 360,
   array['Missing and child exploitation'],
   array['Recognise indicators of child sexual and criminal exploitation, including county lines',
         'Use the Hampshire exploitation risk assessment tool',
         'Apply contextual safeguarding to peer groups, schools and public places',
         'Contribute effectively to a multi-agency exploitation meeting']),
  ('harmful-sexual-behaviour', 'Harmful sexual behaviour',
   'Understanding the continuum of sexual behaviour in children and young people and responding proportionately.',
   'Practitioners in schools, youth services, health and social care', 'intermediate', 'face_to_face', 300,
   array['Harmful practices'],
   array['Place sexual behaviour on the Hackett continuum',
         'Respond proportionately to harmful sexual behaviour',
         'Support both the child harmed and the child who has harmed']),
  ('safeguarding-infants-and-the-unborn-baby-protocol', 'Safeguarding infants and the Unborn Baby Protocol',
   'Protecting the most vulnerable children: pre-birth assessment, bruising in non-mobile babies and safer sleep.',
   'Midwives, health visitors, GPs, social workers and early years practitioners', 'intermediate', 'face_to_face', 360,
   array['Safeguarding infants'],
   array['Apply the Unborn Baby Protocol and make timely pre-birth referrals',
         'Follow the Baby Bruising Protocol for non-mobile babies',
         'Give consistent safer sleep advice to parents and carers',
         'Recognise the stresses that increase risk in the first year of life']),
  ('learning-from-practice-reviews', 'Learning from Local Child Safeguarding Practice Reviews',
   'Themes from Hampshire and national reviews and what they mean for everyday practice.',
   'All practitioners and managers', 'intermediate', 'face_to_face', 240,
   array['Learning from reviews'],
   array['Summarise the recurring themes from local and national practice reviews',
         'Identify how professional curiosity could have changed outcomes',
         'Apply review learning to your own cases and supervision']),
  ('disguised-compliance-and-professional-curiosity', 'Disguised compliance and professional curiosity',
   'Recognising when families appear to cooperate but children''s lives do not improve.',
   'Practitioners working with families over time', 'advanced', 'face_to_face', 300,
   array['Disguised compliance'],
   array['Recognise patterns of disguised compliance',
         'Use respectful challenge and professional curiosity with families',
         'Focus on evidence of change for the child rather than parental engagement',
         'Escalate concerns using the Hampshire escalation policy']),
  ('a-family-approach', 'A Family Approach: think family',
   'Working across children''s and adults'' services where parents live with mental ill-health, substance misuse or domestic abuse.',
   'Practitioners in adult and children''s services', 'intermediate', 'face_to_face', 360,
   array['A family approach'],
   array['Describe how parental mental ill-health, substance misuse and domestic abuse affect children',
         'Work jointly across adults'' and children''s services',
         'Hear the voice of the child in adult-focused work']),
  ('prevent-and-radicalisation', 'Prevent: safeguarding children from radicalisation',
   'The Prevent duty, recognising vulnerability to radicalisation and making a Prevent referral.',
   'All practitioners, especially schools and colleges', 'introductory', 'face_to_face', 180,
   array['Prevent'],
   array['Explain the Prevent duty and Channel process',
         'Recognise vulnerability to radicalisation, including online',
         'Make a proportionate Prevent referral']),
  ('intro-to-safeguarding-elearning', 'Introduction to safeguarding children (eLearning)',
   'A self-paced introduction for anyone new to working with children in Hampshire.',
   'Anyone new to working with children, including volunteers', 'introductory', 'elearning', 90,
   array['Multi-agency working'],
   array['Describe the main categories of abuse and neglect',
         'Know what to do if a child tells you they are being harmed',
         'Find the Hampshire procedures and contacts you need']),
  ('fabricated-or-induced-illness-elearning', 'Fabricated or induced illness (eLearning)',
   'Perplexing presentations and fabricated or induced illness in children: recognition and response.',
   'Health practitioners, schools and social care', 'advanced', 'elearning', 60,
   array['Fabricated or induced illness'],
   array['Recognise perplexing presentations and possible fabricated or induced illness',
         'Follow the Hampshire guidance for FII',
         'Keep the child''s experience at the centre of the response']),
  ('safer-sleep-elearning', 'Safer sleep for babies (eLearning)',
   'Consistent safer sleep messages for every practitioner who meets families with babies.',
   'Anyone who works with families with babies', 'introductory', 'elearning', 45,
   array['Safer sleep', 'Safeguarding infants'],
   array['Give the key safer sleep messages to parents',
         'Recognise circumstances that increase the risk of sudden infant death',
         'Adapt advice for families in challenging circumstances']),
  ('harmful-practices-elearning', 'Harmful practices: FGM, forced marriage and honour-based abuse (eLearning)',
   'Legal duties and safe responses to female genital mutilation, forced marriage and so-called honour-based abuse.',
   'All practitioners', 'intermediate', 'elearning', 60,
   array['Harmful practices'],
   array['Describe the mandatory reporting duty for FGM',
         'Recognise warning signs of forced marriage and honour-based abuse',
         'Respond safely using the one chance rule']),
  ('mash-workshop-elearning', 'Working with the MASH (eLearning)',
   'How the Multi-Agency Safeguarding Hub works and how to make a good referral.',
   'Practitioners who refer to Children''s Services', 'introductory', 'elearning', 40,
   array['MASH workshops'],
   array['Explain how the MASH gathers and shares information',
         'Prepare a referral the MASH can act on quickly',
         'Know what happens after a referral is made'])
), inserted as (
  insert into public.courses (slug, title, summary, description, audience, level, format,
    duration_minutes, themes, elearning_url, status, published_at)
  select b.slug, b.title, b.summary,
    b.summary || ' Delivered by the Hampshire Safeguarding Children Partnership and free to partner agencies.',
    b.audience, b.level::public.course_level, b.format::public.course_format, b.duration, b.themes,
    case when b.format = 'elearning' then 'https://learning.hscp.example/' || b.slug end,
    'published', now()
  from brochure b
  returning id, slug
)
insert into public.learning_outcomes (course_id, position, text)
select i.id, o.position, o.text
from inserted i
join brochure b on b.slug = i.slug
cross join lateral unnest(b.outcomes) with ordinality as o(text, position);

-- Webinar Wednesdays: one theme a day for the next 12 Wednesdays, three one-hour webinars.
with themes (week, theme, code) as (values
  (0, 'Missing, Exploited and Trafficked children', 'met'),
  (1, 'Harmful practices', 'harmful-practices'),
  (2, 'Learning from Local Child Safeguarding Practice Reviews', 'practice-reviews'),
  (3, 'Disguised compliance', 'disguised-compliance'),
  (4, 'Unidentified adults', 'unidentified-adults'),
  (5, 'Domestic abuse', 'domestic-abuse'),
  (6, 'A family approach', 'family-approach'),
  (7, 'Safeguarding infants', 'safeguarding-infants'),
  (8, 'Prevent', 'prevent'),
  (9, 'Neglect', 'neglect'),
  (10, 'Fabricated or induced illness', 'fii'),
  (11, 'Baby Bruising Protocol and safer sleep', 'baby-bruising')
), parts (part, title, summary, starts) as (values
  (1, 'recognising the signs', 'What to look for and why it matters for the child.', time '09:30'),
  (2, 'responding and referring', 'What to do, who to tell and how Hampshire''s procedures work.', time '12:30'),
  (3, 'working together', 'How agencies share information and plan together with the family.', time '15:00')
), courses as (
  insert into public.courses (slug, title, summary, description, audience, level, format,
    duration_minutes, themes, series, status, published_at)
  select 'ww-' || t.code || '-' || p.part, t.theme || ': ' || p.title, p.summary,
    'A one-hour Webinar Wednesday session on ' || lower(t.theme) || '. ' || p.summary,
    'All practitioners working with children, young people and families', 'introductory', 'webinar',
    60, array[t.theme], 'webinar-wednesdays', 'published', now()
  from themes t cross join parts p
  returning id, slug
), outcomes as (
  insert into public.learning_outcomes (course_id, position, text)
  select c.id, o.position, o.text
  from courses c
  join themes t on c.slug like 'ww-' || t.code || '-%'
  cross join lateral unnest(array[
    'Describe what ' || lower(t.theme) || ' means for the children you work with',
    'Identify the risk indicators practitioners most often miss',
    'Know the Hampshire procedures and who to contact',
    'Apply the learning to a case you hold'
  ]) with ordinality as o(text, position)
  returning course_id
)
insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode,
  booking_closes_at)
select c.id, s.starts_at, s.starts_at + interval '1 hour',
  'https://teams.microsoft.com/l/meetup-join/hscp-' || c.slug, 100, 'auto',
  s.starts_at - interval '1 hour'
from courses c
join themes t on c.slug like 'ww-' || t.code || '-%'
join parts p on c.slug = 'ww-' || t.code || '-' || p.part
cross join lateral (
  select ((current_date + ((3 - extract(isodow from current_date)::int + 7) % 7) + 7 * t.week)
          + p.starts) at time zone 'Europe/London' as starts_at
) s;

-- Face-to-face sessions: two dates per course at Hampshire venues over the next three months.
with venues (n, name, address) as (values
  (0, 'Winchester Discovery Centre', 'Jewry Street, Winchester SO23 8SB'),
  (1, 'Basingstoke Discovery Centre', 'Potters Walk, Basingstoke RG21 7LS'),
  (2, 'Fareham Community Centre', 'Osborn Road, Fareham PO16 7DX'),
  (3, 'The Point, Eastleigh', 'Leigh Road, Eastleigh SO50 9DE'),
  (4, 'The Lights, Andover', 'West Street, Andover SP10 1AH'),
  (5, 'The Spring Arts and Heritage Centre', 'East Street, Havant PO9 1BS')
), f2f as (
  select c.id, c.duration_minutes, row_number() over (order by c.slug) as n
  from public.courses c where c.format = 'face_to_face'
)
insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity,
  waitlist_mode, offer_hours, booking_closes_at)
select f.id, s.starts_at, s.starts_at + make_interval(mins => f.duration_minutes + 60),
  v.name, v.address, case when f.n % 3 = 0 then 16 else 24 end, 'offer', 48,
  s.starts_at - interval '2 days'
from f2f f
cross join generate_series(0, 1) as k
join venues v on v.n = (f.n + k * 2) % 6
cross join lateral (
  select ((current_date + (10 + f.n * 3 + k * 35)::int) + time '09:30') at time zone 'Europe/London' as starts_at
) s;

-- Drafts in preparation: only admins see them.
insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, status)
values
  ('online-harms-and-sextortion', 'Online harms and financially motivated sextortion',
   'Draft: a new course on online harms being prepared with Hampshire Constabulary.',
   'Practitioners working with adolescents', 'intermediate', 'face_to_face', 240, array['Missing and child exploitation'], 'draft'),
  ('children-with-disabilities', 'Safeguarding disabled children',
   'Draft: communication, thresholds and additional vulnerability of disabled children.',
   'All practitioners', 'intermediate', 'webinar', 90, array['Multi-agency working'], 'draft'),
  ('elective-home-education', 'Elective home education and children missing education',
   'Draft: safeguarding children who are not in school.',
   'Schools, early help and social care', 'introductory', 'elearning', 45, array['Neglect'], 'draft');

insert into public.learning_outcomes (course_id, position, text)
select c.id, o.position, o.text
from public.courses c
cross join lateral unnest(array[
  'Outline the risks covered by this draft course',
  'Respond using the Hampshire procedures',
  'Know where to find further help'
]) with ordinality as o(text, position)
where c.status = 'draft';

-- Demo users (local only). Sign in with these emails; the code arrives in the mailbox.
insert into auth.users (id, email, email_confirmed_at, created_at) values
  ('00000000-0000-4000-8000-000000000001', 'practitioner@demo.hscp.example', now(), now()),
  ('00000000-0000-4000-8000-000000000002', 'trainer@demo.hscp.example', now(), now()),
  ('00000000-0000-4000-8000-000000000003', 'admin@demo.hscp.example', now(), now());

update public.profiles p set full_name = d.full_name, job_role = d.job_role,
  agency_id = (select a.id from public.agencies a where a.name = d.agency)
from (values
  ('practitioner@demo.hscp.example', 'Priya Shah', 'Social worker', 'Hampshire County Council Children''s Services'),
  ('trainer@demo.hscp.example', 'Tom Reed', 'Safeguarding trainer', 'Hampshire Safeguarding Children Partnership'),
  ('admin@demo.hscp.example', 'Alex Morgan', 'Training and development manager', 'Hampshire Safeguarding Children Partnership')
) as d (email, full_name, job_role, agency)
where p.email = d.email;

insert into public.staff_roles (user_id, role) values
  ('00000000-0000-4000-8000-000000000002', 'trainer'),
  ('00000000-0000-4000-8000-000000000003', 'admin');

insert into public.session_trainers (session_id, trainer_id)
select s.id, '00000000-0000-4000-8000-000000000002'
from public.sessions s join public.courses c on c.id = s.course_id
where c.format = 'face_to_face' or c.slug like 'ww-met-%' or c.slug like 'ww-neglect-%';

-- ---------------------------------------------------------------------------------------
-- DEMO DATA: a past financial year of activity, so the impact dashboard says something on
-- first run. Deterministic (pseudo-random from md5 of fixed strings, never random()), at
-- the partnership's scale: about 40 Webinar Wednesday themes with some 4,200 attendances,
-- face-to-face cohorts of the brochure's courses, bookings, cancellations, no-shows,
-- waiting lists, evaluations with a rating per outcome, and follow-ups. Everyone in it is
-- made up (…@history.demo.hscp.example). public.demo_history(year) adds one financial
-- year; the benchmark uses it to build ten.
-- ---------------------------------------------------------------------------------------
create function public.demo_rnd(p_key text) returns double precision
  language sql immutable set search_path = ''
as $$ select ('x' || substr(md5(p_key), 1, 8))::bit(32)::bigint / 4294967296.0 $$;

create function public.demo_history(p_fy int) returns void
  language plpgsql set search_path = ''
as $$
declare
  v_start date := make_date(p_fy, 4, 1);
  v_tag text := 'fy' || p_fy;
  v_marker uuid := '00000000-0000-4000-8000-000000000002';
begin
  -- 2,400 practitioners across the partner agencies, weighted as the partnership's reach is
  insert into auth.users (id, email, email_confirmed_at, created_at)
  select gen_random_uuid(), 'person.' || i || '.' || v_tag || '@history.demo.hscp.example', now(), now()
  from generate_series(1, 2400) i;
  with weights (agency, weight) as (values
    ('Hampshire County Council Children''s Services', 14), ('Hampshire Constabulary', 12),
    ('Schools and colleges', 18), ('Early years settings', 8), ('Solent NHS Trust', 6),
    ('Southern Health NHS Foundation Trust', 5), ('Hampshire Hospitals NHS Foundation Trust', 5),
    ('Child and Adolescent Mental Health Services (CAMHS)', 3), ('Public Health Hampshire', 2),
    ('Hampshire and Isle of Wight Integrated Care Board (formerly the Clinical Commissioning Group)', 2),
    ('Probation Service', 3), ('Youth Offending Team', 3), ('District and borough councils', 5),
    ('Hampshire and Isle of Wight Fire and Rescue Service', 2), ('Diocese of Winchester', 2),
    ('Substance misuse services', 2), ('Voluntary and community sector', 8)
  ), slots as (
    select a.id, a.name, generate_series(1, w.weight) as k from weights w join public.agencies a on a.name = w.agency
  ), pool as (select array_agg(id order by name, k) as ids from slots),
  firsts as (select array['Amelia','Ben','Chloe','Daniel','Ella','Farah','George','Hannah','Imran','Jess',
    'Kieran','Laura','Mohammed','Niamh','Oliver','Priya','Rachel','Sam','Tariq','Uma','Victoria','Will',
    'Yasmin','Zoe','Aisha','Callum','Deborah','Euan','Fiona','Grace','Harry','Isla','Jack','Karen','Liam',
    'Megan','Nathan','Olivia','Paul','Ruth'] as n),
  lasts as (select array['Adams','Begum','Clarke','Davies','Evans','Foster','Green','Hughes','Iqbal','Jones',
    'Khan','Lewis','Morgan','Nowak','Owen','Patel','Quinn','Roberts','Smith','Taylor','Usman','Walker','Wright',
    'Young','Ahmed','Bell','Cooper','Dixon','Ellis','Fraser','Gray','Hall','Jackson','Kelly','Lee','Mills',
    'Nash','Price','Reid','Shaw'] as n)
  update public.profiles p set
    full_name = f.n[1 + (x.i % 40)] || ' ' || l.n[1 + ((x.i * 7 + x.i / 40) % 40)],
    job_role = (array['Social worker','Police officer','Teacher','Designated safeguarding lead','Health visitor',
      'School nurse','Early years practitioner','Youth worker','Probation officer','GP','Midwife',
      'Family support worker'])[1 + floor(public.demo_rnd('role' || x.i) * 12)::int],
    agency_id = pool.ids[1 + floor(public.demo_rnd('agency' || x.i) * cardinality(pool.ids))::int]
  from (select id, split_part(split_part(email, '@', 1), '.', 2)::int as i from public.profiles
        where email like 'person.%.' || v_tag || '@history.demo.hscp.example') x, pool, firsts f, lasts l
  where p.id = x.id;

  -- 40 Webinar Wednesdays: one one-hour webinar on each theme, three outcomes each
  create temporary table demo_webinars on commit drop as
  select t.i::int as i, 'hist-ww-' || v_tag || '-' || t.i as slug, t.theme,
    (v_start + ((3 - extract(isodow from v_start)::int + 7) % 7)
      + 7 * (t.i::int + case when t.i > 15 then 5 else 0 end + case when t.i > 30 then 2 else 0 end))::date as day
  from unnest(array['Neglect and the Graded Care Profile','Domestic abuse and the child''s voice',
    'Child criminal exploitation and county lines','Online safety and sextortion','Harmful sexual behaviour',
    'Safer sleep and infant safety','Parental mental health','Parental substance misuse','Private fostering',
    'Fabricated or induced illness','Female genital mutilation','Honour-based abuse and forced marriage',
    'Radicalisation and Prevent','Children missing education','Young carers','Disabled children and safeguarding',
    'Professional curiosity','Escalation and resolving disagreements','Information sharing','Thresholds and early help',
    'Working with resistant families','Adolescent neglect','Self-harm and suicide prevention','Bruising in non-mobile babies',
    'Child sexual abuse within the family','Trauma-informed practice','Modern slavery and trafficking',
    'Serious youth violence','Contextual safeguarding','Children in care and care leavers','Allegations against staff (LADO)',
    'Recording and chronologies','Hidden men and fathers','Cultural competence in safeguarding','Learning from reviews',
    'Domestic abuse: DASH and MARAC','Neurodiversity and safeguarding','Toxic trio','Supervision that safeguards',
    'The voice of the child']) with ordinality as t(theme, i);

  insert into public.courses (slug, title, summary, audience, level, format, duration_minutes, themes, series,
    status, published_at)
  select w.slug, 'Webinar Wednesday: ' || w.theme,
    'An hour on ' || lower(w.theme) || ' for every practitioner (demo history).', 'All practitioners',
    'introductory', 'webinar', 60,
    array[case when w.theme ilike '%neglect%' then 'Neglect' when w.theme ilike '%domestic%' then 'Domestic abuse'
      when w.theme ~* 'exploitation|county|violence|contextual|trafficking' then 'Missing and child exploitation'
      else 'Multi-agency working' end],
    'webinar-wednesdays', 'archived', now()
  from demo_webinars w;
  insert into public.learning_outcomes (course_id, position, text)
  select c.id, o.position, o.text
  from demo_webinars w join public.courses c on c.slug = w.slug
  cross join lateral unnest(array[
    'Recognise the signs of ' || lower(w.theme) || ' in the children you work with',
    'Know the Hampshire procedures for ' || lower(w.theme),
    'Apply the learning on ' || lower(w.theme) || ' to a case you hold']) with ordinality as o(text, position);
  insert into public.sessions (course_id, starts_at, ends_at, join_url, capacity, waitlist_mode, booking_closes_at)
  select c.id, (w.day + time '12:30') at time zone 'Europe/London', (w.day + time '13:30') at time zone 'Europe/London',
    'https://teams.microsoft.com/l/meetup-join/' || w.slug, 150, 'auto', (w.day + time '11:30') at time zone 'Europe/London'
  from demo_webinars w join public.courses c on c.slug = w.slug;

  -- Face-to-face cohorts of the brochure's courses: four per course across the year
  insert into public.sessions (course_id, starts_at, ends_at, venue_name, venue_address, capacity, waitlist_mode,
    offer_hours, booking_closes_at)
  select c.id, s.starts_at, s.starts_at + make_interval(mins => c.duration_minutes + 60),
    'Winchester Discovery Centre (demo history)', 'Jewry Street, Winchester SO23 8SB', 24, 'offer', 48,
    s.starts_at - interval '2 days'
  from public.courses c
  cross join generate_series(0, 3) k
  cross join lateral (select ((v_start + 20 + k * 84 + (abs(hashtext(c.slug)) % 40))::date + time '09:30')
    at time zone 'Europe/London' as starts_at) s
  where c.format = 'face_to_face' and c.status = 'published' and c.slug not like 'test-%';

  create temporary table demo_sessions on commit drop as
  select s.id, s.course_id, s.starts_at, s.capacity, c.format, row_number() over (order by s.starts_at, c.slug) as n
  from public.sessions s join public.courses c on c.id = s.course_id
  where s.starts_at >= v_start and s.starts_at < (v_start + interval '1 year')
    and (c.slug like 'hist-ww-' || v_tag || '-%' or s.venue_name = 'Winchester Discovery Centre (demo history)');

  create temporary table demo_people on commit drop as
  select p.id, row_number() over (order by p.email) as n
  from public.profiles p where p.email like 'person.%.' || v_tag || '@history.demo.hscp.example';

  -- Bookings: a webinar draws 95–150 bookings, a cohort fills its 24 places and queues more.
  create temporary table demo_bookings on commit drop as
  select gen_random_uuid() as id, s.id as session_id, s.starts_at, s.format, p.id as user_id,
    -- the key every pseudo-random choice about this place is drawn from: the same on every seed
    s.n || ':' || p.n as key,
    row_number() over (partition by s.id order by public.demo_rnd(s.n || ':' || p.n)) as arrival,
    public.demo_rnd('fate' || s.n || ':' || p.n) as fate
  from demo_sessions s
  join demo_people p on public.demo_rnd(s.n || '/' || p.n) < case when s.format = 'webinar' then 0.053 else 0.013 end;
  delete from demo_bookings b using demo_sessions s
    where s.id = b.session_id and b.arrival > case when s.format = 'webinar' then 150 else 32 end;

  insert into public.bookings (id, session_id, user_id, status, waitlisted_at, offer_expires_at, created_at, cancelled_at,
    confirmed_at)
  select b.id, b.session_id, b.user_id,
    case when b.format <> 'webinar' and b.arrival > 24 then 'waitlisted'
         when b.fate < 0.06 then 'cancelled' else 'confirmed' end::public.booking_status,
    case when b.format <> 'webinar' and b.arrival > 24 then b.starts_at - interval '20 days' end,
    null, b.starts_at - interval '30 days' + b.arrival * interval '1 hour',
    case when b.fate < 0.06 and not (b.format <> 'webinar' and b.arrival > 24)
      then b.starts_at - case when b.fate < 0.02 then interval '5 hours' else interval '6 days' end end,
    -- every place not on the waiting list was confirmed when booked, the cancelled ones too
    case when not (b.format <> 'webinar' and b.arrival > 24)
      then b.starts_at - interval '30 days' + b.arrival * interval '1 hour' end
  from demo_bookings b;

  -- The register: most came, some late or leaving early, some sent apologies, some no-shows.
  insert into public.attendance_events (id, session_id, booking_id, status, marked_by, marked_at, source)
  select gen_random_uuid(), b.session_id, b.id,
    case when b.fate < 0.78 then 'present' when b.fate < 0.83 then 'late' when b.fate < 0.87 then 'left_early'
         when b.fate < 0.90 then 'excused' else 'absent' end::public.attendance_status,
    v_marker, b.starts_at + interval '10 minutes',
    case when b.fate >= 0.90 then 'closure' when b.format = 'webinar' then 'import' else 'register' end::public.attendance_source
  from demo_bookings b
  where b.fate >= 0.06 and not (b.format <> 'webinar' and b.arrival > 24);
  insert into public.register_closures (session_id, closed_by, closed_at)
  select s.id, v_marker, s.starts_at + interval '3 hours' from demo_sessions s;

  -- Evaluations from about 60% of those who came: confidence rises on most outcomes.
  create temporary table demo_evaluations on commit drop as
  select gen_random_uuid() as id, b.session_id, b.user_id, b.starts_at, b.fate, b.key
  from demo_bookings b
  where b.fate >= 0.06 and b.fate < 0.87 and not (b.format <> 'webinar' and b.arrival > 24)
    and public.demo_rnd('evaluates' || b.key) < 0.6;
  insert into public.evaluations (id, session_id, user_id, overall, practice_change, comments, submitted_at)
  select e.id, e.session_id, e.user_id, 3 + floor(public.demo_rnd('overall' || e.key) * 3)::int,
    (array['I will use the Graded Care Profile at my next home visit.',
      'I will ask about domestic abuse routinely and record the child''s experience.',
      'I will share concerns earlier with the designated safeguarding lead.',
      'I will check the threshold document before making a referral.',
      'I will be more curious when a family''s story does not add up.',
      'I will use a chronology to see patterns of neglect over time.',
      'I will talk to the child on their own and record their words.',
      'I will escalate when I disagree with a decision, using the resolution protocol.',
      'I will ask who else lives in or visits the home.',
      'I will share information with police and health colleagues with more confidence.',
      'I will look out for signs of exploitation in young people who go missing.',
      'I will pass the safer sleep messages on to every family with a new baby.'])
      [1 + floor(public.demo_rnd('practice' || e.key) * 12)::int],
    case when public.demo_rnd('comment' || e.key) < 0.2 then 'More case studies would help.' end,
    e.starts_at + interval '2 hours'
  from demo_evaluations e;
  insert into public.evaluation_ratings (evaluation_id, outcome_id, before, after)
  select e.id, lo.id, r.before, least(5, greatest(1, r.before + r.gain))
  from demo_evaluations e
  join public.sessions s on s.id = e.session_id
  join public.learning_outcomes lo on lo.course_id = s.course_id and lo.retired_at is null
  cross join lateral (select
    1 + floor(public.demo_rnd('before' || e.key || ':' || lo.position) * 3)::int as before,
    (array[-1, 0, 0, 1, 1, 1, 2, 2, 2, 3])[1 + floor(public.demo_rnd('gain' || e.key || ':' || lo.position) * 10)::int] as gain) r;

  -- Follow-ups 12 weeks on, answered by about 40%.
  insert into public.followups (id, session_id, user_id, requested_at, submitted_at, applied, example, barriers)
  select gen_random_uuid(), e.session_id, e.user_id, e.starts_at + interval '12 weeks',
    case when a.answers then e.starts_at + interval '12 weeks 3 days' end,
    case when a.answers then (array['yes','yes','yes','partly','partly','no'])[1 + floor(public.demo_rnd('applied' || e.key) * 6)::int]::public.followup_applied end,
    case when a.answers then 'Used it with a family on my caseload.' end,
    case when a.answers and public.demo_rnd('barrier' || e.key) < 0.5 then
      (array['Time and caseload pressures.','Other agencies did not engage.','Not had a relevant case yet.',
        'Needed more support from my manager.'])[1 + floor(public.demo_rnd('which' || e.key) * 4)::int] end
  from demo_evaluations e
  cross join lateral (select public.demo_rnd('answers' || e.key) < 0.4 as answers) a;
  insert into public.followup_ratings (followup_id, outcome_id, now_rating)
  select f.id, r.outcome_id, least(5, greatest(1, r.after - (public.demo_rnd('fade' || e.key || ':' || lo.position) < 0.3)::int))
  from public.followups f
  join demo_evaluations e on e.session_id = f.session_id and e.user_id = f.user_id
  join public.evaluation_ratings r on r.evaluation_id = e.id
  join public.learning_outcomes lo on lo.id = r.outcome_id
  where f.submitted_at is not null;

  -- History is read through the reports; it is not pushed to devices: not the admins'
  -- (bookings, profiles), and not visitors' (the archived webinars, which nobody can read).
  delete from public.change_log where audience = 'admin' and entity in ('booking', 'profile')
    and entity_id in (select id from demo_bookings union all select id from demo_people);
  delete from public.change_log where entity in ('course', 'learning_outcome', 'session')
    and entity_id in (
      select c.id from public.courses c where c.slug like 'hist-ww-' || v_tag || '-%'
      union all select lo.id from public.learning_outcomes lo join public.courses c on c.id = lo.course_id
        where c.slug like 'hist-ww-' || v_tag || '-%'
      union all select s.id from public.sessions s join public.courses c on c.id = s.course_id
        where c.slug like 'hist-ww-' || v_tag || '-%');
end
$$;
revoke all on function public.demo_history(int), public.demo_rnd(text) from public;

select public.demo_history(2025);
