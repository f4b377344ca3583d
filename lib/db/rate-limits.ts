import "server-only";
import type { RateLimitRule, RateWindow } from "@/lib/rate-limit-rule";
import { prisma } from "./client";

/**
 * Counts one hit on `key` in the shared store and returns its window: a single INSERT … ON CONFLICT DO UPDATE …
 * RETURNING, atomic on SQLite (3.35+) and PostgreSQL alike, so concurrent hits from several server instances each
 * get their own count and none is lost. A window that has ended restarts at 1, in the same statement.
 */
export async function hitRateLimit({
  key,
  rule,
  now,
}: {
  key: string;
  rule: RateLimitRule;
  now: number;
}): Promise<RateWindow> {
  const resetAt = BigInt(now + rule.windowMs);
  const nowMs = BigInt(now);
  const rows = await prisma.$queryRaw<{ count: number | bigint; resetAt: number | bigint }[]>`
    INSERT INTO "RateLimit" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."resetAt" <= ${nowMs} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${nowMs} THEN ${resetAt} ELSE "RateLimit"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0];
  if (!row) throw new Error(`the rate limit upsert of ${key} returned no row`);
  return { count: Number(row.count), resetAt: Number(row.resetAt) };
}

/** Deletes windows that ended before `now`: rows no hit needs any more (a window that ended restarts anyway). */
export async function deleteEndedRateLimits(now: number): Promise<number> {
  const { count } = await prisma.rateLimit.deleteMany({ where: { resetAt: { lte: BigInt(now) } } });
  return count;
}
