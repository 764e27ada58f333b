-- Supabase Realtime tells an open app that an entry it may read has changed, and the app
-- pulls (src/lib/sync/realtime.ts): change_log joins the supabase_realtime publication, and
-- Realtime checks each change against the subscriber's Row Level Security. Where there is
-- no such publication (plain PostgreSQL, the local stand-in) the app polls instead.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime')
     and not exists (select 1 from pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'change_log') then
    alter publication supabase_realtime add table public.change_log;
  end if;
end
$$;
