// Reconciliation read: GET ?action=reconcile&terminalId=L1&date=YYYY-MM-DD answers the sales the cloud holds for that
// origin lane and UTC day, with their payments, so `posbus reconcile` can compare them with the lane's own. Read only.
import { salesOfDay } from "./db.ts";
import { LIMITS } from "./validate.ts";

export class BadQuery extends Error {}

/** Checks the query string; returns the terminal id and day, or throws BadQuery naming the parameter. */
export function parseReconcileQuery(url: URL): { terminalId: string; date: string } {
  const terminalId = url.searchParams.get("terminalId") ?? "";
  const date = url.searchParams.get("date") ?? "";
  if (terminalId.trim() === "" || terminalId.length > LIMITS.id || !terminalId.isWellFormed() || terminalId.includes("\u0000")) {
    throw new BadQuery("terminalId must be a non-empty lane id");
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : undefined;
  if (!parsed || parsed.toISOString().slice(0, 10) !== date) throw new BadQuery("date must be a real day as YYYY-MM-DD");
  return { terminalId, date };
}

export async function reconcile(url: URL): Promise<{ terminalId: string; date: string; sales: unknown[] }> {
  const { terminalId, date } = parseReconcileQuery(url);
  return { terminalId, date, sales: await salesOfDay(terminalId, date) };
}
