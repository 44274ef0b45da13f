// Who is calling: the project's service key (one-store setups, admin tools: any store it names) or a
// store key issued by infra/supabase/store-key.sh (exactly one store, derived from the key, never
// from the body). Store keys travel to Postgres only as their SHA-256, and are checked there in the
// same statement as the write (posbus_private.ingest_batch_for_key); the cloud never holds a key.
import { isAuthorized, offeredKeys, sha256 } from "./auth.ts";
import { HttpError } from "./http_error.ts";

export const STORE_KEY_PREFIX = "pbsk_";
const MAX_KEY_LENGTH = 200;

export type Caller = { kind: "service" } | { kind: "store"; keyHash: Uint8Array };

/** The service key, or the hash of a key shaped like a store key (checked later, in the database); else 401. */
export async function callerOf(req: Request): Promise<Caller> {
  if (await isAuthorized(req, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY"))) return { kind: "service" };
  const key = offeredKeys(req).find((k) => k.startsWith(STORE_KEY_PREFIX) && k.length <= MAX_KEY_LENGTH);
  if (!key) throw new HttpError(401, "missing or wrong key");
  return { kind: "store", keyHash: await sha256(key) };
}

/** The service key acts for the store it names; `required` says whether it must name one (400 otherwise). */
export function serviceStore(claimed: string | null, required: boolean): string | null {
  if (claimed === null && required) throw new HttpError(400, "storeId is required with the service key");
  return claimed;
}
