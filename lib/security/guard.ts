import "server-only";
import { appError } from "@/lib/i18n/errors";
import { isCrossSiteRequest } from "./cross-origin";

/**
 * The first line of every route handler that may change something (POST, PUT, PATCH, DELETE): a forbidden (403)
 * when another site made the browser send it (./cross-origin.ts). Route handlers check it themselves rather than
 * proxy.ts: a proxy that runs on a request with a body makes Next buffer the whole body first (and cut it at 10 MB),
 * which a chat turn's first token and an upload must not wait for. lib/security/routes.test.ts finds a handler that
 * forgets.
 */
export function refuseCrossSite(request: Request): void {
  const pathname = new URL(request.url).pathname;
  if (isCrossSiteRequest({ method: request.method, pathname, headers: request.headers }, process.env)) {
    throw appError("forbidden", "errors.crossSiteRequest");
  }
}
