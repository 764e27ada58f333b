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
