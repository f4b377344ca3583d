import { describe, expect, it } from "vitest";
import { nextWindow, parseRateLimitRule, retryAfterSeconds } from "./rate-limit-rule";

describe("parseRateLimitRule", () => {
  it.each([
    ["10/15m", { count: 10, windowMs: 15 * 60_000 }],
    ["60/1m", { count: 60, windowMs: 60_000 }],
    [" 5 / 30s ", { count: 5, windowMs: 30_000 }],
    ["100/2h", { count: 100, windowMs: 2 * 3_600_000 }],
  ])("%j", (value, rule) => {
    expect(parseRateLimitRule(value)).toEqual(rule);
  });

  it.each(["", "10", "10/", "/1m", "0/1m", "10/0m", "10/1d", "-1/1m", "1.5/1m", "ten/1m"])("refuses %j", (value) => {
    expect(() => parseRateLimitRule(value)).toThrow(/is not a rate limit/);
  });
});

describe("a fixed window", () => {
  const rule = { count: 3, windowMs: 10_000 };

  it("lets `count` hits through, refuses the next with the seconds left, and starts again once it ends", () => {
    let window = nextWindow(undefined, rule, 1_000);
    expect(window).toEqual({ count: 1, resetAt: 11_000 });
    window = nextWindow(window, rule, 2_000);
    window = nextWindow(window, rule, 3_000);
    expect(retryAfterSeconds(window, rule, 3_000)).toBeNull();
    window = nextWindow(window, rule, 4_000);
    expect(window).toEqual({ count: 4, resetAt: 11_000 });
    expect(retryAfterSeconds(window, rule, 4_000)).toBe(7);
    // Rounded up, never 0: a client told to retry at once would be refused again.
    expect(retryAfterSeconds(window, rule, 10_999)).toBe(1);
    window = nextWindow(window, rule, 11_000);
    expect(window).toEqual({ count: 1, resetAt: 21_000 });
    expect(retryAfterSeconds(window, rule, 11_000)).toBeNull();
  });
});
