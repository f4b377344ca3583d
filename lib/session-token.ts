import "server-only";
import type { NextAuthConfig } from "next-auth";
import { getToken } from "next-auth/jwt";

// Who is signed in, read from the session cookie exactly as Auth.js's session endpoint reads it, and nothing more.
// Auth.js's `auth()` runs that whole endpoint on every call: it decodes the session's JWT, then encrypts it again
// with a new expiry (a key derivation and a JWE encryption) for a cookie that a server component or a route handler
// throws away (next-auth's `auth()` without arguments returns only the session). That was 4–14 ms of every chat
// turn before its upstream call (docs/performance.md). So the cookie is decoded here with Auth.js's own `getToken`
// (its SessionStore joins chunked cookies, its `decode` tries each secret), under the name, salt and secrets Auth.js
// itself uses, read from the config NextAuth() filled in. Wherever Auth.js would find no session, this finds none.

/** The variables Auth.js reads for the session's URL. */
type UrlEnv = { AUTH_URL?: string; NEXTAUTH_URL?: string; [name: string]: string | undefined };

/** What Auth.js decided at start-up, on the config object NextAuth() was given (it fills in secret and trustHost). */
export type SessionConfig = Pick<NextAuthConfig, "secret" | "trustHost" | "useSecureCookies" | "cookies">;

/**
 * Whether Auth.js uses its secure (`__Secure-`) cookies for this request: as its `createActionURL` builds the
 * session URL — AUTH_URL (or NEXTAUTH_URL) when set, else the forwarded or own host with `x-forwarded-proto`,
 * https when absent — unless the config says so itself. Throws on a URL Auth.js could not build either.
 */
function usesSecureCookies(headers: Headers, config: SessionConfig, env: UrlEnv): boolean {
  if (config.useSecureCookies !== undefined) return config.useSecureCookies;
  const envUrl = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (envUrl) return new URL(envUrl).protocol === "https:";
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const protocol = headers.get("x-forwarded-proto") ?? "https";
  return new URL(`${protocol.endsWith(":") ? protocol : `${protocol}:`}//${host}`).protocol === "https:";
}

/** The session cookie's name (and the key derivation's salt) Auth.js uses for this request; chunks add `.0`, `.1`… */
export function sessionCookieName(headers: Headers, config: SessionConfig, env: UrlEnv = process.env): string {
  const secure = usesSecureCookies(headers, config, env);
  return config.cookies?.sessionToken?.name ?? `${secure ? "__Secure-" : ""}authjs.session-token`;
}

/** Who a session cookie is for, and the session version it was issued under (lib/auth.ts, docs/auth.md). */
export type SessionClaims = { userId: string; sessionVersion: number };

/**
 * The session's user id (the JWT's `sub`, as lib/auth.ts's session callback hands it out) and session version
 * (`sv`; 0 for a session issued before versions existed, which is every user's first version), or null: no cookie,
 * a cookie Auth.js would not read (another name, a wrong secret, expired, tampered), an untrusted host or no secret
 * (Auth.js then answers every request with an error, so no session). Never re-issues the cookie. Whether the
 * session is still valid (its version still the user's) is for the one read of the user to say (lib/auth.ts).
 */
export async function readSession({
  headers,
  config,
  env = process.env,
}: {
  headers: Headers;
  config: SessionConfig;
  env?: UrlEnv;
}): Promise<SessionClaims | null> {
  const secret = config.secret;
  if (!config.trustHost || !secret || secret.length === 0) return null;
  let cookieName: string;
  try {
    cookieName = sessionCookieName(headers, config, env);
  } catch {
    return null;
  }
  // Only the cookie header, as Auth.js's auth() hands its session endpoint: getToken alone would also take a Bearer
  // token from the Authorization header, which Auth.js's sessions never do.
  const token = await getToken({
    req: { headers: { cookie: headers.get("cookie") ?? "" } },
    secret,
    cookieName,
    salt: cookieName,
    secureCookie: cookieName.startsWith("__Secure-"),
  });
  if (typeof token?.sub !== "string" || !token.sub) return null;
  const version = token.sv ?? 0;
  return Number.isInteger(version) ? { userId: token.sub, sessionVersion: version as number } : null;
}

/** The session's user id alone (readSession), or null. */
export async function readSessionUserId(options: Parameters<typeof readSession>[0]): Promise<string | null> {
  return (await readSession(options))?.userId ?? null;
}
