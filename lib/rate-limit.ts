import "server-only";
import { deleteEndedRateLimits, hitRateLimit } from "@/lib/db/rate-limits";
import { getEnv } from "@/lib/env";
import type { AppError } from "@/lib/errors";
import { appError } from "@/lib/i18n/errors";
import {
  nextWindow,
  parseRateLimitRule,
  type RateLimitRule,
  type RateWindow,
  retryAfterSeconds,
} from "@/lib/rate-limit-rule";

// Fixed-window request limits (docs/auth.md). Two stores behind one function:
// - memory (the default): a Map in this process. No query, so the chat turn's check costs nothing before its first
//   token; limits hold per server instance, so N instances let through up to N times a limit.
// - database (RATE_LIMIT_STORE=database): one row per key in "RateLimit", counted by one atomic upsert
//   (lib/db/rate-limits.ts), so every instance shares the count; one small write per limited request.

/** What is limited, and the variable that sets its rule. */
const LIMITS = {
  signInAccount: "RATE_LIMIT_SIGN_IN_PER_ACCOUNT",
  signInIp: "RATE_LIMIT_SIGN_IN_PER_IP",
  signUpIp: "RATE_LIMIT_SIGN_UP_PER_IP",
  passwordChange: "RATE_LIMIT_PASSWORD_CHANGE",
  chat: "RATE_LIMIT_CHAT",
  upload: "RATE_LIMIT_UPLOAD",
} as const;

export type LimitName = keyof typeof LIMITS;

export function limitRule(name: LimitName): RateLimitRule {
  return parseRateLimitRule(getEnv()[LIMITS[name]]);
}

// On globalThis: Next.js bundles route handlers and pages (server actions) apart, each with its own copy of this
// module, and a sign-in through Auth.js's endpoint and one through the form must count in the same windows.
const shared = globalThis as typeof globalThis & { chatLedgerRateLimits?: Map<string, RateWindow> };
shared.chatLedgerRateLimits ??= new Map();
const memory = shared.chatLedgerRateLimits;
/** Past this many keys, ended windows are swept on the next hit, so the map holds only live windows. */
const MEMORY_SWEEP_SIZE = 10_000;

function hitMemory(key: string, rule: RateLimitRule, now: number): RateWindow {
  if (memory.size >= MEMORY_SWEEP_SIZE) {
    for (const [stored, window] of memory) if (window.resetAt <= now) memory.delete(stored);
  }
  const window = nextWindow(memory.get(key), rule, now);
  memory.set(key, window);
  return window;
}

const DATABASE_SWEEP_MS = 10 * 60_000;
let lastDatabaseSweep = 0;

async function hitDatabase(key: string, rule: RateLimitRule, now: number): Promise<RateWindow> {
  if (now - lastDatabaseSweep > DATABASE_SWEEP_MS) {
    lastDatabaseSweep = now;
    void deleteEndedRateLimits(now).catch((error: unknown) =>
      console.warn(`Deleting ended rate limit windows failed: ${String(error)}`),
    );
  }
  return hitRateLimit({ key, rule, now });
}

/** One limit, one subject (an email, an address, a user id). */
export type RateLimitHit = { name: LimitName; subject: string };

/**
 * Counts one request against each limit and returns the refusal of the most limited one (429 with the seconds until
 * its window ends, sent as Retry-After by errorResponse), or null. Every limit is counted even when an earlier one
 * refuses, so going over one does not spare the others.
 */
export async function hitRateLimits(hits: RateLimitHit[], now = Date.now()): Promise<AppError | null> {
  const isDatabase = getEnv().RATE_LIMIT_STORE === "database";
  let wait: number | null = null;
  for (const { name, subject } of hits) {
    const rule = limitRule(name);
    const key = `${name}:${subject}`;
    const window = isDatabase ? await hitDatabase(key, rule, now) : hitMemory(key, rule, now);
    const seconds = retryAfterSeconds(window, rule, now);
    if (seconds !== null) wait = Math.max(wait ?? 0, seconds);
  }
  if (wait === null) return null;
  const isSignIn = hits.some(({ name }) => name === "signInAccount" || name === "signInIp");
  return appError("rate_limited", {
    key: isSignIn ? "errors.rateLimitedSignIn" : "errors.rateLimited",
    params: { seconds: wait },
  });
}

/** hitRateLimits, throwing its refusal. */
export async function enforceRateLimits(hits: RateLimitHit[]): Promise<void> {
  const refusal = await hitRateLimits(hits);
  if (refusal) throw refusal;
}

/** The per-user limit of a chat turn or an upload. */
export function enforceUserRateLimit(name: "chat" | "upload", userId: string): Promise<void> {
  return enforceRateLimits([{ name, subject: userId }]);
}

/** Forgets every in-process window (tests). */
export function clearMemoryRateLimits() {
  memory.clear();
}

/**
 * The client's address, or null when unknown. Behind TRUST_PROXY=<n> proxies, the n-th address from the right of
 * X-Forwarded-For (what the nearest trusted proxy saw; the left part is whatever the client sent). Otherwise the
 * socket's address: Next.js puts it in X-Forwarded-For only when the request had none, so instrumentation.ts drops
 * a client's own header first (lib/node-requests.ts) and what is left here is the socket's.
 */
export function clientIp(headers: Headers, trustProxy = getEnv().TRUST_PROXY): string | null {
  const addresses = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
  const address = trustProxy > 0 ? addresses.at(-trustProxy) : addresses.length === 1 ? addresses[0] : undefined;
  return address ?? null;
}

/** The sign-in limits: per account (any email, known or not, so a refusal says nothing about it) and per address. */
export function signInHits({ email, ip }: { email: string; ip: string | null }): RateLimitHit[] {
  const hits: RateLimitHit[] = [{ name: "signInAccount", subject: email.trim().toLowerCase() }];
  if (ip) hits.push({ name: "signInIp", subject: ip });
  return hits;
}
