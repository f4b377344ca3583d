// Signing in attacked from outside: redirects that would leave the site, password guessing, replayed session cookies,
// a password change. Runs a server of its own, with small rate limits the shared server cannot carry (every spec
// signs in from 127.0.0.1), and without a trusted proxy, so a client's own X-Forwarded-For counts for nothing.
import { type APIRequestContext, type Browser, type BrowserContext, request } from "@playwright/test";
import { type Account, createAccount, signInAs, uniqueEmail } from "./accounts";
import { type AppServer, type FreshDatabase, freshDatabase, startApp, telegramEnv } from "./app-server";
import { openDatabase, type TestDatabase } from "./db";
import { expect, test } from "./fixtures";
import { AuthPage } from "./pages/auth-page";
import { sendChat } from "./sessions";
import { linkedTelegram, postUpdate, textUpdate, waitForCall } from "./telegram";

const SIGN_IN_PER_ACCOUNT = 4;
const SIGN_IN_PER_IP = 40;
const CHATS_PER_MINUTE = 2;

let app: AppServer;
let database: FreshDatabase;
let db: TestDatabase;

// In order: the last test spends this address's sign-ins.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  database = await freshDatabase("auth-hardening");
  app = await startApp({
    name: `auth-hardening-${process.env.E2E_RUN_NAME ?? "e2e"}`,
    databaseUrl: database.url,
    upstreamUrl: process.env.FAKE_OPENAI_URL ?? "",
    env: {
      SIGNUP_MODE: "open",
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: `${SIGN_IN_PER_ACCOUNT}/15m`,
      RATE_LIMIT_SIGN_IN_PER_IP: `${SIGN_IN_PER_IP}/15m`,
      RATE_LIMIT_CHAT: `${CHATS_PER_MINUTE}/1m`,
      TRUST_PROXY: "0",
      ...telegramEnv(process.env.FAKE_TELEGRAM_URL ?? ""),
    },
  });
  db = openDatabase(database.url);
});

test.afterAll(async () => {
  await db?.close();
  await app?.stop();
  await database?.drop();
});

async function signedInContext(browser: Browser, account: Account): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app.url });
  await signInAs(context.request, account);
  return context;
}

/** Auth.js's credentials endpoint, as a script guessing passwords would use it. */
async function postSignIn(api: APIRequestContext, { email, password }: { email: string; password: string }) {
  return api.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken: await csrf(api), callbackUrl: "/" },
    maxRedirects: 0,
  });
}

/** The cookies of a context as one Cookie header, to replay them from elsewhere. */
async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

