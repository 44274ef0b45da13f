-- A chain of stores on one project: every row carries its store, keys and indexes lead with it,
-- lanes authenticate with a per-store key (stored hashed), and authenticated users read their
-- own store's rows through row level security. Upgrades a database of the first migration in place.
--
-- Rows written before this migration may lack a store (store_id was nullable and several tables
-- had none). They take the store of their raw message where it has one; what is left takes the
-- database setting posbus.default_store_id, e.g.
--   PGOPTIONS='-c posbus.default_store_id=store-1' psql "$SUPABASE_DB_URL" -f <this file>
--   (or: alter database postgres set posbus.default_store_id = 'store-1'; before `supabase db push`)
-- The migration stops with an error naming the setting when it is needed and missing; an empty
-- database needs nothing.
--
-- Customers are kept per store, not per chain: a lane computes a customer's loyalty points in its
-- own store's database and sends the running total, and customer ids are made up by each store's
-- POS, so one chain-wide row would let stores overwrite each other's totals and people.

-- ---------------------------------------------------------------------------------------------
-- Stores and their keys. Only the key's SHA-256 is stored; keys are 256-bit random, so a plain
-- hash is as strong as a slow one and a lookup stays one index probe per request.
create table posbus_private.stores (
  store_id   text primary key check (store_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  active     boolean     not null default true,    -- false refuses every key of the store (403)
  created_at timestamptz not null default now()
);

create table posbus_private.store_keys (
  key_id     uuid primary key default gen_random_uuid(),
  store_id   text        not null references posbus_private.stores,
  key_hash   bytea       not null unique check (length(key_hash) = 32),
  label      text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz                           -- set: the key is refused (401)
);
create index store_keys_store on posbus_private.store_keys (store_id);

-- Admin commands (infra/supabase/store-key.sh calls them as the database owner). A store may hold
-- any number of valid keys at once: rotation issues the new key, moves the lanes, revokes the old.
create function posbus_private.issue_store_key(p_store_id text, p_key_hash bytea, p_label text default null)
returns uuid language plpgsql volatile set search_path = '' as $fn$
declare id uuid;
begin
  insert into posbus_private.stores (store_id) values (p_store_id) on conflict do nothing;
  insert into posbus_private.store_keys (store_id, key_hash, label) values (p_store_id, p_key_hash, p_label)
  returning key_id into id;
  return id;
end
$fn$;

create function posbus_private.revoke_store_key(p_key_id uuid)
returns boolean language sql volatile set search_path = '' as $fn$
  update posbus_private.store_keys set revoked_at = now() where key_id = p_key_id and revoked_at is null returning true;
$fn$;

-- The store a key acts for, or an error the function answers as is: PB401 (unknown or revoked key),
-- PB403 (closed store, or a request naming another store than the key's).
create function posbus_private.store_of_key(p_key_hash bytea, p_claimed_store text)
returns text language plpgsql stable set search_path = '' as $fn$
declare
  found_store text;
  revoked boolean;
  open_store boolean;
begin
  select k.store_id, k.revoked_at is not null, s.active into found_store, revoked, open_store
  from posbus_private.store_keys k join posbus_private.stores s using (store_id)
  where k.key_hash = p_key_hash;
  if found_store is null then raise exception 'missing or wrong key' using errcode = 'PB401'; end if;
  if revoked then raise exception 'this store key has been revoked' using errcode = 'PB401'; end if;
  if not open_store then raise exception 'the store of this key is not active' using errcode = 'PB403'; end if;
  if p_claimed_store is not null and p_claimed_store <> found_store then
    raise exception 'this key belongs to another store than the one the request names' using errcode = 'PB403';
  end if;
  return found_store;
end
$fn$;

revoke all on all tables in schema posbus_private from public, anon, authenticated, service_role;
revoke all on function posbus_private.issue_store_key(text, bytea, text) from public, anon, authenticated, service_role;
revoke all on function posbus_private.revoke_store_key(uuid) from public, anon, authenticated, service_role;
revoke all on function posbus_private.store_of_key(bytea, text) from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- store_id on every table, filled for existing rows.
alter table public.transaction_lines    add column store_id text;
alter table public.transaction_payments add column store_id text;
alter table public.inventory_levels     add column store_id text;
alter table public.customers            add column store_id text;
alter table public.sync_log             add column store_id text;
alter table public.inventory_levels drop constraint inventory_levels_pkey;
alter table public.customers        drop constraint customers_pkey;

do $$
declare
  fallback text := nullif(btrim(current_setting('posbus.default_store_id', true)), '');
begin
  update public.pos_messages set store_id = fallback where store_id is null;
  update public.transactions x set store_id = m.store_id from public.pos_messages m
    where x.store_id is null and m.message_id = x.message_id;
  update public.inventory_movements x set store_id = m.store_id from public.pos_messages m
    where x.store_id is null and m.message_id = x.message_id;
  update public.customers x set store_id = m.store_id from public.pos_messages m where m.message_id = x.message_id;
  update public.sync_log x set store_id = m.store_id from public.pos_messages m where m.message_id = x.message_id;
  update public.transactions set store_id = fallback where store_id is null;
  update public.inventory_movements set store_id = fallback where store_id is null;
  update public.customers set store_id = fallback where store_id is null;
  update public.sync_log set store_id = fallback where store_id is null;
  update public.transaction_lines x set store_id = t.store_id from public.transactions t where t.sale_id = x.sale_id;
  update public.transaction_payments x set store_id = t.store_id from public.transactions t where t.sale_id = x.sale_id;
  update public.transaction_lines set store_id = fallback where store_id is null;
  update public.transaction_payments set store_id = fallback where store_id is null;

  -- Levels were one sum per sku over every store: split them into each store's own movements.
  -- Whatever a level held beyond its movements (set by hand) stays with the default store.
  create temp table old_levels on commit drop as
    select l.sku, l.quantity - coalesce((select sum(m.delta) from public.inventory_movements m where m.sku = l.sku), 0) as rest
    from public.inventory_levels l;
  delete from public.inventory_levels;
  insert into public.inventory_levels (store_id, sku, quantity)
    select store_id, sku, sum(delta) from public.inventory_movements group by 1, 2;
  insert into public.inventory_levels (store_id, sku, quantity)
    select fallback, o.sku, o.rest from old_levels o
    where o.rest <> 0 and not exists (select 1 from public.inventory_levels l where l.store_id is not distinct from fallback and l.sku = o.sku);
  update public.inventory_levels l set quantity = l.quantity + o.rest
    from old_levels o where o.rest <> 0 and l.store_id = fallback and l.sku = o.sku
      and exists (select 1 from public.inventory_movements m where m.store_id = fallback and m.sku = o.sku);

end $$;

-- ---------------------------------------------------------------------------------------------
-- Row level security: authenticated users read the rows of the store in their JWT's app_metadata
-- (set only by an admin through the Auth admin API; user_metadata is user-editable and not
-- trusted), or every store with app_metadata.chain_admin = true. anon reads nothing. Nobody
-- writes through the Data API, service_role included: only the function (the owner) writes.
-- (select auth.jwt()) is evaluated once per statement, not once per row. store_id becomes NOT NULL
-- in the same pass.
do $$
declare
  t text;
  missing boolean;
begin
  foreach t in array array['pos_messages', 'transactions', 'transaction_lines', 'transaction_payments',
                           'inventory_movements', 'inventory_levels', 'customers', 'sync_log'] loop
    execute format('select exists (select 1 from public.%I where store_id is null)', t) into missing;
    if missing then
      raise exception 'public.% has rows without a store: set posbus.default_store_id to the store they belong to (see the header of this migration)', t;
    end if;
    execute format('alter table public.%I alter column store_id set not null', t);
    execute format('revoke all on table public.%I from public, anon, authenticated, service_role', t);
    execute format('grant select on table public.%I to authenticated, service_role', t);
    execute format($p$create policy %I on public.%I for select to authenticated using (
        store_id = (select auth.jwt() -> 'app_metadata' ->> 'store_id')
        or (select auth.jwt() -> 'app_metadata' -> 'chain_admin') = 'true'::jsonb)$p$,
      t || '_read_own_store', t);
  end loop;
end $$;

alter table public.inventory_levels add primary key (store_id, sku);
alter table public.customers        add primary key (store_id, customer_id);

-- Every read a store does leads with its store: the lane's own history, reconcile (which scanned
-- the whole table before), stock movements by sku, recent arrivals.
drop index public.pos_messages_terminal_created;
drop index public.pos_messages_received;
drop index public.inventory_movements_sku;
create index pos_messages_store_terminal_created on public.pos_messages (store_id, terminal_id, created_at);
create index pos_messages_store_received on public.pos_messages (store_id, received_at);
create index transactions_store_terminal_occurred on public.transactions (store_id, terminal_id, occurred_at);
create index inventory_movements_store_sku on public.inventory_movements (store_id, sku);

-- ---------------------------------------------------------------------------------------------
-- The ingest entry point, now writing the store on every row and keying levels and customers by
-- store. Same signature: p_store_id is the store the function derived from the credential.
create or replace function posbus_private.ingest_batch(p_uploaded_by text, p_store_id text, p_messages jsonb)
returns setof uuid
language plpgsql
volatile
set search_path = ''
as $fn$
begin
  if p_store_id is null then
    raise exception 'ingest_batch needs a store id' using errcode = '22004';
  end if;
  return query
  with input as (
    select m.message_id, m.terminal_id, m.topic, m.created_at, m.peer_acked_at, m.data
    from jsonb_to_recordset(p_messages)
      as m(message_id uuid, terminal_id text, topic text, created_at timestamptz, peer_acked_at timestamptz, data jsonb)
  ),
  ins as (
    insert into public.pos_messages (message_id, terminal_id, store_id, topic, payload, created_at, peer_acked_at, uploaded_by)
    select i.message_id, i.terminal_id, p_store_id, i.topic, i.data, i.created_at, i.peer_acked_at, p_uploaded_by
    from input i
    order by i.message_id
    on conflict do nothing
    returning message_id, terminal_id, topic, payload
  ),
  log as (
    insert into public.sync_log (message_id, terminal_id, store_id, uploaded_by, topic)
    select message_id, terminal_id, p_store_id, p_uploaded_by, topic from ins
  ),
  tx as (
    insert into public.transactions (sale_id, message_id, terminal_id, store_id, occurred_at, receipt_number,
                                     currency, cashier_id, customer_id, subtotal_minor, tax_minor, total_minor)
    select t."saleId", ins.message_id, ins.terminal_id, p_store_id, t."occurredAt", t."receiptNumber",
           t.currency, t."cashierId", t."customerId", t."subtotalMinor", t."taxMinor", t."totalMinor"
    from ins
    cross join lateral jsonb_to_record(ins.payload) as t(
      "saleId" uuid, "occurredAt" timestamptz, "receiptNumber" text, currency text, "cashierId" text,
      "customerId" text, "subtotalMinor" bigint, "taxMinor" bigint, "totalMinor" bigint)
    where ins.topic = 'transaction'
    order by t."saleId"
    on conflict do nothing
    returning sale_id, message_id
  ),
  tx_json as (
    select tx.sale_id, ins.payload from tx join ins using (message_id)
  ),
  lines as (
    insert into public.transaction_lines (sale_id, line_no, store_id, sku, description, quantity, unit_price_minor, tax_minor, line_total_minor)
    select tx_json.sale_id, l."lineNo", p_store_id, l.sku, l.description, l.quantity, l."unitPriceMinor", l."taxMinor", l."lineTotalMinor"
    from tx_json
    cross join lateral jsonb_to_recordset(tx_json.payload -> 'lines') as l(
      "lineNo" int, sku text, description text, quantity bigint, "unitPriceMinor" bigint, "taxMinor" bigint, "lineTotalMinor" bigint)
  ),
  payments as (
    insert into public.transaction_payments (sale_id, payment_no, store_id, tender, amount_minor, reference)
    select tx_json.sale_id, p.ord::int, p_store_id, p.tender, p."amountMinor", p.reference
    from tx_json
    cross join lateral rows from (
      jsonb_to_recordset(tx_json.payload -> 'payments') as (tender text, "amountMinor" bigint, reference text)
    ) with ordinality as p(tender, "amountMinor", reference, ord)
  ),
  moves as (
    insert into public.inventory_movements (message_id, terminal_id, store_id, occurred_at, sku, delta, reason, sale_id)
    select ins.message_id, ins.terminal_id, p_store_id, v."occurredAt", v.sku, v.delta, v.reason, v."saleId"
    from ins
    cross join lateral jsonb_to_record(ins.payload) as v("occurredAt" timestamptz, sku text, delta bigint, reason text, "saleId" uuid)
    where ins.topic = 'inventory'
    returning sku, delta
  ),
  levels as (
    -- Add the deltas, never set an absolute level: two lanes selling offline both count.
    insert into public.inventory_levels as lv (store_id, sku, quantity)
    select p_store_id, sku, sum(delta) from moves group by sku order by sku
    on conflict (store_id, sku) do update set quantity = lv.quantity + excluded.quantity, updated_at = now()
  ),
  cust_latest as (
    -- Several updates of one customer in one batch: only the latest may touch the row
    -- (ON CONFLICT DO UPDATE cannot touch a row twice in one statement).
    select distinct on (c."customerId")
           p_store_id as store_id, c."customerId" as customer_id, c.name, c.email, c.phone,
           c."loyaltyPoints" as loyalty_points, c."occurredAt" as occurred_at, ins.message_id, ins.terminal_id
    from ins
    cross join lateral jsonb_to_record(ins.payload) as c(
      "customerId" text, name text, email text, phone text, "loyaltyPoints" bigint, "occurredAt" timestamptz)
    where ins.topic = 'customer'
    order by c."customerId", c."occurredAt" desc, ins.message_id desc
  ),
  cust as (
    insert into public.customers as cu (store_id, customer_id, name, email, phone, loyalty_points, occurred_at, message_id, terminal_id)
    select * from cust_latest order by customer_id
    on conflict (store_id, customer_id) do update
      set name = excluded.name, email = excluded.email, phone = excluded.phone,
          loyalty_points = excluded.loyalty_points, occurred_at = excluded.occurred_at,
          message_id = excluded.message_id, terminal_id = excluded.terminal_id, updated_at = now()
      where (cu.occurred_at, cu.message_id) < (excluded.occurred_at, excluded.message_id)
  )
  select ins.message_id from ins;
end
$fn$;

-- A store key's upload: the key is checked in the same statement as the write (one round trip per
-- batch, and no revocation can fall between check and write).
create function posbus_private.ingest_batch_for_key(p_key_hash bytea, p_claimed_store text, p_uploaded_by text, p_messages jsonb)
returns setof uuid
language plpgsql
volatile
set search_path = ''
as $fn$
begin
  return query select posbus_private.ingest_batch(p_uploaded_by, posbus_private.store_of_key(p_key_hash, p_claimed_store), p_messages);
end
$fn$;

revoke all on function posbus_private.ingest_batch_for_key(bytea, text, text, jsonb) from public, anon, authenticated;
grant execute on function posbus_private.ingest_batch_for_key(bytea, text, text, jsonb) to service_role;
