// axe-core on every main screen, in both languages and both themes: no serious or critical violation of WCAG 2.0,
// 2.1 and 2.2 A/AA (docs/accessibility.md). One account per worker, made once (an administrator with a chat whose
// reply has a table and a coloured code block, shared), and a fresh browser context per screen with the locale and
// colour scheme under test.
import { randomUUID } from "node:crypto";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, request } from "@playwright/test";
import { createAccount, signInAs } from "./accounts";
import { openDatabase } from "./db";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const REPLY = [
  "A table and some code.",
  "",
  "| model | price |",
  "| --- | --- |",
  "| gpt-5-mini | cheap |",
  "",
  "```ts",
  "// the total, in micro-USD",
  'const total = entries.reduce((sum, e) => sum + e.cost, 0); // "done"',
  "```",
  "",
  "Done.",
].join("\n");

type Seeded = { storageState: string; conversationId: string; sharePath: string };

const test = base.extend<object, { seeded: Seeded }>({
  seeded: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
    async ({}, use, workerInfo) => {
      const db = openDatabase();
      const account = await createAccount(db, { prefix: "a11y" });
      // The admin page is only an administrator's.
      await db.query(`UPDATE "User" SET "role" = 'admin' WHERE "id" = $1`, [account.id]);
      await db.close();
      const api = await request.newContext({ baseURL: process.env.E2E_BASE_URL });
      await signInAs(api, account);
      const conversationId = randomUUID();
      const reply = await api.post("/api/chat", {
        data: { conversationId, model: "gpt-5-mini", text: `[[reply:${REPLY}]]` },
      });
      expect(reply.ok()).toBe(true);
      await reply.text();
      const shared = await api.post(`/api/conversations/${conversationId}/share`);
      expect(shared.ok()).toBe(true);
      const sharePath = ((await shared.json()) as { share: { path: string } }).share.path;
      const storageState = path.join(workerInfo.project.outputDir, `a11y-state-${workerInfo.workerIndex}.json`);
      await api.storageState({ path: storageState });
      await api.dispose();
      await use({ storageState, conversationId, sharePath });
    },
    { scope: "worker" },
  ],
});

type Screen = {
  name: string;
  isSignedIn: boolean;
  path: (seeded: Seeded) => string;
  /** What must be on screen before it is checked (the lazily loaded parts included). */
  ready: (page: Page) => Promise<void>;
};

const heading = (page: Page) => expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
const composer = (page: Page) => expect(page.locator("[data-shortcut=composer]")).toBeVisible();

const SCREENS: Screen[] = [
  { name: "sign-in", isSignedIn: false, path: () => "/sign-in", ready: heading },
  { name: "sign-up", isSignedIn: false, path: () => "/sign-up", ready: heading },
  {
    name: "shared chat",
    isSignedIn: false,
    path: (seeded) => seeded.sharePath,
    ready: (page) => expect(page.getByRole("table")).toBeVisible(),
  },
  { name: "new chat", isSignedIn: true, path: () => "/", ready: composer },
  {
    name: "chat with a table and code",
    isSignedIn: true,
    path: (seeded) => `/c/${seeded.conversationId}`,
    ready: async (page) => {
      await expect(page.getByRole("table")).toBeVisible();
      // Shiki loads on the first code block: check its colours, not the plain text before them.
      await expect(page.locator("pre[data-highlighted=true]")).toBeVisible({ timeout: 60_000 });
    },
  },
  { name: "usage", isSignedIn: true, path: () => "/usage", ready: heading },
  { name: "settings", isSignedIn: true, path: () => "/settings", ready: heading },
  { name: "presets", isSignedIn: true, path: () => "/presets", ready: heading },
  { name: "compare", isSignedIn: true, path: () => "/compare", ready: heading },
  { name: "playground", isSignedIn: true, path: () => "/playground", ready: heading },
  {
    name: "tokenizer with an example",
    isSignedIn: true,
    path: () => "/tokenizer",
    ready: async (page) => {
      await page.getByRole("button", { name: /^(Emoji and code|表情与代码)$/ }).click();
      await expect(page.locator("[data-token]").first()).toBeVisible();
    },
  },
  { name: "admin", isSignedIn: true, path: () => "/admin", ready: heading },
];

test.describe.configure({ mode: "parallel" });

for (const locale of ["en-US", "zh-CN"]) {
  for (const colorScheme of ["light", "dark"] as const) {
    test.describe(`${locale}, ${colorScheme}`, () => {
      for (const screen of SCREENS) {
        test(screen.name, async ({ browser, seeded }) => {
          const context = await browser.newContext({
            baseURL: process.env.E2E_BASE_URL,
            locale,
            colorScheme,
            storageState: screen.isSignedIn ? seeded.storageState : undefined,
          });
          try {
            const page = await context.newPage();
            await page.goto(screen.path(seeded));
            await screen.ready(page);
            // The theme under test is the one shown (the theme's script follows the emulated system scheme).
            expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
              colorScheme === "dark",
            );
            const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
            const serious = violations
              .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
              .map(
                (violation) =>
                  `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
                    .map(
                      (node) =>
                        `    ${node.target.join(" ")}\n      ${node.failureSummary?.replace(/\n/g, "\n      ")}`,
                    )
                    .join("\n")}`,
              );
            expect(serious, `axe on ${screen.name} (${locale}, ${colorScheme}):\n${serious.join("\n")}`).toEqual([]);
          } finally {
            await context.close();
          }
        });
      }
    });
  }
}