test("callbackUrl: only same-origin paths, never a 500, and Chromium stays on the app", async ({ browser }) => {
  const context = await signedInContext(browser, await createAccount(db, { prefix: "redirect" }));
  const origin = new URL(app.url).origin;
  const payloads = [
    "%2F%09%2Fevil.example",
    "%2F%0D%0A%2Fevil.example",
    "%2F%0ASet-Cookie%3A%20a%3Db",
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "%5C%5Cevil.example",
    "%09%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
    "javascript%3Aalert(1)",
    "%2F%252F%252Fevil.example",
    "%2F%255Cevil.example",
    "%2F%2509%2Fevil.example",
    "%2F%E0%A4%A",
    "%2F%00",
  ];
  for (const payload of payloads) {
    const response = await context.request.get(`/sign-in?callbackUrl=${payload}`, { maxRedirects: 0 });
    expect(response.status(), payload).toBeLessThan(500);
    const location = response.headers().location;
    expect(location, payload).toBeTruthy();
    expect(location, payload).not.toMatch(/[\t\r\n\\]/);
    expect(new URL(location ?? "", app.url).origin, payload).toBe(origin);
  }
  // Auth.js's own endpoints take a callbackUrl too: its redirect callback keeps them on the app.
  const page = await context.newPage();
  for (const payload of payloads) {
    await page.goto(`/sign-in?callbackUrl=${payload}`);
    expect(new URL(page.url()).origin, payload).toBe(origin);
  }
  await context.close();

  const anonymous = await request.newContext({ baseURL: app.url });
  const account = await createAccount(db, { prefix: "redirect-authjs" });
  const { csrfToken } = (await (await anonymous.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await anonymous.post("/api/auth/callback/credentials", {
    form: { email: account.email, password: account.password, csrfToken, callbackUrl: "https://evil.example/x" },
    maxRedirects: 0,
  });
  // Auth.js names the app by the host it was reached at (localhost or 127.0.0.1): the same server either way.
  const landed = new URL(signIn.headers().location ?? "", app.url);
  expect(landed.port).toBe(new URL(app.url).port);
  expect(["127.0.0.1", "localhost"]).toContain(landed.hostname);
  expect(landed.pathname).toBe("/");
  await anonymous.dispose();
});

test("guessing passwords: 429 with Retry-After per account, known or not, and the form says so", async ({
  browser,
}) => {
  const account = await createAccount(db, { prefix: "guessed" });
  const api = await request.newContext({ baseURL: app.url });
  for (const email of [account.email, uniqueEmail("unknown")]) {
    for (let attempt = 1; attempt <= SIGN_IN_PER_ACCOUNT; attempt++) {
      const wrong = await postSignIn(api, { email, password: `wrong password ${attempt}` });
      // Auth.js answers a wrong password with a redirect to the sign-in page.
      expect(wrong.status(), `attempt ${attempt}`).toBe(302);
      expect(wrong.headers().location).toContain("error=CredentialsSignin");
    }
    const refused = await postSignIn(api, { email, password: "one more guess 1" });
    expect(refused.status()).toBe(429);
    const seconds = Number(refused.headers()["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect((await refused.json()).error).toMatchObject({ code: "rate_limited", key: "errors.rateLimitedSignIn" });
  }
  // Even the right password waits now: the limit is not a hint that the guesses were wrong.
  expect((await postSignIn(api, { email: account.email, password: account.password })).status()).toBe(429);
  await api.dispose();

  const context = await browser.newContext({ baseURL: app.url });
  const page = await context.newPage();
  const auth = new AuthPage(page);
  await auth.signIn({ email: account.email, password: account.password });
  await expect(auth.formError()).toHaveText(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test("a session cookie captured before signing out is useless afterwards", async ({ browser }) => {
  const account = await createAccount(db, { prefix: "signout" });
  const context = await signedInContext(browser, account);
  const page = await context.newPage();
  await page.goto("/");
  const captured = await cookieHeader(context);
  await new AuthPage(page).signOut();

  const replay = await request.newContext({ baseURL: app.url, extraHTTPHeaders: { cookie: captured } });
  const api = await replay.get("/api/conversations");
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe("unauthorized");
  const chat = await replay.post("/api/chat", {
    data: { conversationId: "abcdefgh1234", model: "gpt-5-mini", text: "replayed" },
  });
  expect(chat.status()).toBe(401);
  const home = await replay.get("/settings", { maxRedirects: 0 });
  expect(home.status()).toBe(307);
  expect(home.headers().location).toMatch(/^\/sign-in/);
  const session = await replay.get("/api/auth/session");
  expect(await session.json()).toBeNull();
  await replay.dispose();
  await context.close();
});

test("changing the password ends the other sessions and keeps this one", async ({ browser }) => {
  const account = await createAccount(db, { prefix: "password" });
  const here = await signedInContext(browser, account);
  const elsewhere = await signedInContext(browser, account);
  expect((await elsewhere.request.get("/api/conversations")).status()).toBe(200);

  const page = await here.newPage();
  await page.goto("/settings");
  await page.getByLabel("Current password").fill("not it 42");
  await page.getByLabel("New password").fill("a new password 42");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Your current password is not right.");

  await page.getByLabel("Current password").fill(account.password);
  await page.getByLabel("New password").fill("a new password 42");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  await expect(page).toHaveURL(/\/settings\?password=changed$/);
  await expect.poll(async () => (await elsewhere.request.get("/api/conversations")).status()).toBe(401);
  expect((await here.request.get("/api/conversations")).status()).toBe(200);
  // This browser is still signed in: a reload stays on Settings (not sent to sign in).
  await page.reload();
  await expect(page).toHaveURL(/\/settings\?password=changed$/);

  const api = await request.newContext({ baseURL: app.url });
  expect((await postSignIn(api, { email: account.email, password: account.password })).status()).toBe(302);
  await signInAs(api, { ...account, password: "a new password 42" });
  await api.dispose();
  await here.close();
  await elsewhere.close();
});

test("chat requests are limited per user with Retry-After, before anything is sent upstream", async ({ upstream }) => {
  const account = await createAccount(db, { prefix: "chatty" });
  const api = await request.newContext({ baseURL: app.url });
  await signInAs(api, account);
  const marker = `limited-${Date.now()}`;
  for (let turn = 1; turn <= CHATS_PER_MINUTE; turn++) {
    expect((await sendChat(api, { text: `[[usage:5/2]] ${marker} ${turn}` })).status).toBe(200);
  }
  const refused = await sendChat(api, { text: `[[usage:5/2]] ${marker} over` });
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.error?.message).toMatch(/^Too many requests\. Try again in \d+ seconds?\.$/);
  expect(await upstream.requests({ containing: `${marker} over` })).toHaveLength(0);
  // The bot counts against the same limit: over it, the user's Telegram message is refused in the chat, unsent.
  const telegram = await linkedTelegram(db, { baseUrl: app.url });
  const web = await request.newContext({ baseURL: app.url });
  await signInAs(web, telegram.account);
  for (let turn = 1; turn <= CHATS_PER_MINUTE; turn++) {
    expect((await sendChat(web, { text: `[[usage:5/2]] ${marker} web ${turn}` })).status).toBe(200);
  }
  await postUpdate({ update: textUpdate({ user: telegram.ids.user, text: `${marker} bot` }), baseUrl: app.url });
  const told = await waitForCall({
    chatId: telegram.ids.chatId,
    where: (call) => JSON.stringify(call.params).includes("Too many requests"),
  });
  expect(told.status).toBe(200);
  expect(await upstream.requests({ containing: `${marker} bot` })).toHaveLength(0);
  await web.dispose();
  // Another user is not held back by this one.
  const other = await request.newContext({ baseURL: app.url });
  await signInAs(other, await createAccount(db, { prefix: "calm" }));
  expect((await sendChat(other, { text: `[[usage:5/2]] ${marker} other` })).status).toBe(200);
  await api.dispose();
  await other.dispose();
});

test("sign-ins per address: a client's own X-Forwarded-For does not buy more", async () => {
  const api = await request.newContext({ baseURL: app.url });
  let refusedAt = 0;
  for (let attempt = 1; attempt <= SIGN_IN_PER_IP + 1 && !refusedAt; attempt++) {
    const response = await api.post("/api/auth/callback/credentials", {
      form: { email: uniqueEmail("spray"), password: "a guess 123", csrfToken: await csrf(api), callbackUrl: "/" },
      headers: { "x-forwarded-for": `198.51.100.${attempt}` },
      maxRedirects: 0,
    });
    if (response.status() === 429) refusedAt = attempt;
    else expect(response.status()).toBe(302);
  }
  // Each attempt a new email and a new claimed address, yet the socket's address ran out of sign-ins.
  expect(refusedAt).toBeGreaterThan(0);
  expect(refusedAt).toBeLessThanOrEqual(SIGN_IN_PER_IP + 1);
  await api.dispose();
});

async function csrf(api: APIRequestContext): Promise<string> {
  return ((await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
}
