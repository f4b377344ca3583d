// Accounts for specs, made fast: the user row is inserted directly with a cheap bcrypt hash (cost 4; the app's own
// sign-up uses 12, and hashing it dozens of times on a loaded 2-core machine is what made specs time out), then
// signed in through Auth.js's real credentials endpoint, so the browser context or API client carries a genuine
// session cookie. Specs about signing up and in (auth, operator) go through the pages instead.
import { randomBytes, randomUUID } from "node:crypto";
import { type APIRequestContext, type Browser, expect } from "@playwright/test";
import bcrypt from "bcryptjs";
import type { TestDatabase } from "./db";

export const ACCOUNT_PASSWORD = "api user 42";
const PASSWORD_HASH = bcrypt.hashSync(ACCOUNT_PASSWORD, 4);

export interface Account {
  id: string;
  email: string;
  password: string;
}

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}@example.test`;
}

/**
 * `budgetMicros`: the user's own monthly limit; null for unlimited; undefined for the server default. `email`: a fixed
 * address (one a server's ADMIN_EMAILS names), else a unique one.
 */
export async function createAccount(
  db: TestDatabase,
  {
    prefix = "user",
    budgetMicros,
    email = uniqueEmail(prefix),
  }: { prefix?: string; budgetMicros?: number | null; email?: string } = {},
): Promise<Account> {
  const id = randomUUID();
  const mode = budgetMicros === undefined ? "default" : budgetMicros === null ? "unlimited" : "limited";
  await db.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt", "budgetMode", "monthlyBudgetMicros") VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, email, PASSWORD_HASH, new Date().toISOString(), mode, budgetMicros ?? null],
  );
  return { id, email, password: ACCOUNT_PASSWORD };
}

/** Signs `request` in as `account` (a page's `page.request` shares its browser context's cookies). */
export async function signInAs(request: APIRequestContext, account: Account) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await request.post("/api/auth/callback/credentials", {
    form: { email: account.email, password: account.password, csrfToken, callbackUrl: "/" },
  });
  expect(signIn.ok(), `sign-in of ${account.email}`).toBe(true);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } } | null;
  expect(session?.user?.id, `session of ${account.email}`).toBe(account.id);
}

/** A second signed-in user in a browser context of its own (close the context when done). */
export async function newSignedInPage(browser: Browser, db: TestDatabase, prefix = "other") {
  const account = await createAccount(db, { prefix });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page.request, account);
  return { account, context, page };
}
