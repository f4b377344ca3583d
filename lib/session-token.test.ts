import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// The session as the app reads it (readSessionUserId, through lib/auth.ts's own config) against Auth.js's own
// `auth()` (its session endpoint) on the same request headers: the same user, or no session, in every case — the
// cookie's name on http and https, chunked cookies, wrong secrets, expired or tampered tokens, a bearer token.

prepareTestDatabase();
process.env.AUTH_SECRET ??= "a-test-secret-of-at-least-32-characters-long";
const { auth, sessionUserIdFrom } = await import("@/lib/auth");
const { encode } = await import("next-auth/jwt");
const { readSession, readSessionUserId, sessionCookieName } = await import("./session-token");
const { prisma } = await import("@/lib/db/client");

const SECRET = process.env.AUTH_SECRET;
const HTTP = "authjs.session-token";
const HTTPS = "__Secure-authjs.session-token";
const USER_ID = "user-1";

type HeaderInit = Record<string, string>;
const http = (cookie: string, extra: HeaderInit = {}) => ({
  host: "localhost:3000",
  "x-forwarded-proto": "http",
  cookie,
  ...extra,
});
const https = (cookie: string, extra: HeaderInit = {}) => ({
  host: "chat.example.com",
  "x-forwarded-proto": "https",
  cookie,
  ...extra,
});

function token({
  salt,
  secret = SECRET,
  maxAge,
  claims = {},
}: {
  salt: string;
  secret?: string;
  maxAge?: number;
  claims?: Record<string, unknown>;
}) {
  return encode({ token: { sub: USER_ID, email: "a@example.test", ...claims }, secret, salt, maxAge });
}

/** Both readings of one request's headers; the test then says which user (or none) both must find. */
async function read(headers: HeaderInit) {
  const ours = await sessionUserIdFrom(new Headers(headers));
  const session = (await (auth as unknown as (context: unknown) => Promise<{ user?: { id?: string } } | null>)({
    req: { headers },
    res: { headers: new Headers() },
  })) as { user?: { id?: string } } | null;
  return { ours, authjs: session?.user?.id ?? null };
}

