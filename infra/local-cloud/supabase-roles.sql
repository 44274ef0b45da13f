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
