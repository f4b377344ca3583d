import "server-only";

// Database errors that mean "busy right now", not "wrong": a pool with no free connection, a transaction that could
// not start or finish in time, a lock wait that timed out, a deadlock victim, SQLite's busy writer. Work that must
// happen (settling money, storing a reply) retries them; a request being admitted answers 503 instead (lib/chat).

const TRANSIENT_PRISMA_CODES = new Set([
  "P1008", // operation timed out
  "P2024", // timed out fetching a connection from the pool
  "P2028", // transaction API error: could not start in time, or expired before commit
  "P2034", // write conflict or deadlock: retry the transaction
]);

// PostgreSQL SQLSTATEs: lock_not_available (lock_timeout), deadlock_detected, serialization_failure,
// too_many_connections, cannot_connect_now, admin/crash shutdown.
const TRANSIENT_SQLSTATES = new Set(["55P03", "40P01", "40001", "53300", "57P03", "57P01", "57P02"]);

const TRANSIENT_MESSAGES =
  /timeout exceeded when trying to connect|Unable to start a transaction in the given time|Transaction already closed|database is locked|SQLITE_BUSY|canceling statement due to lock timeout|deadlock detected|Connection terminated|ECONNRESET|ECONNREFUSED/i;

export function isTransientDbError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (typeof cause !== "object") break;
    const { code, message, originalCode } = cause as { code?: unknown; message?: unknown; originalCode?: unknown };
    if (typeof code === "string" && (TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_SQLSTATES.has(code))) return true;
    if (typeof originalCode === "string" && TRANSIENT_SQLSTATES.has(originalCode)) return true;
    if (typeof message === "string" && TRANSIENT_MESSAGES.test(message)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again after a transient database error, with growing jittered pauses, for up to about `maxMs`; any
 * other error, or the last transient one, is thrown. `work` must be safe to repeat (idempotent).
 */
export async function withTransientRetry<T>(work: () => Promise<T>, { maxMs = 30_000 } = {}): Promise<T> {
  const deadline = Date.now() + maxMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isTransientDbError(error) || Date.now() >= deadline) throw error;
      const pause = Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    }
  }
}
