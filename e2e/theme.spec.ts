// Light and dark: the system's scheme by default, chosen in the sidebar or Settings and remembered, and set before
// the first paint (the theme's script, components/ui/theme.ts), so a dark system never sees a light page flash.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

/** The body's background as sRGB channels (Chrome reports oklch colours in lab()). */
const pageBackground = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d");
    if (!canvas) throw new Error("no canvas");
    canvas.fillStyle = getComputedStyle(document.body).backgroundColor;
    canvas.fillRect(0, 0, 1, 1);
    return [...canvas.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  });

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
  expect(await pageBackground(page)).toEqual([255, 255, 255]);
  const light = await page.screenshot();

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  // --color-white under .dark (app/globals.css): zinc-900, #18181b.
  expect(await pageBackground(page)).toEqual([24, 24, 27]);
  const dark = await page.screenshot();
  expect(dark.equals(light)).toBe(false);
});

test("a dark system gets the dark theme from the first painted frame: no flash of light", async ({
  browser,
  db: _db,
}) => {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, colorScheme: "dark" });
  const page = await context.newPage();
  // Runs before the page's own scripts: notes each frame the browser renders from the moment <body> exists until it
  // holds something visible (Next puts a hidden element first, then the theme's script, then the page): the
  // background each frame had, and whether <html> had the class `dark` by the first frame with visible content.
  await page.addInitScript(() => {
    const frames: { isDark: boolean; background: number[]; hasContent: boolean }[] = [];
    (window as unknown as { frames_: typeof frames }).frames_ = frames;
    const canvas = document.createElement("canvas").getContext("2d");
    const look = () => {
      const body = document.body;
      if (body && canvas) {
        canvas.fillStyle = getComputedStyle(body).backgroundColor;
        canvas.fillRect(0, 0, 1, 1);
        const hasContent = body.querySelector(":scope > :not(script, [hidden])") !== null;
        frames.push({
          isDark: document.documentElement.classList.contains("dark"),
          background: [...canvas.getImageData(0, 0, 1, 1).data.slice(0, 3)],
          hasContent,
        });
        if (hasContent) return;
      }
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto("/sign-in");
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { frames_: { hasContent: boolean }[] }).frames_.at(-1)?.hasContent),
    )
    .toBe(true);
  const frames = await page.evaluate(() => (window as unknown as { frames_: unknown[] }).frames_);
  expect(frames.length).toBeGreaterThan(0);
  for (const frame of frames) expect(frame).toMatchObject({ background: [24, 24, 27] });
  expect(frames.at(-1)).toMatchObject({ isDark: true, hasContent: true });
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
