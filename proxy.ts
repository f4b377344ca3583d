import { type NextRequest, NextResponse } from "next/server";
import { PATH_HEADER } from "@/lib/utils";

// Tells server components which page was asked for (layouts and pages are not told), so a signed-out visitor sent to
// sign in comes back to it afterwards (lib/auth.ts requirePageUser). Pages only: no API routes or assets (the manifest and its icons load without a session).

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|sign-in|sign-up|icon.svg|favicon.ico|manifest.webmanifest|icons/).*)"],
};
