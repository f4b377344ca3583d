import { type NextRequest, NextResponse } from "next/server";
import { refusal } from "@/lib/request-guards";
import { PATH_HEADER } from "@/lib/utils";

// Tells server components which page was asked for (layouts and pages are not told), so a signed-out visitor sent to
// sign in comes back to it afterwards (lib/auth.ts requirePageUser). Pages only: no API routes or assets (the manifest and its icons load without a session).
// API paths holding a % escape come here too, for refusal's check of the escape (an API body is never read here: Next
// would buffer it whole for a proxy, before the route's own limit applies).

export async function proxy(request: NextRequest) {
  const refused = await refusal(request); // lib/request-guards.ts: requests Next would answer with a 500
  if (refused) return refused;
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|icon.svg|favicon.ico|manifest.webmanifest|icons/).*)", "/api/(.*%.*)"],
};
