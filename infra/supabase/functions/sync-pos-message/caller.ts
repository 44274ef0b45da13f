// Who is calling: the project's service key (one-store setups, admin tools: any store it names) or a
// store key issued by infra/supabase/store-key.sh (exactly one store, derived from the key, never
// from the body). Store keys are looked up by their SHA-256; the cloud never holds a key itself.
import { isAuthorized, offeredKeys, sha256 } from "./auth.ts";
import { storeOfKey } from "./db.ts";
import { HttpError } from "./http_error.ts";

export const STORE_KEY_PREFIX = "pbsk_";
const MAX_KEY_LENGTH = 200;

export type Caller = { kind: "service" } | { kind: "store"; storeId: string };

/** Identifies the caller or throws HttpError 401 (no valid credential) or 403 (valid, store closed); reads the database only for a key shaped like a store key. */
export async function callerOf(req: Request): Promise<Caller> {
  if (await isAuthorized(req, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY"))) return { kind: "service" };
  const key = offeredKeys(req).find((k) => k.startsWith(STORE_KEY_PREFIX) && k.length <= MAX_KEY_LENGTH);
  if (!key) throw new HttpError(401, "missing or wrong key");
  const found = await storeOfKey(await sha256(key));
  if (!found) throw new HttpError(401, "missing or wrong key");
  if (found.revoked) throw new HttpError(401, "this store key has been revoked");
  if (!found.active) throw new HttpError(403, "the store of this key is not active");
  return { kind: "store", storeId: found.storeId };
}

/**
 * The store a request acts for. A store key acts for its own store only: a body or query naming
 * another store is refused (403) before anything is read or written. The service key acts for the
 * store it names; `required` says whether it must name one.
 */
export function storeFor(caller: Caller, claimed: string | null, required: boolean): string | null {
  if (caller.kind === "store") {
    if (claimed !== null && claimed !== caller.storeId) {
      throw new HttpError(403, "this key belongs to another store than the one the request names");
    }
    return caller.storeId;
  }
  if (claimed === null && required) throw new HttpError(400, "storeId is required with the service key");
  return claimed;
}
