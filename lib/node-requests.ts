import http from "node:http";
import type net from "node:net";

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

/** The most of a request body the server still reads, after answering, before closing the connection. */
export const LINGER_LIMIT_BYTES = 40 * 1024 * 1024;
/** And the longest it waits for that body's end. */
const LINGER_LIMIT_MS = 15_000;

const lastRequest = new WeakMap<net.Socket, http.IncomingMessage>();

/**
 * A request whose answer came before its body was all received (a 413 for a body declared too large, a 404, a 401:
 * the answer does not wait for a body it will not use) on a connection the client asked to close: Node's server
 * closes the connection once the answer is written, with the client's bytes still arriving. The kernel answers those
 * bytes with a reset, which can reach the client before it has read the answer: it sees "connection reset" or
 * "EPIPE" instead of the 4xx. Here the server half-closes instead (the answer, then end of stream) and closes the
 * connection once the rest of the body has arrived (read and dropped, or read by whoever reads it), as nginx's
 * lingering close does. Bounded: only a body that declares its length, up to LINGER_LIMIT_BYTES, for at most
 * LINGER_LIMIT_MS; any other connection is closed at once, as before.
 */
export function lingerOnUnreadBodies() {
  onEveryRequest((request) => {
    const socket = request.socket;
    const isPatched = lastRequest.has(socket);
    lastRequest.set(socket, request);
    if (isPatched) return;
    const destroySoon = socket.destroySoon;
    socket.destroySoon = function lingeringDestroySoon(this: net.Socket) {
      const unread = lastRequest.get(this);
      const declared = Number(unread?.headers["content-length"] ?? Number.NaN);
      if (!unread || unread.complete || !(declared <= LINGER_LIMIT_BYTES) || this.destroyed) {
        return Reflect.apply(destroySoon, this, []);
      }
      if (this.writable) this.end();
      let isClosing = false;
      const close = () => {
        if (isClosing) return;
        isClosing = true;
        clearTimeout(timer);
        if (this.writableFinished) this.destroy();
        else this.once("finish", () => this.destroy());
      };
      const timer = setTimeout(close, LINGER_LIMIT_MS).unref();
      unread.once("end", close);
      unread.once("close", close);
      // Nobody may be reading it any more: its bytes are dropped as they come.
      unread.resume();
    };
  });
}
