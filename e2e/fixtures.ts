// The `test` every spec imports: Playwright's, plus `upstream`, a client for the fake OpenAI server that global setup
// started. The fake is one process shared by all workers, so find your requests by your own prompt text
// (`upstream.requests({ containing })`) rather than clearing the log under another worker's feet.
import { test as base, expect } from "@playwright/test";
import { type Account, createAccount, signInAs } from "./accounts";
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

export { uniqueEmail } from "./accounts";

export const test = base.extend<{ upstream: Upstream; account: Account }, { db: TestDatabase }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
  upstream: async ({}, use) => {
    await use(createUpstream());
  },
  /** A new user of this test alone, signed in in `page` (e2e/accounts.ts); the page is still blank. */
  account: async ({ page, db }, use) => {
    const account = await createAccount(db, { prefix: "e2e" });
    await signInAs(page.request, account);
    await use(account);
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
