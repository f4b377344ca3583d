import { describe, expect, it } from "vitest";
import { isHttpsRequest, pageContentSecurityPolicy } from "./headers";

const policy = (options: Partial<Parameters<typeof pageContentSecurityPolicy>[0]> = {}) =>
  pageContentSecurityPolicy({ nonce: "abc", isDevelopment: false, isHttps: false, env: {}, ...options });

describe("pageContentSecurityPolicy", () => {
  it("runs only scripts with the nonce, and eval only in development (React's dev build needs it)", () => {
    expect(policy()).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy()).not.toContain("unsafe-eval");
    expect(policy({ isDevelopment: true })).toContain("'nonce-abc' 'strict-dynamic' 'unsafe-eval'");
  });

  it("lets forms lead to the configured OAuth providers only", () => {
    expect(policy()).toContain("form-action 'self';");
    expect(policy({ env: { AUTH_GITHUB_ID: "id" } })).toContain("form-action 'self' https://github.com;");
    expect(policy({ env: { AUTH_GITHUB_ID: "id", AUTH_GOOGLE_ID: "id" } })).toContain(
      "form-action 'self' https://github.com https://accounts.google.com;",
    );
  });

  it("upgrades insecure requests over HTTPS only", () => {
    expect(policy()).not.toContain("upgrade-insecure-requests");
    expect(policy({ isHttps: true })).toMatch(/; upgrade-insecure-requests$/);
  });
});

describe("isHttpsRequest", () => {
  it("is the URL's protocol or the first X-Forwarded-Proto", () => {
    expect(isHttpsRequest(new Headers(), "https://chat.example.com/")).toBe(true);
    expect(isHttpsRequest(new Headers({ "x-forwarded-proto": "https, http" }))).toBe(true);
    expect(isHttpsRequest(new Headers({ "x-forwarded-proto": "http" }), "http://chat.example.com/")).toBe(false);
    expect(isHttpsRequest(new Headers())).toBe(false);
  });
});
