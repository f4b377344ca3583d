// The worker thread behind passwords.ts: bcrypt off the event loop. Plain JavaScript for the same reason as
// lib/billing/token-worker.mjs (Node runs it as it is under vitest and tsx; `next build` bundles it with bcryptjs).
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

// One job at a time: { id, op: "hash", password, cost } | { id, op: "compare", password, hash } → { id, value } or
// { id, error }.
parentPort?.on("message", ({ id, op, password, cost, hash }) => {
  try {
    const value = op === "hash" ? bcrypt.hashSync(password, cost) : bcrypt.compareSync(password, hash);
    parentPort?.postMessage({ id, value });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
