// Reconciliation read: GET ?action=reconcile&terminalId=L1&date=YYYY-MM-DD[&storeId=] answers the sales the cloud holds
// for that origin lane of the caller's store and UTC day, with their payments, so `posbus reconcile` can compare them
// with the lane's own. Read only. Lane ids repeat across stores: a store key reads its own store only.
import { type Caller, serviceStore } from "./caller.ts";
import { salesOfDay, storeOfKey } from "./db.ts";
import { LIMITS } from "./validate.ts";

export class BadQuery extends Error {}

/** Checks the query string; returns the terminal id and day, or throws BadQuery naming the parameter. */
export function parseReconcileQuery(url: URL): { storeId: string | null; terminalId: string; date: string } {
  const terminalId = url.searchParams.get("terminalId") ?? "";
  const storeId = url.searchParams.get("storeId");
  if (storeId !== null && !cleanId(storeId)) throw new BadQuery("storeId must be a non-empty store id");
  const date = url.searchParams.get("date") ?? "";
  if (!cleanId(terminalId)) {
    throw new BadQuery("terminalId must be a non-empty lane id");
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : undefined;
  if (!parsed || parsed.toISOString().slice(0, 10) !== date) {
    throw new BadQuery("date must be a real day as YYYY-MM-DD");
  }
  return { storeId, terminalId, date };
}

function cleanId(v: string): boolean {
  return v.trim() !== "" && v.length <= LIMITS.id && v.isWellFormed() && !v.includes("\u0000");
}

export async function reconcile(
  url: URL,
  caller: Caller,
): Promise<{ terminalId: string; date: string; sales: unknown[] }> {
  const { storeId, terminalId, date } = parseReconcileQuery(url);
  const store = caller.kind === "store" ? await storeOfKey(caller.keyHash, storeId) : serviceStore(storeId, false);
  return { terminalId, date, sales: await salesOfDay(store, terminalId, date) };
}
