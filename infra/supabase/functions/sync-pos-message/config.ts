// Tunables from the environment, read once per process.

function intEnv(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

export const config = {
  maxBatchMessages: intEnv("POSBUS_MAX_BATCH_MESSAGES", 1000),
  maxBodyBytes: intEnv("POSBUS_MAX_BODY_BYTES", 5 * 1024 * 1024),
  dbTimeoutMs: intEnv("POSBUS_DB_TIMEOUT_MS", 10_000),
  dbPoolMax: intEnv("POSBUS_DB_POOL_MAX", 10),
  retryAfterSeconds: intEnv("POSBUS_RETRY_AFTER_S", 5),
  // Transaction poolers (Supavisor on port 6543) cannot keep prepared statements.
  dbPrepare: Deno.env.get("POSBUS_DB_PREPARE") !== "false",
  logRequests: Deno.env.get("POSBUS_LOG_REQUESTS") === "1",
};
