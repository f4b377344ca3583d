// The README's voice and image pictures (docs/screenshots/images-*.png, voice-*.png, usage-by-kind.png): an image
// reply with its units and cost, the composer in Image mode with the most it can cost, a transcript landed in the
// composer with what it cost, and the usage page's spend by kind.
import path from "node:path";
import { expect } from "@playwright/test";
import { test } from "../fixtures";
import { ChatPage } from "../pages/chat-page";
import { shot } from "./shots";

const FIXTURES = path.join(__dirname, "..", "fixtures", "audio");

test("README: voice and images", async ({ page, account: _signedIn }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const chat = await ChatPage.openNew(page);
  const imageMode = page.getByRole("button", { name: "Image", exact: true });
  await imageMode.click();
  const options = page.getByRole("group", { name: "Image options" });
  await options.getByLabel("Quality").selectOption("medium");
  await options.getByLabel("Number of images").selectOption("2");
  await chat.composer.fill("a lighthouse on a cliff at dusk, watercolour");
  await expect(options.getByText(/^Up to \$/)).toBeVisible();
  await shot(page, "images-composer");
  await chat.composer.press("Enter");
  const reply = await chat.waitForReply(0);
  await expect(reply.getByRole("list", { name: "2 images" })).toBeVisible();
  await expect(chat.usage(reply).getByText("2 images", { exact: true })).toBeVisible();
  await shot(page, "images-reply");

  // A voice note uploaded: the transcript lands in the composer, with what it cost.
  await imageMode.click();
  await page.locator('input[type="file"][accept^="audio/"]').setInputFiles(path.join(FIXTURES, "tone.m4a"));
  await expect(chat.composer).toHaveValue(/Transcript/);
  await shot(page, "voice-transcript");

  await page.goto("/usage");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The breakdown sits below the fold of the page's own scroll box: scrolled to, the page shows it with its neighbours.
  const byKind = page.getByRole("heading", { name: /Spend by kind/ });
  await byKind.evaluate((heading) => heading.scrollIntoView({ block: "center" }));
  await expect(byKind).toBeInViewport();
  await shot(page, "usage-by-kind");
});
