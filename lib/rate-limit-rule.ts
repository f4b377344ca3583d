// What a rate limit is and how one is written in the environment. Pure, so env-schema (also read by scripts) and
// the limiter share it.

/** At most `count` requests per `windowMs`, counted in fixed windows. */
export type RateLimitRule = { count: number; windowMs: number };

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "10/15m" → 10 per 15 minutes (units s, m, h); throws a message saying what is wrong. */
export function parseRateLimitRule(value: string): RateLimitRule {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*([smh])\s*$/.exec(value);
  const count = Number(match?.[1]);
  const windows = Number(match?.[2]);
  if (!match || count < 1 || windows < 1) {
    throw new Error(`"${value}" is not a rate limit: write <requests>/<window>, e.g. 10/15m (units s, m, h)`);
  }
  return { count, windowMs: windows * UNIT_MS[match[3] as keyof typeof UNIT_MS] };
}

/** One window's state after a hit: how many hits it holds and when it ends (ms since the epoch). */
export type RateWindow = { count: number; resetAt: number };

/** Whether a hit that left its window at `window` is over the rule, and if so, whole seconds until it may retry. */
export function retryAfterSeconds(window: RateWindow, rule: RateLimitRule, now: number): number | null {
  if (window.count <= rule.count) return null;
  return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
}

/** The next state of a fixed window after one hit at `now`: a window that has ended starts again at 1. */
export function nextWindow(window: RateWindow | undefined, rule: RateLimitRule, now: number): RateWindow {
  if (!window || window.resetAt <= now) return { count: 1, resetAt: now + rule.windowMs };
  return { count: window.count + 1, resetAt: window.resetAt };
}
