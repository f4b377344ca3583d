import { beforeEach, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// The database store is lib/db/rate-limits.test.ts's; the module still opens the app's database client on import.
prepareTestDatabase();

process.env.AUTH_SECRET ??= "a-test-secret-of-at-least-32-characters-long";
process.env.RATE_LIMIT_STORE = "memory";
process.env.RATE_LIMIT_SIGN_IN_PER_ACCOUNT = "3/15m";
process.env.RATE_LIMIT_SIGN_IN_PER_IP = "5/1m";
const { clearMemoryRateLimits, clientIp, hitRateLimits, signInHits } = await import("./rate-limit");

beforeEach(() => clearMemoryRateLimits());

describe("the in-process store", () => {
  it("limits sign-ins per account (any spelling of the email) and per address, the longer wait winning", async () => {
    const now = 1_000_000;
    for (const email of ["a@example.test", "A@Example.test ", "a@example.test"]) {
      expect(await hitRateLimits(signInHits({ email, ip: "203.0.113.1" }), now)).toBeNull();
    }
    const refusal = await hitRateLimits(signInHits({ email: "a@example.test", ip: "203.0.113.2" }), now + 1_000);
    expect(refusal?.status).toBe(429);
    expect(refusal?.text).toEqual({ key: "errors.rateLimitedSignIn", params: { seconds: 15 * 60 - 1 } });

    // Other accounts from the first address: two more fit in its 5 per minute, then it refuses.
    expect(await hitRateLimits(signInHits({ email: "b@example.test", ip: "203.0.113.1" }), now)).toBeNull();
    expect(await hitRateLimits(signInHits({ email: "c@example.test", ip: "203.0.113.1" }), now)).toBeNull();
    const byAddress = await hitRateLimits(signInHits({ email: "d@example.test", ip: "203.0.113.1" }), now + 30_000);
    expect(byAddress?.text?.params).toEqual({ seconds: 30 });
    // Its window rolls over after the minute.
    expect(await hitRateLimits(signInHits({ email: "e@example.test", ip: "203.0.113.1" }), now + 60_000)).toBeNull();
  });

  it("counts concurrent hits exactly", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => hitRateLimits(signInHits({ email: "f@example.test", ip: null }))),
    );
    expect(results.filter((refusal) => refusal === null)).toHaveLength(3);
  });
});

describe("clientIp", () => {
  const headers = (forwarded: string) => new Headers({ "x-forwarded-for": forwarded });
  it("without a trusted proxy, is the one address Next.js put there from the socket", () => {
    expect(clientIp(headers("203.0.113.7"), 0)).toBe("203.0.113.7");
    expect(clientIp(headers("198.51.100.1, 203.0.113.7"), 0)).toBeNull();
    expect(clientIp(new Headers(), 0)).toBeNull();
  });
  it("behind n proxies, is the n-th from the right: what the nearest trusted proxy saw", () => {
    expect(clientIp(headers("198.51.100.1, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIp(headers("spoofed, 198.51.100.1, 203.0.113.7"), 2)).toBe("198.51.100.1");
    expect(clientIp(headers("203.0.113.7"), 2)).toBeNull();
  });
});
