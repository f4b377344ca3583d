import { type NextRequest, NextResponse } from "next/server";
import { refusal, refusalResponse } from "@/lib/request-guards";
import { isCrossSiteRequest } from "@/lib/security/cross-origin";
import {
  isHttpsRequest,
  NONCE_HEADER,
  pageContentSecurityPolicy,
  STRICT_TRANSPORT_SECURITY,
} from "@/lib/security/headers";
import { PATH_HEADER } from "@/lib/utils";

// Pages only (server actions are posts to a page; an API path Next cannot decode is lib/node-requests.ts's): API
// routes and assets get their fixed headers from next.config.js and check cross-site requests in their handlers (lib/security/guard.ts), because a proxy on a request with a body
// makes Next buffer all of it first. For each page request:
// - refuses a server action another site made the browser send (lib/security/cross-origin.ts), before Next reads it;
// - refuses what Next would answer with a 500 (lib/request-guards.ts: a malformed % escape, a server action body it
//   cannot read);
// - a Content-Security-Policy with a nonce of its own (lib/security/headers.ts): Next reads the nonce from the
//   request's policy header and puts it on its scripts; the layout reads it for the theme's script (NONCE_HEADER);
// - tells server components which page was asked for (layouts and pages are not told), so a signed-out visitor sent
//   to sign in comes back to it afterwards (lib/auth.ts requirePageUser).

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isCrossSiteRequest({ method: request.method, pathname, headers: request.headers }, process.env))
    return refusalResponse(request, "forbidden", { key: "errors.crossSiteRequest" });
  const refused = await refusal(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const isHttps = isHttpsRequest(request.headers, request.url);
  const policy = pageContentSecurityPolicy({
    nonce,
    isDevelopment: process.env.NODE_ENV === "development",
    isHttps,
    env: process.env,
  });
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${pathname}${search}`);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  if (isHttps) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/|icon.svg|favicon.ico|manifest.webmanifest|icons/|og.png|robots.txt).*)"],
};
