// sync-pos-message: a lane uploads a batch of POS messages; each is answered inserted | duplicate |
// invalid, and the valid ones are written in one Postgres transaction, idempotently by message id.
// GET ?action=reconcile&terminalId=&date= (same key) reads back one lane's sales of a day (reconcile.ts);
// GET ?action=message&messageId= reads where the cloud holds one message (message.ts, for `posbus trace`).
// The store of every row comes from the credential (caller.ts): a store key writes its own store only.
// A message of a topic this cloud has no derived table for is kept raw in pos_messages (validate.ts).
// A write the database refuses for good (constraint, data error) is answered 500 with its `sqlstate`.
// Runs as a Supabase Edge Function (Deno.serve below) and under infra/local-cloud/serve.ts.
import { type Caller, callerOf, serviceStore } from "./caller.ts";
import { config } from "./config.ts";
import { DbRefused, DbUnavailable, ingest, ingestForKey, storeOfKey } from "./db.ts";
import { HttpError } from "./http_error.ts";
import { BadQuery, reconcile } from "./reconcile.ts";
import { messageLookup } from "./message.ts";
import { bodyMayHoldBadText, type IngestRow, Invalid, LIMITS, validateMessage } from "./validate.ts";

type Result = { messageId: unknown; status: "inserted" | "duplicate" | "invalid"; reason?: string };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Reads at most maxBodyBytes, whatever Content-Length claims (it may be absent or lie). */
async function readBody(req: Request): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > config.maxBodyBytes) {
    throw new HttpError(413, `body larger than ${config.maxBodyBytes} bytes`);
  }
  if (!req.body) throw new HttpError(400, "empty body");
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > config.maxBodyBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, `body larger than ${config.maxBodyBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "body is not valid UTF-8");
  }
}

type Batch = { terminalId: string; storeId: string | null; messages: unknown[]; textChecks: boolean };

function parseBatch(text: string): Batch {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "body must be a JSON object");
  }
  const { terminalId, storeId, messages } = body as Record<string, unknown>;
  const cleanId = (v: unknown) =>
    typeof v === "string" && v.trim() !== "" && v.length <= LIMITS.id && !v.includes("\u0000") && v.isWellFormed();
  if (!cleanId(terminalId)) throw new HttpError(400, "terminalId must be a non-empty string");
  if (storeId !== undefined && storeId !== null && !cleanId(storeId)) {
    throw new HttpError(400, "storeId must be a non-empty string or null");
  }
  if (!Array.isArray(messages)) throw new HttpError(400, "messages must be an array");
  if (messages.length > config.maxBatchMessages) {
    throw new HttpError(413, `more than ${config.maxBatchMessages} messages in one batch`);
  }
  return {
    terminalId: terminalId as string,
    storeId: (storeId as string | undefined) ?? null,
    messages,
    textChecks: bodyMayHoldBadText(text),
  };
}

/** Validates every message, then writes the valid ones for the caller's store (a store key is refused by the database before any write). */
async function sync(batch: Batch, caller: Caller): Promise<Result[]> {
  const results: Result[] = [];
  const rows: IngestRow[] = [];
  const rowIndex: number[] = []; // results index of each row
  for (const raw of batch.messages) {
    const messageId = (raw as { messageId?: unknown } | null)?.messageId ?? null;
    try {
      rows.push(validateMessage(raw, batch.terminalId, batch.textChecks));
      rowIndex.push(results.length);
      results.push({ messageId, status: "duplicate" });
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      results.push({ messageId, status: "invalid", reason: err.message });
    }
  }
  let inserted: Set<string>;
  if (caller.kind === "service") {
    const storeId = serviceStore(batch.storeId, rows.length > 0);
    if (rows.length === 0) return results;
    inserted = await ingest(batch.terminalId, storeId!, rows);
  } else if (rows.length === 0) {
    await storeOfKey(caller.keyHash, batch.storeId); // nothing to write, but a refused key is still refused
    return results;
  } else {
    inserted = await ingestForKey(caller.keyHash, batch.storeId, batch.terminalId, rows);
  }
  // A message id listed twice in one batch is inserted once; the later copy reads `duplicate`.
  rows.forEach((row, i) => {
    if (inserted.delete(row.message_id)) results[rowIndex[i]].status = "inserted";
  });
  return results;
}

export async function handler(req: Request): Promise<Response> {
  const started = performance.now();
  try {
    const url = new URL(req.url);
    const action = req.method === "GET" ? url.searchParams.get("action") : null;
    const reading = action === "reconcile" || action === "message";
    if (req.method !== "POST" && !reading) return json(405, { error: "only POST is allowed" }, { allow: "POST" });
    const caller = await callerOf(req);
    if (action === "reconcile") return json(200, await reconcile(url, caller));
    if (action === "message") return json(200, await messageLookup(url, caller));
    const batch = parseBatch(await readBody(req));
    const results = await sync(batch, caller);
    if (config.logRequests) {
      const ms = (performance.now() - started).toFixed(1);
      console.log(
        `sync ${caller.kind} store=${batch.storeId} terminal=${batch.terminalId} messages=${results.length} ms=${ms}`,
      );
    }
    return json(200, { results });
  } catch (err) {
    if (err instanceof HttpError) return json(err.status, { error: err.message });
    if (err instanceof BadQuery) return json(400, { error: err.message });
    if (err instanceof DbUnavailable) {
      console.error(`503: ${err.message}`);
      return json(503, { error: "database unavailable, retry later" }, {
        "retry-after": String(config.retryAfterSeconds),
      });
    }
    if (err instanceof DbRefused) {
      // The statement failed as a whole (nothing of the batch is written); the lane splits the batch to find the
      // message that keeps failing (a data error or a constraint the validation does not know) and dead-letters it.
      console.error(`500: database refused the batch: ${err.sqlstate} ${err.message}`);
      return json(500, { error: `database refused the batch: ${err.message}`, sqlstate: err.sqlstate });
    }
    console.error("500:", err);
    return json(500, { error: "internal error" });
  }
}

if (import.meta.main) Deno.serve(handler);
