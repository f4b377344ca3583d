import http from "node:http";

/**
 * Without a trusted proxy (TRUST_PROXY=0) a client's own X-Forwarded-For is a lie it may rotate to dodge per-address
 * limits. Next.js fills the header from the socket only when the request has none (`??=` in its base server), so
 * dropping the client's header as the request arrives leaves the socket's address there (lib/rate-limit.ts
 * clientIp). Installed once, by instrumentation.ts, before the first request.
 */
export function dropClientForwardedFor() {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithoutForwardedFor(this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") delete (args[0] as http.IncomingMessage).headers["x-forwarded-for"];
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
