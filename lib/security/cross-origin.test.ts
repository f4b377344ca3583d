import { describe, expect, it } from "vitest";
import { appOrigin, CROSS_SITE_EXEMPT_PATHS, isCrossSiteRequest, isOwnOrigin } from "./cross-origin";

const APP = "http://127.0.0.1:3000";
const trusted = { AUTH_TRUST_HOST: "true", NODE_ENV: "production" };

function request(
  headers: Record<string, string>,
  { method = "POST", pathname = "/api/chat" }: { method?: string; pathname?: string } = {},
) {
  return { method, pathname, headers: new Headers({ host: "127.0.0.1:3000", ...headers }) };
}

describe("isCrossSiteRequest", () => {
  it("passes the app's own requests and those of clients that are not browsers", () => {
    expect(isCrossSiteRequest(request({ origin: APP, "sec-fetch-site": "same-origin" }), trusted)).toBe(false);
    expect(isCrossSiteRequest(request({ origin: APP }), trusted)).toBe(false);
    // curl, an API client, a server: neither header.
    expect(isCrossSiteRequest(request({}), trusted)).toBe(false);
    // Typed in the address bar or opened from a bookmark: the user's own request.
    expect(isCrossSiteRequest(request({ "sec-fetch-site": "none" }), trusted)).toBe(false);
  });

  it("refuses what the browser says came from another site, or another origin of this site", () => {
    expect(isCrossSiteRequest(request({ "sec-fetch-site": "cross-site" }), trusted)).toBe(true);
    // Another port of the same host is the same site: SameSite=Lax cookies go along, so Sec-Fetch-Site decides.
    expect(
      isCrossSiteRequest(request({ "sec-fetch-site": "same-site", origin: "http://127.0.0.1:4000" }), trusted),
    ).toBe(true);
    // A same-origin claim with a foreign Origin is refused by the Origin.
    expect(
      isCrossSiteRequest(request({ "sec-fetch-site": "same-origin", origin: "https://evil.example" }), trusted),
    ).toBe(true);
  });

  it("refuses an Origin that is not the app's: another port, host, scheme, `null`, or garbage", () => {
    for (const origin of [
      "http://127.0.0.1:4000",
      "http://localhost:3000",
      "https://evil.example",
      "null",
      "http://127.0.0.1:3000.evil.example",
      "http://127.0.0.1:3000/path",
      "not a url",
      "",
    ]) {
      expect(isCrossSiteRequest(request({ origin }), trusted), origin).toBe(true);
    }
    expect(isCrossSiteRequest(request({ origin: APP, "x-forwarded-proto": "https" }), trusted)).toBe(true);
  });

  it("changes nothing for GET, HEAD and OPTIONS, and every other method is checked", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(isCrossSiteRequest(request({ "sec-fetch-site": "cross-site" }, { method }), trusted), method).toBe(false);
    }
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "PROPFIND"]) {
      expect(isCrossSiteRequest(request({ "sec-fetch-site": "cross-site" }, { method }), trusted), method).toBe(true);
    }
  });

  it("exempts exactly Auth.js and the bots' webhooks, which check requests their own way", () => {
    expect(CROSS_SITE_EXEMPT_PATHS).toEqual(["/api/auth/", "/api/telegram/", "/api/wechat/"]);
    const foreign = { "sec-fetch-site": "cross-site", origin: "https://api.telegram.org" };
    for (const pathname of ["/api/auth/callback/credentials", "/api/telegram/webhook", "/api/wechat/webhook"]) {
      expect(isCrossSiteRequest(request(foreign, { pathname }), trusted), pathname).toBe(false);
    }
    for (const pathname of ["/api/authx", "/api/chat", "/", "/settings", "/api/telegramx"]) {
      expect(isCrossSiteRequest(request(foreign, { pathname }), trusted), pathname).toBe(true);
    }
  });
});

describe("appOrigin, as Auth.js finds its own URL", () => {
  it("is AUTH_URL (or NEXTAUTH_URL) when set, whatever the request says", () => {
    const headers = new Headers({ host: "internal:3000", "x-forwarded-host": "evil.example" });
    expect(appOrigin(headers, { AUTH_URL: "https://chat.example.com/api/auth" })).toEqual({
      host: "chat.example.com",
      protocol: "https:",
    });
    expect(appOrigin(headers, { NEXTAUTH_URL: "http://chat.example.com:8080" })).toEqual({
      host: "chat.example.com:8080",
      protocol: "http:",
    });
    expect(appOrigin(headers, { AUTH_URL: "not a url" })).toBeNull();
  });

  it("trusts the reverse proxy's forwarded host and protocol only with AUTH_TRUST_HOST (or outside production)", () => {
    const headers = new Headers({
      host: "internal:3000",
      "x-forwarded-host": "chat.example.com, proxy.internal",
      "x-forwarded-proto": "https,http",
    });
    expect(appOrigin(headers, trusted)).toEqual({ host: "chat.example.com", protocol: "https:" });
    expect(appOrigin(headers, { NODE_ENV: "development" })).toEqual({ host: "chat.example.com", protocol: "https:" });
    expect(appOrigin(headers, { NODE_ENV: "production" })).toEqual({ host: "internal:3000", protocol: null });
    expect(appOrigin(headers, { AUTH_TRUST_HOST: "false" })).toEqual({ host: "internal:3000", protocol: null });
    expect(appOrigin(new Headers(), trusted)).toBeNull();
  });

  it("behind a proxy, the public origin is the app's and the internal one is not", () => {
    const behindProxy = { host: "internal:3000", "x-forwarded-host": "chat.example.com", "x-forwarded-proto": "https" };
    expect(isCrossSiteRequest(request({ ...behindProxy, origin: "https://chat.example.com" }), trusted)).toBe(false);
    expect(isCrossSiteRequest(request({ ...behindProxy, origin: "http://internal:3000" }), trusted)).toBe(true);
    expect(isCrossSiteRequest(request({ ...behindProxy, origin: "http://chat.example.com" }), trusted)).toBe(true);
  });
});

describe("isOwnOrigin", () => {
  it("compares hosts as the Origin writes them: default ports dropped, case ignored", () => {
    expect(isOwnOrigin("https://chat.example.com", { host: "Chat.Example.com:443", protocol: "https:" })).toBe(true);
    expect(isOwnOrigin("https://chat.example.com", { host: "chat.example.com", protocol: null })).toBe(true);
    expect(isOwnOrigin("https://chat.example.com:8443", { host: "chat.example.com", protocol: null })).toBe(false);
    expect(isOwnOrigin("https://chat.example.com", { host: "chat.example.com/evil", protocol: null })).toBe(false);
  });
});
