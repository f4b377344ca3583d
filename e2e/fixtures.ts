// The `test` every spec imports: Playwright's, plus `upstream`, a client for the fake OpenAI server that global setup
// started. The fake is one process shared by all workers, so find your requests by your own prompt text
// (`upstream.requests({ containing })`) rather than clearing the log under another worker's feet.
import { randomBytes } from "node:crypto";
import { test as base, expect } from "@playwright/test";
import { openDatabase, type TestDatabase } from "./db";
import type { RecordedRequest } from "./fake-openai/server";

export interface Upstream {
  /** Base URL ending in /v1, as the app's OPENAI_BASE_URL. */
  url: string;
  /** Requests the fake received, oldest first; `containing` keeps those whose JSON body includes that text. */
  requests(filter?: { containing?: string }): Promise<RecordedRequest[]>;
  /** Empties the fake's request log, for every worker. */
  clear(): Promise<void>;
}

export function createUpstream(url = process.env.FAKE_OPENAI_URL): Upstream {
  if (!url)
    throw new Error("FAKE_OPENAI_URL is not set: run the specs through `playwright test` (e2e/global-setup.ts)");
  const origin = new URL(url).origin;
  return {
    url,
    async requests(filter = {}) {
      const response = await fetch(`${origin}/__requests`);
      if (!response.ok) throw new Error(`GET /__requests answered ${response.status}`);
      const all = (await response.json()) as RecordedRequest[];
      if (filter.containing === undefined) return all;
      // Compared in JSON form, so text with quotes or line breaks matches the body as sent.
      const needle = JSON.stringify(filter.containing).slice(1, -1);
      return all.filter((request) => JSON.stringify(request.body).includes(needle));
    },
    async clear() {
      const response = await fetch(`${origin}/__clear`, { method: "POST" });
      if (!response.ok) throw new Error(`POST /__clear answered ${response.status}`);
    },
  };
}

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}@example.test`;
}

export const test = base.extend<{ upstream: Upstream }, { db: TestDatabase }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
  upstream: async ({}, use) => {
    await use(createUpstream());
  },
  /** The shared app's database (e2e/db.ts): for fixtures and for asserting ledger invariants. One per worker. */
  db: [
    // biome-ignore lint/correctness/noEmptyPattern: as above.
    async ({}, use) => {
      const db = openDatabase();
      await use(db);
      await db.close();
    },
    { scope: "worker" },
  ],
});

export { expect };
