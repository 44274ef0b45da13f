// Postgres access: one pool per process, one statement per batch, and a hard time limit.
import postgres from "postgres";
import { config } from "./config.ts";
import { HttpError } from "./http_error.ts";
import type { IngestRow } from "./validate.ts";

/** The database could not answer in time or at all: the caller should retry later (503). */
export class DbUnavailable extends Error {}

/**
 * The database refused the statement for a reason a retry does not cure (a constraint, a data error): answered 500
 * with the SQLSTATE, so that a lane can tell a message that keeps failing from an outage and isolate it.
 */
export class DbRefused extends Error {
  constructor(readonly sqlstate: string, message: string) {
    super(message);
  }
}

let pool: ReturnType<typeof postgres> | undefined;

// Created on first use, so importing this module (e.g. from the local router) never connects.
function db(): ReturnType<typeof postgres> {
  if (pool) return pool;
  const url = Deno.env.get("SUPABASE_DB_URL");
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  pool = postgres(url, {
    max: config.dbPoolMax,
    idle_timeout: 60,
    connect_timeout: Math.max(1, Math.ceil(config.dbTimeoutMs / 1000)),
    prepare: config.dbPrepare,
    // postgres.js has no query timeout of its own; the server cancels a statement that runs too long.
    connection: { statement_timeout: config.dbTimeoutMs, application_name: "sync-pos-message" },
    onnotice: () => {},
  });
  return pool;
}

// SQLSTATE classes that a retry can cure: connection (08), resources (53), operator intervention
// such as shutdown or query_canceled by statement_timeout (57), rollback/deadlock (40), lock (55P03).
function isTransient(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown };
  if (e?.name !== "PostgresError") return true; // socket-level: refused, reset, closed, connect timeout
  const code = String(e.code ?? "");
  return /^(08|53|57|40)/.test(code) || code === "55P03";
}

/**
 * Writes the batch in one statement (so one transaction) and returns the ids it newly inserted.
 * Never waits longer than POSBUS_DB_TIMEOUT_MS: a frozen database must not hang the request.
 * On a timeout the statement may still commit later; the lane's retry then sees `duplicate`.
 */
export async function ingest(uploadedBy: string, storeId: string, rows: IngestRow[]): Promise<Set<string>> {
  const sql = db();
  const result = await bounded(sql<{ id: string }[]>`
    select id from posbus_private.ingest_batch(${uploadedBy}, ${storeId}, ${sql.json(rows as never)}) as t(id)`);
  return new Set(result.map((r) => r.id));
}

/** Like ingest, for a store key: the database checks the key and the store named (HttpError 401/403) and writes in one statement. */
export async function ingestForKey(
  keyHash: Uint8Array,
  claimed: string | null,
  uploadedBy: string,
  rows: IngestRow[],
): Promise<Set<string>> {
  const sql = db();
  const result = await bounded(sql<{ id: string }[]>`
    select id from posbus_private.ingest_batch_for_key(${keyHash}, ${claimed}, ${uploadedBy}, ${
    sql.json(rows as never)
  }) as t(id)`);
  return new Set(result.map((r) => r.id));
}

/** The store of a store key, when nothing is written (reconcile, a batch with no valid message); HttpError 401/403 if refused. */
export async function storeOfKey(keyHash: Uint8Array, claimed: string | null): Promise<string> {
  const sql = db();
  const rows = await bounded(
    sql<{ store: string }[]>`select posbus_private.store_of_key(${keyHash}, ${claimed}) as store`,
  );
  return rows[0].store;
}

/** One sale as the cloud holds it, for reconciliation; money as text so that no digit is lost in JavaScript. */
export type CloudSale = {
  saleId: string;
  receiptNumber: string;
  occurredAt: string;
  totalMinor: string;
  payments: { tender: string; amountMinor: string }[];
};

/**
 * The sales of one origin lane of `storeId` whose time falls on `date` (UTC), with their payments.
 * A null store (service key, no store named: the single-store contract) reads that lane id in every store.
 */
export async function salesOfDay(storeId: string | null, terminalId: string, date: string): Promise<CloudSale[]> {
  const sql = db();
  // Two statements rather than `store_id = $1 or $1 is null`, whose generic plan could not use the store index.
  const store = storeId === null ? sql`` : sql`and t.store_id = ${storeId}`;
  return await bounded(sql<CloudSale[]>`
    select t.sale_id::text as "saleId", t.receipt_number as "receiptNumber",
           to_char(t.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
           t.total_minor::text as "totalMinor",
           coalesce((select json_agg(json_build_object('tender', p.tender, 'amountMinor', p.amount_minor::text) order by p.payment_no)
                     from public.transaction_payments p where p.sale_id = t.sale_id), '[]'::json) as payments
    from public.transactions t
    where t.terminal_id = ${terminalId} ${store}
      and t.occurred_at >= (${date}::date)::timestamp at time zone 'UTC'
      and t.occurred_at < (${date}::date + 1)::timestamp at time zone 'UTC'
    order by t.occurred_at, t.sale_id`);
}

/** One message as `pos_messages` holds it, for a journey read; times as UTC ISO text. */
export type CloudMessageRow = {
  storeId: string;
  terminalId: string;
  topic: string;
  createdAt: string;
  peerAckedAt: string | null;
  receivedAt: string;
  uploadedBy: string;
};

/** The message with `messageId` in `storeId` (any store when null: the service key without a store named), or null. */
export async function messageRow(storeId: string | null, messageId: string): Promise<CloudMessageRow | null> {
  const sql = db();
  const store = storeId === null ? sql`` : sql`and m.store_id = ${storeId}`;
  const rows = await bounded(sql<CloudMessageRow[]>`
    select m.store_id as "storeId", m.terminal_id as "terminalId", m.topic,
           to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
           to_char(m.peer_acked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "peerAckedAt",
           to_char(m.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "receivedAt",
           m.uploaded_by as "uploadedBy"
    from public.pos_messages m
    where m.message_id = ${messageId}::uuid ${store}`);
  return rows[0] ?? null;
}

/**
 * Runs a query but never waits longer than POSBUS_DB_TIMEOUT_MS: a frozen database must not hang the request.
 * On a timeout a write may still commit later; the lane's retry then sees `duplicate`.
 */
async function bounded<T>(query: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DbUnavailable(`database did not answer within ${config.dbTimeoutMs} ms`)),
      config.dbTimeoutMs,
    );
  });
  query.catch(() => {}); // the loser of the race must not become an unhandled rejection
  try {
    return await Promise.race([query, timeout]);
  } catch (err) {
    if (err instanceof DbUnavailable) throw err;
    // The database refused the store key (posbus_private.store_of_key): answered to the caller as is.
    const code = String((err as { code?: unknown })?.code ?? "");
    if (code === "PB401" || code === "PB403") throw new HttpError(Number(code.slice(2)), (err as Error).message);
    if (isTransient(err)) throw new DbUnavailable(`database unavailable: ${(err as Error).message}`);
    if (/^[0-9A-Z]{5}$/.test(code)) throw new DbRefused(code, (err as Error).message);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
