-- What the API roles may touch. Hosted PostgREST serves every table, view, column and
-- function that `anon` or `authenticated` holds a privilege on, and Supabase's default
-- privileges grant all of them on everything created in `public`. This project grants
-- nothing by default: each file grants exactly what its RPCs need, and
-- supabase/api-allow-list.txt is the allow-list the tests hold the database to.

create extension if not exists pgcrypto with schema extensions;

alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- PUBLIC's default EXECUTE can only be revoked globally, not per schema
alter default privileges revoke execute on functions from public;
