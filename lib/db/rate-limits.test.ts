import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// The shared store on a real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set.
prepareTestDatabase();
process.env.AUTH_SECRET ??= "a-test-secret-of-at-least-32-characters-long";
process.env.RATE_LIMIT_STORE = "database";
process.env.RATE_LIMIT_CHAT = "5/1m";
const { prisma } = await import("./client");
const { hitRateLimit, deleteEndedRateLimits } = await import("./rate-limits");
const { hitRateLimits } = await import("@/lib/rate-limit");

afterAll(() => prisma.$disconnect());

const rule = { count: 5, windowMs: 60_000 };
let keys = 0;
const newKey = () => `test:${Date.now()}:${keys++}`;

describe("the database store", () => {
  it("counts concurrent hits exactly: each gets its own count, none lost", async () => {
    const key = newKey();
    const now = Date.now();
    const windows = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit({ key, rule, now })));
    expect(windows.map((window) => window.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, index) => index + 1),
    );
    expect(new Set(windows.map((window) => window.resetAt))).toEqual(new Set([now + rule.windowMs]));
  });

  it("starts a window again once it has ended, in the same statement", async () => {
    const key = newKey();
    const start = 1_000_000;
    for (let hit = 0; hit < 7; hit++) await hitRateLimit({ key, rule, now: start + hit });
    expect(await hitRateLimit({ key, rule, now: start + rule.windowMs - 1 })).toEqual({
      count: 8,
      resetAt: start + rule.windowMs,
    });
    expect(await hitRateLimit({ key, rule, now: start + rule.windowMs })).toEqual({
      count: 1,
      resetAt: start + 2 * rule.windowMs,
    });
  });

  it("refuses past the rule with a 429 naming the seconds left, across concurrent requests", async () => {
    const user = newKey();
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => hitRateLimits([{ name: "chat", subject: user }], now)),
    );
    const refusals = results.filter((refusal) => refusal !== null);
    expect(refusals).toHaveLength(12 - 5);
    expect(refusals[0]?.status).toBe(429);
    expect(refusals[0]?.text).toEqual({ key: "errors.rateLimited", params: { seconds: 60 } });
    // A minute later the user is let through again.
    expect(await hitRateLimits([{ name: "chat", subject: user }], now + 60_000)).toBeNull();
  });

  it("deletes only the windows that have ended", async () => {
    const ended = newKey();
    const live = newKey();
    await hitRateLimit({ key: ended, rule, now: 0 });
    await hitRateLimit({ key: live, rule, now: Date.now() });
    await deleteEndedRateLimits(Date.now());
    const left = await prisma.rateLimit.findMany({ where: { key: { in: [ended, live] } }, select: { key: true } });
    expect(left.map((row) => row.key)).toEqual([live]);
  });
});
