// Local stand-in for Supabase's functions gateway: serves each function's exported handler under
// /functions/v1/<name>, with the same paths and auth headers as production (the handler checks keys).
import { handler as syncPosMessage } from "../supabase/functions/sync-pos-message/index.ts";

const functions: Record<string, (req: Request) => Promise<Response>> = {
  "sync-pos-message": syncPosMessage,
};

const port = Number(Deno.env.get("POSBUS_LISTEN_PORT") ?? "54321");

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) => console.log(`local functions gateway on http://${hostname}:${port}/functions/v1/`),
}, (req) => {
  const match = /^\/functions\/v1\/([^/]+)\/?$/.exec(new URL(req.url).pathname);
  const fn = match ? functions[match[1]] : undefined;
  if (!fn) return Response.json({ error: "no such function" }, { status: 404 });
  return fn(req); // any method: the function itself answers 405 to non-POST
});
