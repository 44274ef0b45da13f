-- Roles and default grants that every real Supabase project already has, so that the PosBus
-- migrations run here unchanged and row level security is tested against the same grants.
-- Idempotent: up.sh applies it on every fresh data directory.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end $$;

-- The owner connection may switch to these roles (SET ROLE), as Supabase's authenticator does.
grant anon, authenticated, service_role to postgres;

grant usage on schema public to anon, authenticated, service_role;

-- Supabase grants everything in `public` to the API roles and relies on RLS; mirror that so a
-- table without RLS would be as exposed here as it is in production.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- Supabase's auth helpers, as its Auth schema defines them: PostgREST puts the request's JWT claims
-- in the setting request.jwt.claims, and policies read them through auth.jwt(). RLS tests set that
-- setting and switch to `authenticated`, exactly as a request through the Data API does.
create schema if not exists auth;
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
