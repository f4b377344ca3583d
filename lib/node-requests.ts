import http from "node:http";

// What the app does to each request as Node's HTTP server receives it, before Next.js sees it. Installed once, by
// instrumentation.ts, before the first request.

type RequestHook = (request: http.IncomingMessage) => void;

const hooks: RequestHook[] = [];

function onEveryRequest(hook: RequestHook) {
  if (hooks.length === 0) {
    const emit = http.Server.prototype.emit;
    http.Server.prototype.emit = function emitWithHooks(this: http.Server, event: string, ...args: unknown[]) {
      if (event === "request") for (const run of hooks) run(args[0] as http.IncomingMessage);
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof emit;
  }
  hooks.push(hook);
}

/**
 * Without a trusted proxy (TRUST_PROXY=0) a client's own X-Forwarded-For is a lie it may rotate to dodge per-address
 * limits. Next.js fills the header from the socket only when the request has none (`??=` in its base server), so
 * dropping the client's header as the request arrives leaves the socket's address there (lib/rate-limit.ts
 * clientIp).
 */
export function dropClientForwardedFor() {
  onEveryRequest((request) => {
    delete request.headers["x-forwarded-for"];
  });
}

/**
 * An API path with a malformed percent escape (`/api/conversations/%E0%A4%A`, a lone `%`) is taken literally: its
 * `%` become `%25`, so Next decodes it (instead of answering 500) and the route finds no such id (404), or refuses
 * it (lib/http.ts pathIds). Pages get a 400 from proxy.ts instead; API requests stay out of the proxy, which would
 * buffer their bodies (lib/request-guards.ts).
 */
export function takeMalformedApiPathsLiterally() {
  onEveryRequest((request) => {
    const url = request.url ?? "";
    if (!url.startsWith("/api/") || !url.includes("%")) return;
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    try {
      decodeURIComponent(path);
    } catch {
      request.url = `${path.replaceAll("%", "%25")}${queryAt === -1 ? "" : url.slice(queryAt)}`;
    }
  });
}
