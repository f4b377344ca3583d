// Light and dark: the system's scheme by default, chosen in the sidebar or Settings and remembered, and set before
// the first paint (next-themes' script), so a dark system never sees a light page flash.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** A new chat on a light system, shown light. */
async function openNewChatLight(page: Page) {
  await page.emulateMedia({ colorScheme: "light" });
  await ChatPage.openNew(page);
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
}

test("the chat follows a dark system: every colour changes, and a screenshot differs from the light one", async ({
  page,
  account: _signedIn,
}) => {
  await openNewChatLight(page);
  expect(await pageBackground(page)).toBe("rgb(255, 255, 255)");
  const light = await page.screenshot();

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  // --color-white under .dark (app/globals.css): zinc-900, #18181b.
  expect(await pageBackground(page)).toBe("oklch(0.21 0.006 285.885)");
  const dark = await page.screenshot();
  expect(dark.equals(light)).toBe(false);
});

test("a dark system gets the dark theme from the first painted frame: no flash of light", async ({
  browser,
  db: _db,
}) => {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, colorScheme: "dark" });
  const page = await context.newPage();
  // Runs before the page's own scripts: looks at every frame until the first one with content in <body>, the first
  // that can paint anything, and notes the theme it had.
  await page.addInitScript(() => {
    const look = () => {
      const body = document.body;
      if (!body || body.childElementCount === 0) {
        requestAnimationFrame(look);
        return;
      }
      (window as unknown as { firstFrame: unknown }).firstFrame = {
        isDark: document.documentElement.classList.contains("dark"),
        background: getComputedStyle(body).backgroundColor,
      };
    };
    requestAnimationFrame(look);
  });
  await page.goto("/sign-in");
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { firstFrame?: unknown }).firstFrame))
    .toEqual({ isDark: true, background: "oklch(0.21 0.006 285.885)" });
  await context.close();
});

test("the theme chosen in the sidebar stays after a reload and shows the same in Settings", async ({
  page,
  account: _signedIn,
}) => {
  await openNewChatLight(page);
  const theme = page.getByRole("combobox", { name: "Theme" });
  await expect(theme).toBeEnabled();
  await expect(theme).toHaveValue("system");
  await theme.selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  await page.goto("/settings");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  const inSettings = page.getByRole("main").getByRole("combobox", { name: "Theme" });
  await expect(inSettings).toHaveValue("dark");
  await inSettings.selectOption("light");
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  // Light was chosen: a dark system no longer decides.
  await expect(page.getByRole("main").getByRole("combobox", { name: "Theme" })).toHaveValue("light");
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
});
