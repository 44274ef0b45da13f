// Key check for the function. New `sb_secret_` keys are not JWTs, so the gateway's JWT check is
// off (config.toml: verify_jwt = false) and the function compares the key itself.

const encoder = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

// Comparing fixed-length digests with no early exit: timing says nothing about the key,
// not even its length.
function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Keys offered by the caller: `Authorization: Bearer <key>` and/or `apikey: <key>`. */
export function offeredKeys(req: Request): string[] {
  const keys: string[] = [];
  const auth = req.headers.get("authorization");
  const bearer = auth?.match(/^Bearer\s+(.+)$/i);
  if (bearer) keys.push(bearer[1].trim());
  const apikey = req.headers.get("apikey");
  if (apikey) keys.push(apikey.trim());
  return keys;
}

let cached: { key: string; digest: Uint8Array } | undefined;

/** True if any offered key equals the expected service key. An empty expected key accepts nothing. */
export async function isAuthorized(req: Request, expectedKey: string | undefined): Promise<boolean> {
  if (!expectedKey) return false;
  if (cached?.key !== expectedKey) cached = { key: expectedKey, digest: await sha256(expectedKey) };
  const expected = cached.digest;
  let ok = false;
  // Check every offered key (no short-circuit) so the answer time does not depend on which matched.
  for (const key of offeredKeys(req)) {
    if (equalDigests(await sha256(key), expected)) ok = true;
  }
  return ok;
}
