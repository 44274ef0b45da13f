// Validation of one uploaded message. Everything that reaches Postgres passes here first: a single
// NUL character, lone surrogate, impossible date or out-of-range number would abort the whole
// batch's transaction, so such a message is answered `invalid` and the rest still lands.
// A topic this cloud knows (transaction, inventory, customer) is checked field by field and feeds the derived
// tables; any other well-formed topic (a newer lane's message type) is checked as an envelope and a clean JSON
// object, and kept raw in pos_messages only.

/** The topics with derived tables. */
export type KnownTopic = "transaction" | "inventory" | "customer";

/** A message ready for posbus_private.ingest_batch (snake_case keys = the SQL recordset columns). */
export interface IngestRow {
  message_id: string;
  terminal_id: string;
  topic: string;
  created_at: string;
  peer_acked_at: string | null;
  data: Record<string, unknown>;
}

export class Invalid extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ISO-8601 with a zone; .NET writes up to 7 fractional digits (Postgres rounds to microseconds).
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;
const MIN_YEAR = 2000; // POS data older than this is a broken clock, not history
const MAX_YEAR = 2100;
const INT32 = 2 ** 31 - 1;
const MAX_DEPTH = 32;

export const LIMITS = { id: 200, text: 1000, email: 320, phone: 64, lines: 1000, payments: 100 };
const REASONS = new Set(["sale", "return", "count", "damage", "receipt"]);

function fail(message: string): never {
  throw new Invalid(message);
}

/** No NUL (Postgres text/jsonb reject it) and no lone surrogate (not encodable as UTF-8). */
function checkText(value: string, path: string): void {
  if (value.includes("\u0000")) fail(`${path} contains a NUL character`);
  if (!value.isWellFormed()) fail(`${path} contains a lone surrogate`);
}

/**
 * Walks the whole payload: it is stored as jsonb, so unknown fields and keys must be clean too.
 * `textChecks` false skips the per-string checks when the raw body proved them unnecessary
 * (see bodyMayHoldBadText); the depth limit is always enforced. Paths are built only on failure.
 */
function checkTree(value: unknown, depth: number, textChecks: boolean): string | null {
  if (depth > MAX_DEPTH) return ` is nested deeper than ${MAX_DEPTH}`;
  if (typeof value === "string") {
    return textChecks && !cleanText(value) ? " contains a NUL character or a lone surrogate" : null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : " is not a finite number";
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = checkTree(value[i], depth + 1, textChecks);
      if (bad !== null) return `[${i}]${bad}`;
    }
    return null;
  }
  for (const k in value) {
    if (textChecks && !cleanText(k)) return ` has a key with a NUL or lone surrogate`;
    const bad = checkTree((value as Record<string, unknown>)[k], depth + 1, textChecks);
    if (bad !== null) return `.${k}${bad}`;
  }
  return null;
}

function cleanText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

/**
 * A body decoded as strict UTF-8 can hold a NUL or a lone surrogate only as a JSON escape
 * (\u0000, \uD800-\uDFFF). Without one, every string is clean and the walk can skip them: most
 * of the validation cost otherwise.
 */
export function bodyMayHoldBadText(body: string): boolean {
  return /\\u(0000|[dD][89a-fA-F])/.test(body);
}

function str(obj: Record<string, unknown>, key: string, path: string, max: number, allowEmpty = false): string {
  const v = obj[key];
  if (typeof v !== "string") fail(`${path}.${key} must be a string`);
  if (!allowEmpty && v.trim() === "") fail(`${path}.${key} must not be empty`);
  if (v.length > max) fail(`${path}.${key} is longer than ${max} characters`);
  return v;
}

function optStr(obj: Record<string, unknown>, key: string, path: string, max: number): string | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  return str(obj, key, path, max, true);
}

function int(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) fail(`${path}.${key} must be a safe integer`);
  if (v < min || v > max) fail(`${path}.${key} must be between ${min} and ${max}`);
  return v;
}

function uuid(obj: Record<string, unknown>, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== "string" || !UUID.test(v)) fail(`${path}.${key} must be a uuid`);
  return v.toLowerCase();
}

function optUuid(obj: Record<string, unknown>, key: string, path: string): string | null {
  return obj[key] === null || obj[key] === undefined ? null : uuid(obj, key, path);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS[month - 1];
}

/**
 * A real instant in [2000, 2100]: rejects 2024-02-30, 25:00, +15:00 offsets and the like.
 * Plain arithmetic, no Date objects: this runs twice per message and Date was half the cost.
 */
export function isoDate(obj: Record<string, unknown>, key: string, path: string): string {
  const v = obj[key];
  const m = typeof v === "string" ? ISO.exec(v) : null;
  if (!m) fail(`${path}.${key} must be an ISO-8601 timestamp with a zone`);
  const y = +m[1], mo = +m[2], d = +m[3];
  const real = mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && +m[4] < 24 && +m[5] < 60 && +m[6] < 60;
  const offsetOk = m[8] === "Z" || (+m[9] <= 14 && +m[10] < 60);
  if (!real || !offsetOk) fail(`${path}.${key} is not a valid date/time`);
  if (y < MIN_YEAR || y > MAX_YEAR) fail(`${path}.${key} is outside ${MIN_YEAR}..${MAX_YEAR}`);
  return v as string;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(`${path} must be an object`);
  return v as Record<string, unknown>;
}

function arr(o: Record<string, unknown>, key: string, path: string, max: number): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(`${path}.${key} must be an array`);
  if (v.length > max) fail(`${path}.${key} has more than ${max} entries`);
  return v;
}

function sumSafe(values: number[], what: string): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) fail(`${what} overflows`);
  }
  return total;
}

