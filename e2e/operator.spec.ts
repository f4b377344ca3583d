// The operator's controls on a server of this spec's own, as an operator would run it: invite-only sign-up, a
// maximum for the budgets users choose themselves, and a server-wide monthly ceiling. The tests run in order and
// share its accounts: the first account, its administrator, invites the second.
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { type AppServer, type FreshDatabase, freshDatabase, startApp, telegramEnv } from "./app-server";
import { num, openDatabase } from "./db";
import { expect, test, uniqueEmail } from "./fixtures";
import { AdminPage } from "./pages/admin-page";
import { AuthPage } from "./pages/auth-page";
import { ChatPage } from "./pages/chat-page";
import { SettingsPage } from "./pages/settings-page";
import { postUpdate, telegramIds, textUpdate, waitForCall } from "./telegram";

// Each test walks two or three browsers through several server-rendered pages.
test.describe.configure({ mode: "serial" });

let database: FreshDatabase;
let app: AppServer;
const contexts: BrowserContext[] = [];
const adminEmail = uniqueEmail("operator-admin");
const userEmail = uniqueEmail("operator-user");
let admin: Page;
let user: Page;

/** A browser of its own (own cookies) on this spec's server. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url });
  contexts.push(context);
  return context.newPage();
}

test.beforeAll(async ({ browser }) => {
  // Migrating a fresh database and starting `next start`.
  test.setTimeout(180_000);
  database = await freshDatabase("operator");
  app = await startApp({
    name: `operator-${process.env.E2E_RUN_NAME ?? "e2e"}`,
    databaseUrl: database.url,
    upstreamUrl: process.env.FAKE_OPENAI_URL ?? "",
    env: {
      SIGNUP_MODE: "invite",
      DEFAULT_MONTHLY_BUDGET_USD: "5",
      MAX_USER_MONTHLY_BUDGET_USD: "20",
      GLOBAL_MONTHLY_BUDGET_USD: "100",
      ...telegramEnv(process.env.FAKE_TELEGRAM_URL ?? ""),
      TELEGRAM_GUEST_MONTHLY_BUDGET_USD: "0.01",
    },
  });
  admin = await newPage(browser);
  user = await newPage(browser);
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
  await app?.stop();
  await database?.drop();
});

test("an unlinked Telegram user chats as a guest within the guest budget, and is no sign-up", async ({ upstream }) => {
  const db = openDatabase(database.url);
  try {
    const { user, chatId } = telegramIds();
    const say = async (text: string, expected: string) => {
      await postUpdate({ update: textUpdate({ user, text }), baseUrl: app.url });
      return waitForCall({ chatId, where: (call) => JSON.stringify(call.params).includes(expected) });
    };
    const marker = `guest ${Date.now()}`;
    // 100,000 prompt tokens of gpt-5-mini: $0.025, over the guest's $0.01 once settled.
    await say(`[[usage:100000/1]] ${marker} one`, `Echo: ${marker} one`);
    const refusal = await say(`${marker} two`, "monthly budget");
    expect(JSON.stringify(refusal.params)).toContain("$0.01");
    expect(await upstream.requests({ containing: `${marker} two` })).toHaveLength(0);
    const [guest] = await db.query<{ email: string; isGuest: unknown; total: unknown }>(
      `SELECT u."email", u."isGuest", (SELECT SUM("costMicros") FROM "LedgerEntry" e WHERE e."userId" = u."id" AND e."source" = 'telegram') AS "total" FROM "User" u`,
    );
    expect(guest?.email).toBe(`telegram-${user.id}@guest.invalid`);
    expect(num(guest?.total)).toBe(25_000 + 2);
  } finally {
    await db.close();
  }
});

test("the first account becomes the administrator; without an invite nobody else can sign up", async ({ browser }) => {
  await admin.goto("/sign-up");
  await expect(
    admin.getByText("This is the first account on this server: it will be the administrator."),
  ).toBeVisible();
  await new AuthPage(admin).signUp({ email: adminEmail });
  await new ChatPage(admin).expectReady();
  await admin.getByRole("link", { name: "Admin" }).click();
  const page = new AdminPage(admin);
  // The Telegram guest's $0.025002 counts towards the server-wide budget like anyone's.
  await expect(page.section("This server")).toContainText("$0.025 of $100.00 (GLOBAL_MONTHLY_BUDGET_USD)");
  await expect(page.section("This server")).toContainText("invite: only with an invite link");
  await expect(page.section("This server")).toContainText("$20.00 (MAX_USER_MONTHLY_BUDGET_USD)");
  await expect(page.userRow(adminEmail)).toContainText("admin");

  const stranger = await newPage(browser);
  await stranger.goto("/sign-up");
  await expect(new AuthPage(stranger).formError()).toHaveText(
    "Accounts on this server are by invitation. Ask an administrator for an invite link.",
  );
  await expect(stranger.getByRole("button", { name: "Create account" })).toHaveCount(0);
});

test("an invite link signs one person up, once; they are no administrator", async ({ browser }) => {
  const link = await new AdminPage(admin).createInvite();
  await user.goto(link);
  await expect(user.getByText("You have been invited")).toBeVisible();
  await user.getByLabel("Email").fill(userEmail);
  await user.getByLabel("Password").fill("correct horse 42");
  await user.getByRole("button", { name: "Create account" }).click();
  await new ChatPage(user).expectReady();
  await expect(user.getByRole("link", { name: "Admin" })).toHaveCount(0);
  expect((await user.goto("/admin"))?.status()).toBe(404);

  const second = await newPage(browser);
  await second.goto(link);
  await expect(new AuthPage(second).formError()).toHaveText(
    "This invite link has already been used. Ask an administrator for a new one.",
  );

  await admin.reload();
  const invite = new AdminPage(admin).section("Invites").getByRole("row").nth(1);
  await expect(invite.getByRole("cell").nth(3)).toHaveText(`usedby ${userEmail}`);
});

test("a user chooses at most the maximum and never unlimited; an administrator grants more", async ({ upstream }) => {
  const settings = new SettingsPage(user);
  await user.goto("/settings");
  await expect(user.getByLabel("Unlimited")).toHaveCount(0);
  await expect(user.getByText("You can choose up to $20.00 a month on this server")).toBeVisible();
  await user.getByLabel("My own limit").check();
  await settings.amount().fill("20.000001");
  await user.getByRole("button", { name: "Save budget" }).click();
  await expect(settings.error()).toHaveText(
    "The most you can choose is $20.00 a month; an administrator can grant more.",
  );
  await expect(user.getByLabel("My own limit")).toBeChecked();
  await settings.setBudget("20");
  await settings.expectOwnLimit("20");

  // Spend something, for the administrator's view: 1,000 + 1,000 tokens of gpt-5-mini = $0.002250.
  const marker = `operator-${Date.now()}`;
  await user.goto("/");
  await new ChatPage(user).send(`[[usage:1000/1000]] ${marker}`);
  await new ChatPage(user).waitForReply();
  expect(await upstream.requests({ containing: marker })).toHaveLength(1);

  const page = new AdminPage(admin);
  await page.open();
  await expect(page.userRow(userEmail)).toContainText("$0.002250");
  await expect(page.userRow(userEmail)).toContainText("their own");
  await expect(page.section("This server")).toContainText("$0.0273 of $100.00");
  await page.setBudget(userEmail, "50");
  await expect(page.userRow(userEmail)).toContainText("$50.00");
  await expect(page.userRow(userEmail)).toContainText("set by an administrator");

  await user.goto("/settings");
  await expect(user.getByLabel("Set by your administrator: $50.00")).toBeChecked();
  await expect(settings.summary()).toContainText("of $50.00");
  // Saving it as it stands keeps it; raising their own above the maximum does not work.
  await settings.save();
  await expect(user.getByLabel("Set by your administrator: $50.00")).toBeChecked();
  await user.getByLabel("My own limit").check();
  await settings.amount().fill("30");
  await user.getByRole("button", { name: "Save budget" }).click();
  await expect(settings.error()).toContainText("The most you can choose is $20.00 a month");
  await user.reload();
  await expect(user.getByLabel("Set by your administrator: $50.00")).toBeChecked();
});

test("a disabled user's open session is refused at once and they cannot sign in", async () => {
  const page = new AdminPage(admin);
  await page.open();
  await expect(page.userRow(adminEmail).getByRole("button", { name: /Disable/ })).toHaveCount(0);
  await page
    .userRow(userEmail)
    .getByRole("button", { name: `Disable ${userEmail}` })
    .click();
  await expect(page.userRow(userEmail)).toContainText("disabled");

  await user.goto("/settings");
  await expect(user).toHaveURL(/\/sign-in/);
  const api = await user.request.get("/api/conversations");
  expect(api.status()).toBe(401);
  expect((await api.json()).error.code).toBe("unauthorized");
  await new AuthPage(user).signIn({ email: userEmail });
  await expect(new AuthPage(user).formError()).toHaveText("This account has been disabled. Ask your administrator.");

  await page
    .userRow(userEmail)
    .getByRole("button", { name: `Enable ${userEmail}` })
    .click();
  await expect(page.userRow(userEmail)).toContainText("active");
  // The session cookie they kept would simply work again: sign in afresh.
  await user.context().clearCookies();
  await new AuthPage(user).signIn({ email: userEmail });
  await new ChatPage(user).expectReady();
});
