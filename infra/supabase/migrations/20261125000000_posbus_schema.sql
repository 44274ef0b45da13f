-- PosBus cloud schema: raw POS messages plus the tables derived from them.
--
-- Only the Edge Function writes, through SUPABASE_DB_URL as the owner, and only by calling
-- posbus_private.ingest_batch(): one statement, so one batch is one transaction. Derived rows are
-- written only for messages that this call newly inserted, which is what makes a retried batch
-- (or a peer's failover copy of it) harmless.
--
-- The derived tables carry no foreign keys to pos_messages/transactions on purpose: every row
-- of them is written by the same statement as its parent, and a per-row FK check roughly doubles
-- ingest cost (measured), which the throughput goal cannot afford. For the same reason derived
-- tables carry only the indexes their keys need (each extra index measured ~4% of ingest time);
-- add reporting indexes in a later migration when a real query needs one.

-- ---------------------------------------------------------------------------------------------
-- Raw messages: one row per message id, whoever uploaded it.
create table public.pos_messages (
  message_id    uuid primary key,
  terminal_id   text        not null,              -- origin lane (where the change happened)
  store_id      text,
  topic         text        not null check (topic in ('transaction', 'inventory', 'customer')),
  payload       jsonb       not null,
  created_at    timestamptz not null,              -- the message's own timestamp
  peer_acked_at timestamptz,
  received_at   timestamptz not null default now(),
  uploaded_by   text        not null               -- lane that posted it (differs on failover)
);
create index pos_messages_terminal_created on public.pos_messages (terminal_id, created_at);
create index pos_messages_received on public.pos_messages (received_at);

-- ---------------------------------------------------------------------------------------------
-- Sales. sale_id is unique too: a second message for the same sale is kept raw but not re-applied.
create table public.transactions (
  sale_id        uuid primary key,
  message_id     uuid        not null,              -- unique already through pos_messages
  terminal_id    text        not null,
  store_id       text,
  occurred_at    timestamptz not null,
  receipt_number text        not null,
  currency       char(3)     not null,
  cashier_id     text        not null,
  customer_id    text,
  subtotal_minor bigint      not null,
  tax_minor      bigint      not null,
  total_minor    bigint      not null
);

create table public.transaction_lines (
  sale_id          uuid   not null,
  line_no          int    not null,
  sku              text   not null,
  description      text   not null,
  quantity         bigint not null,
  unit_price_minor bigint not null,
  tax_minor        bigint not null,
  line_total_minor bigint not null,
  primary key (sale_id, line_no)
);

create table public.transaction_payments (
  sale_id      uuid   not null,
  payment_no   int    not null,                    -- position in the message's payments array
  tender       text   not null,
  amount_minor bigint not null,
  reference    text,
  primary key (sale_id, payment_no)
);

-- ---------------------------------------------------------------------------------------------
-- Inventory: movements are facts (idempotent by message id); levels are their running sum.
create table public.inventory_movements (
  message_id  uuid primary key,
  terminal_id text        not null,
  store_id    text,
  occurred_at timestamptz not null,
  sku         text        not null,
  delta       bigint      not null,
  reason      text        not null,
  sale_id     uuid
);
create index inventory_movements_sku on public.inventory_movements (sku);

create table public.inventory_levels (
  sku        text primary key,
  quantity   bigint      not null,
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
-- Customers: last writer wins by (occurred_at, message_id), never by arrival order.
create table public.customers (
  customer_id    text primary key,
  name           text        not null,
  email          text,
  phone          text,
  loyalty_points bigint      not null,
  occurred_at    timestamptz not null,
  message_id     uuid        not null,
  terminal_id    text        not null,
  updated_at     timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
create table public.sync_log (
  message_id  uuid primary key,
  terminal_id text        not null,
  uploaded_by text        not null,
  topic       text        not null,
  synced_at   timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
-- Row level security on, and no policy at all: anon and authenticated get nothing even through
-- Supabase's default grants; the grants are revoked as well so they get a clear permission error.
-- service_role has BYPASSRLS; the owner (the function's connection) is not subject to RLS.
do $$
declare t text;
begin
  foreach t in array array['pos_messages', 'transactions', 'transaction_lines', 'transaction_payments',
                           'inventory_movements', 'inventory_levels', 'customers', 'sync_log'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on table public.%I from public, anon, authenticated', t);
    execute format('grant all on table public.%I to service_role', t);
  end loop;
end $$;

-- ---------------------------------------------------------------------------------------------
-- The ingest entry point. Not in `public`, so the Data API (PostgREST) never exposes it as RPC.
create schema if not exists posbus_private;
revoke all on schema posbus_private from public, anon, authenticated;

-- p_messages: JSON array of {message_id, terminal_id, topic, created_at, peer_acked_at, data},
-- already validated by the function (types, ranges, no NUL). Returns the ids it newly inserted.
-- Rows are processed in key order so that two concurrent batches lock rows in the same order
-- and cannot deadlock. plpgsql rather than a SQL function: it keeps the statement's plan per
-- connection, where a SQL function plans this 12-part statement again on every call (measured
-- ~20% of the database time for 50-message batches).
create or replace function posbus_private.ingest_batch(p_uploaded_by text, p_store_id text, p_messages jsonb)
returns setof uuid
language plpgsql
volatile
set search_path = ''
as $fn$
begin
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
    insert into public.sync_log (message_id, terminal_id, uploaded_by, topic)
    select message_id, terminal_id, p_uploaded_by, topic from ins
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
    insert into public.transaction_lines (sale_id, line_no, sku, description, quantity, unit_price_minor, tax_minor, line_total_minor)
    select tx_json.sale_id, l."lineNo", l.sku, l.description, l.quantity, l."unitPriceMinor", l."taxMinor", l."lineTotalMinor"
    from tx_json
    cross join lateral jsonb_to_recordset(tx_json.payload -> 'lines') as l(
      "lineNo" int, sku text, description text, quantity bigint, "unitPriceMinor" bigint, "taxMinor" bigint, "lineTotalMinor" bigint)
  ),
  payments as (
    insert into public.transaction_payments (sale_id, payment_no, tender, amount_minor, reference)
    select tx_json.sale_id, p.ord::int, p.tender, p."amountMinor", p.reference
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
    insert into public.inventory_levels as lv (sku, quantity)
    select sku, sum(delta) from moves group by sku order by sku
    on conflict (sku) do update set quantity = lv.quantity + excluded.quantity, updated_at = now()
  ),
  cust_latest as (
    -- Several updates of one customer in one batch: only the latest may touch the row
    -- (ON CONFLICT DO UPDATE cannot touch a row twice in one statement).
    select distinct on (c."customerId")
           c."customerId" as customer_id, c.name, c.email, c.phone, c."loyaltyPoints" as loyalty_points,
           c."occurredAt" as occurred_at, ins.message_id, ins.terminal_id
    from ins
    cross join lateral jsonb_to_record(ins.payload) as c(
      "customerId" text, name text, email text, phone text, "loyaltyPoints" bigint, "occurredAt" timestamptz)
    where ins.topic = 'customer'
    order by c."customerId", c."occurredAt" desc, ins.message_id desc
  ),
  cust as (
    insert into public.customers as cu (customer_id, name, email, phone, loyalty_points, occurred_at, message_id, terminal_id)
    select * from cust_latest order by customer_id
    on conflict (customer_id) do update
      set name = excluded.name, email = excluded.email, phone = excluded.phone,
          loyalty_points = excluded.loyalty_points, occurred_at = excluded.occurred_at,
          message_id = excluded.message_id, terminal_id = excluded.terminal_id, updated_at = now()
      where (cu.occurred_at, cu.message_id) < (excluded.occurred_at, excluded.message_id)
  )
  select ins.message_id from ins;
end
$fn$;

revoke all on function posbus_private.ingest_batch(text, text, jsonb) from public, anon, authenticated;
grant usage on schema posbus_private to service_role;
grant execute on function posbus_private.ingest_batch(text, text, jsonb) to service_role;
