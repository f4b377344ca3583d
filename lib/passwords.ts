import "server-only";
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import { appError } from "@/lib/i18n/errors";

// Cost 12: about 0.2 s per hash on one core, the usual floor for interactive sign-in in 2026.
const BCRYPT_COST = 12;
// Compared against when the email is unknown, so a miss takes as long as a wrong password.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5e4bJ2VHjGZKWmAyAqhjqYUEpKpZpZC";

// Hashing is bounded so a burst of sign-ins cannot take the server: bcryptjs is JavaScript, and on the event loop
// 20 concurrent sign-ins pushed the health check from 8 ms to 591 ms p50. Here one worker thread hashes one password
// at a time (one core at most, the event loop free), and no more than MAX_WAITING wait behind it: past that a sign-in
// is refused at once as busy (503, Retry-After) instead of queueing seconds of work. The rate limits
// (lib/rate-limit.ts) are checked before any hash, so refused attempts cost none.
const MAX_WAITING = 16;

type Job = { id: number; resolve: (value: string | boolean) => void; reject: (error: Error) => void };
type Reply = { id: number; value?: string | boolean; error?: string };

// One worker and one queue per process, on globalThis: Next.js bundles route handlers and pages (server actions) apart,
// each with its own copy of this module, which would otherwise make a worker and a bound each.
type Hashing = { worker: Worker | null; running: Map<number, Job>; nextId: number };
const shared = globalThis as typeof globalThis & { chatLedgerHashing?: Hashing };
shared.chatLedgerHashing ??= { worker: null, running: new Map(), nextId: 0 };
const hashing = shared.chatLedgerHashing;
const running = hashing.running;

/** The worker, in the one form Turbopack bundles (see lib/billing/token-pool.ts). */
function passwordWorker(): Worker {
  if (hashing.worker) return hashing.worker;
  const started = new Worker(new URL("./password-worker.mjs", import.meta.url));
  started.unref();
  const failAll = (error: Error) => {
    if (hashing.worker === started) hashing.worker = null;
    for (const job of running.values()) job.reject(error);
    running.clear();
  };
  started.on("message", ({ id, value, error }: Reply) => {
    const job = running.get(id);
    if (!job) return;
    running.delete(id);
    if (error !== undefined || value === undefined) job.reject(new Error(error ?? "no answer"));
    else job.resolve(value);
  });
  started.on("error", failAll);
  started.on("exit", (code) => failAll(new Error(`The password worker exited with code ${code}.`)));
  hashing.worker = started;
  return started;
}

function run(
  message: { op: "hash"; password: string; cost: number } | { op: "compare"; password: string; hash: string },
) {
  // The one running plus those queued behind it in the worker.
  if (running.size > MAX_WAITING) return Promise.reject(appError("unavailable", "errors.busy"));
  const id = hashing.nextId++;
  return new Promise<string | boolean>((resolve, reject) => {
    running.set(id, { id, resolve, reject });
    passwordWorker().postMessage({ id, ...message });
  });
}

export async function hashPassword(password: string): Promise<string> {
  return String(await run({ op: "hash", password, cost: BCRYPT_COST }));
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = (await run({ op: "compare", password, hash: hash ?? DUMMY_HASH })) === true;
  return matches && Boolean(hash);
}

/** A password for someone to sign in with once and change (npm run user:reset-password): 96 random bits. */
export function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}
