// Journey read: GET ?action=message&messageId=<uuid>[&storeId=] answers where the cloud holds one message (its store,
// origin lane, topic, times and the lane that uploaded it), so `posbus trace` can show the cloud's end of a sale's
// journey. Read only; a store key reads its own store only, and a message of another store reads as not found.
import { type Caller, serviceStore } from "./caller.ts";
import { type CloudMessageRow, messageRow, storeOfKey } from "./db.ts";
import { BadQuery } from "./reconcile.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the query string; returns the message id and the named store, or throws BadQuery naming the parameter. */
export function parseMessageQuery(url: URL): { messageId: string; storeId: string | null } {
  const messageId = url.searchParams.get("messageId") ?? "";
  if (!UUID.test(messageId)) throw new BadQuery("messageId must be a message id (a UUID)");
  const storeId = url.searchParams.get("storeId");
  if (storeId !== null && (storeId.trim() === "" || storeId.length > 64)) {
    throw new BadQuery("storeId must be a store id");
  }
  return { messageId: messageId.toLowerCase(), storeId };
}

export async function messageLookup(
  url: URL,
  caller: Caller,
): Promise<{ messageId: string; found: boolean; message: CloudMessageRow | null }> {
  const { messageId, storeId } = parseMessageQuery(url);
  const store = caller.kind === "store" ? await storeOfKey(caller.keyHash, storeId) : serviceStore(storeId, false);
  const row = await messageRow(store, messageId);
  return { messageId, found: row !== null, message: row };
}