function checkTransaction(d: Record<string, unknown>): void {
  uuid(d, "saleId", "data");
  str(d, "receiptNumber", "data", LIMITS.id);
  if (typeof d.currency !== "string" || !/^[A-Z]{3}$/.test(d.currency)) {
    fail("data.currency must be a 3-letter ISO 4217 code");
  }
  str(d, "cashierId", "data", LIMITS.id);
  optStr(d, "customerId", "data", LIMITS.id);

  const lineNos = new Set<number>();
  const lineTotals = arr(d, "lines", "data", LIMITS.lines).map((raw, i) => {
    const p = `data.lines[${i}]`;
    const l = obj(raw, p);
    const lineNo = int(l, "lineNo", p, 1, INT32);
    if (lineNos.has(lineNo)) fail(`${p}.lineNo ${lineNo} is repeated`);
    lineNos.add(lineNo);
    str(l, "sku", p, LIMITS.id);
    str(l, "description", p, LIMITS.text, true);
    const qty = int(l, "quantity", p, -INT32, INT32); // negative on a return line
    const price = int(l, "unitPriceMinor", p, 0);
    int(l, "taxMinor", p);
    const total = int(l, "lineTotalMinor", p);
    const expected = qty * price;
    if (!Number.isSafeInteger(expected) || total !== expected) {
      fail(`${p}.lineTotalMinor ${total} is not quantity × unitPriceMinor (${expected})`);
    }
    return total;
  });

  const subtotal = int(d, "subtotalMinor", "data");
  const tax = int(d, "taxMinor", "data");
  const total = int(d, "totalMinor", "data");
  const linesSum = sumSafe(lineTotals, "sum of lines");
  if (linesSum !== subtotal) fail(`data.subtotalMinor ${subtotal} is not the sum of the lines (${linesSum})`);
  if (subtotal + tax !== total) fail(`data.totalMinor ${total} is not subtotalMinor + taxMinor (${subtotal + tax})`);

  const amounts = arr(d, "payments", "data", LIMITS.payments).map((raw, i) => {
    const p = `data.payments[${i}]`;
    const pay = obj(raw, p);
    str(pay, "tender", p, LIMITS.id);
    optStr(pay, "reference", p, LIMITS.id);
    const amount = int(pay, "amountMinor", p);
    // A sale takes money in, a refund pays it out; a payment against the direction is an error.
    if (total >= 0 && amount < 0) fail(`${p}.amountMinor must not be negative in a sale`);
    if (total < 0 && amount > 0) fail(`${p}.amountMinor must not be positive in a refund`);
    return amount;
  });
  const paid = sumSafe(amounts, "sum of payments");
  // Paying more than the total is fine (change given); less is an unpaid sale.
  if (total >= 0 && paid < total) fail(`payments (${paid}) do not cover totalMinor (${total})`);
  if (total < 0 && paid !== total) fail(`refund payments (${paid}) do not equal totalMinor (${total})`);
}

function checkInventory(d: Record<string, unknown>): void {
  str(d, "sku", "data", LIMITS.id);
  int(d, "delta", "data", -INT32, INT32);
  const reason = d.reason;
  if (typeof reason !== "string" || !REASONS.has(reason)) fail(`data.reason must be one of ${[...REASONS].join(", ")}`);
  optUuid(d, "saleId", "data");
}

function checkCustomer(d: Record<string, unknown>): void {
  str(d, "customerId", "data", LIMITS.id);
  str(d, "name", "data", LIMITS.text, true);
  optStr(d, "email", "data", LIMITS.email);
  optStr(d, "phone", "data", LIMITS.phone);
  int(d, "loyaltyPoints", "data", 0);
}

const TOPICS: Record<KnownTopic, (d: Record<string, unknown>) => void> = {
  transaction: checkTransaction,
  inventory: checkInventory,
  customer: checkCustomer,
};

// The same rule as the pos_messages_topic_well_formed constraint (migration 20261208000000_any_topic.sql).
const TOPIC = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function isKnown(topic: string): topic is KnownTopic {
  return Object.hasOwn(TOPICS, topic);
}

/** Validates one message of a batch uploaded by `uploader`; throws Invalid with the reason. */
export function validateMessage(raw: unknown, uploader: string, textChecks = true): IngestRow {
  const m = obj(raw, "message");
  const messageId = uuid(m, "messageId", "message");
  const origin = m.originTerminalId === undefined || m.originTerminalId === null
    ? uploader
    : str(m, "originTerminalId", "message", LIMITS.id);
  checkText(origin, "message.originTerminalId");
  const topic = m.topic;
  if (typeof topic !== "string" || !TOPIC.test(topic)) {
    fail(`message.topic '${String(topic).slice(0, 50)}' is not a topic (1-64 letters, digits, '.', '_', ':', '-')`);
  }
  const createdAt = isoDate(m, "timestamp", "message");
  const peerAckedAt = m.peerAckedAt === null || m.peerAckedAt === undefined
    ? null
    : isoDate(m, "peerAckedAt", "message");

  const data = obj(m.data, "data");
  const bad = checkTree(data, 0, textChecks);
  if (bad !== null) fail(`data${bad}`);
  if (isKnown(topic)) {
    if (uuid(data, "messageId", "data") !== messageId) fail("data.messageId differs from messageId");
    str(data, "terminalId", "data", LIMITS.id);
    isoDate(data, "occurredAt", "data");
    TOPICS[topic](data);
  }

  return {
    message_id: messageId,
    terminal_id: origin,
    topic,
    created_at: createdAt,
    peer_acked_at: peerAckedAt,
    data,
  };
}