beforeAll(async () => {
  // Auth.js logs each token it cannot decode; the cases below make many on purpose.
  vi.spyOn(console, "error").mockImplementation(() => {});
  // Auth.js's session endpoint checks the session's version against the user's (lib/auth.ts): the user must exist.
  await prisma.user.upsert({
    where: { id: USER_ID },
    create: { id: USER_ID, email: `${USER_ID}@example.test` },
    update: { sessionVersion: 0 },
  });
});
afterEach(() => {
  delete process.env.AUTH_URL;
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe("the session cookie, read as Auth.js reads it", () => {
  it("on http: authjs.session-token", async () => {
    expect(await read(http(`${HTTP}=${await token({ salt: HTTP })}`))).toEqual({ ours: USER_ID, authjs: USER_ID });
  });

  it("on https (x-forwarded-proto): __Secure-authjs.session-token", async () => {
    expect(await read(https(`${HTTPS}=${await token({ salt: HTTPS })}`))).toEqual({ ours: USER_ID, authjs: USER_ID });
  });

  it("without x-forwarded-proto, https, as Auth.js assumes", async () => {
    const cookie = `${HTTPS}=${await token({ salt: HTTPS })}`;
    expect(await read({ host: "chat.example.com", cookie })).toEqual({ ours: USER_ID, authjs: USER_ID });
    const plain = `${HTTP}=${await token({ salt: HTTP })}`;
    expect(await read({ host: "chat.example.com", cookie: plain })).toEqual({ ours: null, authjs: null });
  });

  it("AUTH_URL's protocol wins over the request's", async () => {
    process.env.AUTH_URL = "https://chat.example.com";
    const secure = `${HTTPS}=${await token({ salt: HTTPS })}`;
    expect(await read(http(secure))).toEqual({ ours: USER_ID, authjs: USER_ID });
    expect(await read(http(`${HTTP}=${await token({ salt: HTTP })}`))).toEqual({ ours: null, authjs: null });
  });

  it("refuses the other protocol's cookie, and a token made for the other name (its salt)", async () => {
    expect(await read(https(`${HTTP}=${await token({ salt: HTTP })}`))).toEqual({ ours: null, authjs: null });
    expect(await read(http(`${HTTPS}=${await token({ salt: HTTPS })}`))).toEqual({ ours: null, authjs: null });
    expect(await read(https(`${HTTPS}=${await token({ salt: HTTP })}`))).toEqual({ ours: null, authjs: null });
    expect(await read(http(`${HTTP}=${await token({ salt: HTTPS })}`))).toEqual({ ours: null, authjs: null });
  });

  it("joins a session cookie chunked in .0, .1 (a token over 4 kB)", async () => {
    const long = await token({ salt: HTTPS, claims: { padding: "x".repeat(6_000) } });
    const size = 3_936;
    expect(long.length).toBeGreaterThan(size);
    const chunks = [long.slice(0, size), long.slice(size, 2 * size), long.slice(2 * size)].filter(Boolean);
    // In the wrong order in the header: the chunks' numbers say the order.
    const cookie = chunks
      .map((value, index) => `${HTTPS}.${index}=${value}`)
      .reverse()
      .join("; ");
    expect(await read(https(cookie))).toEqual({ ours: USER_ID, authjs: USER_ID });
  });

  it("refuses a token made with another secret, an expired one and a tampered one", async () => {
    const other = await token({ salt: HTTP, secret: "another-secret-of-at-least-32-characters" });
    expect(await read(http(`${HTTP}=${other}`))).toEqual({ ours: null, authjs: null });
    const expired = await token({ salt: HTTP, maxAge: -60 });
    expect(await read(http(`${HTTP}=${expired}`))).toEqual({ ours: null, authjs: null });
    const good = await token({ salt: HTTP });
    const tampered = `${good.slice(0, -8)}${good.slice(-8) === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA"}`;
    expect(await read(http(`${HTTP}=${tampered}`))).toEqual({ ours: null, authjs: null });
    expect(await read(http(""))).toEqual({ ours: null, authjs: null });
  });

  it("takes no bearer token from the Authorization header (Auth.js's sessions never do)", async () => {
    const bearer = await token({ salt: HTTP });
    expect(await read(http("", { authorization: `Bearer ${bearer}` }))).toEqual({ ours: null, authjs: null });
  });
});

describe("what Auth.js is configured with", () => {
  const headers = new Headers(http(""));

  it("a token encrypted with any of several secrets (rotation), the newest first", async () => {
    const old = "the-old-secret-of-at-least-32-characters";
    const cookie = `${HTTP}=${await token({ salt: HTTP, secret: old })}`;
    const config = { trustHost: true, secret: [SECRET, old] };
    expect(await readSessionUserId({ headers: new Headers(http(cookie)), config, env: {} })).toBe(USER_ID);
    expect(await readSessionUserId({ headers: new Headers(http(cookie)), config: { ...config, secret: SECRET } })).toBe(
      null,
    );
  });

  it("fails closed on an untrusted host or without a secret, as Auth.js answers every request then", async () => {
    const cookie = `${HTTP}=${await token({ salt: HTTP })}`;
    const valid = new Headers(http(cookie));
    expect(await readSessionUserId({ headers: valid, config: { trustHost: true, secret: SECRET }, env: {} })).toBe(
      USER_ID,
    );
    expect(await readSessionUserId({ headers: valid, config: { trustHost: false, secret: SECRET }, env: {} })).toBe(
      null,
    );
    expect(await readSessionUserId({ headers: valid, config: { trustHost: true, secret: [] }, env: {} })).toBe(null);
    expect(await readSessionUserId({ headers: valid, config: { trustHost: true }, env: {} })).toBe(null);
  });

  it("names the cookie by useSecureCookies or a configured name when the config has them", () => {
    expect(sessionCookieName(headers, { useSecureCookies: true }, {})).toBe(HTTPS);
    expect(sessionCookieName(new Headers(https("")), { useSecureCookies: false }, {})).toBe(HTTP);
    expect(sessionCookieName(headers, { cookies: { sessionToken: { name: "custom" } } }, {})).toBe("custom");
    expect(sessionCookieName(headers, {}, { NEXTAUTH_URL: "https://chat.example.com" })).toBe(HTTPS);
    expect(sessionCookieName(new Headers({ host: "h", "x-forwarded-proto": "https:" }), {}, {})).toBe(HTTPS);
  });

  it("a request whose URL Auth.js could not build has no session", async () => {
    const cookie = `${HTTP}=${await token({ salt: HTTP })}`;
    const config = { trustHost: true, secret: SECRET };
    expect(
      await readSessionUserId({ headers: new Headers(http(cookie)), config, env: { AUTH_URL: "not a url" } }),
    ).toBe(null);
  });
});

describe("the session version", () => {
  it("is read from the token (0 when it has none, as sessions issued before versions existed)", async () => {
    const config = { trustHost: true, secret: SECRET };
    const read = async (claims: Record<string, unknown>) =>
      readSession({ headers: new Headers(http(`${HTTP}=${await token({ salt: HTTP, claims })}`)), config, env: {} });
    expect(await read({})).toEqual({ userId: USER_ID, sessionVersion: 0 });
    expect(await read({ sv: 3 })).toEqual({ userId: USER_ID, sessionVersion: 3 });
    expect(await read({ sv: "3" })).toBeNull();
    expect(await read({ sv: 1.5 })).toBeNull();
  });

  it("a session issued under an older version is none, for Auth.js's endpoint as for the app", async () => {
    await prisma.user.update({ where: { id: USER_ID }, data: { sessionVersion: 2 } });
    try {
      const old = `${HTTP}=${await token({ salt: HTTP, claims: { sv: 1 } })}`;
      const current = `${HTTP}=${await token({ salt: HTTP, claims: { sv: 2 } })}`;
      expect((await read(http(old))).authjs).toBeNull();
      expect((await read(http(current))).authjs).toBe(USER_ID);
    } finally {
      await prisma.user.update({ where: { id: USER_ID }, data: { sessionVersion: 0 } });
    }
  });
});
