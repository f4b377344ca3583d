import fs from "node:fs";
import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";
import { createApiUser } from "./sessions";

// Image generation from the composer against the fake upstream (e2e/fake-openai/images.ts), whose gpt-image usage
// is exact: text tokens = ceil(prompt characters / 4), output tokens = the table of lib/billing/image-variants.ts.
// gpt-image-1: $5 / 1M text in, $40 / 1M image out.
//   "a red fox", 2 high 1024x1024: 3 × 5 + 2 × 4,160 × 40 = 332,815 micro-USD, shown as $0.3328 (amounts from a
//   cent up show 4 decimals, lib/billing/money.ts); before sending at most 9 bytes × 5 + 332,800 = 332,845, $0.3328
//   too (the browser bounds the prompt's tokens by its bytes).
//   "a blue boat", 1 medium 1024x1024: 3 × 5 + 1,056 × 40 = 42,255 micro-USD, $0.0423.

const PNG_MAGIC = "89504e470d0a1a0a";

test("images from the composer: exact cost, enlarge and download, owner-only files gone with the chat", async ({
  page,
  account: _signedIn,
  browser,
  db,
  upstream,
}) => {
  const chat = await ChatPage.openNew(page);
  const imageMode = page.getByRole("button", { name: "Image", exact: true });
  await imageMode.click();
  await expect(imageMode).toHaveAttribute("aria-pressed", "true");
  const options = page.getByRole("group", { name: "Image options" });
  await options.getByLabel("Quality").selectOption("high");
  await options.getByLabel("Number of images").selectOption("2");
  await chat.composer.fill("a red fox");
  await expect(options.getByText("Up to $0.3328", { exact: true })).toBeVisible();
  await chat.composer.press("Enter");

  const reply = await chat.waitForReply(0);
  const conversationId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
  const usage = chat.usage(reply);
  for (const text of ["gpt-image-1", "2 images", "1024x1024", "High", "3 text tokens in", "8,320 image tokens out"]) {
    await expect(usage.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(usage.getByText("$0.3328", { exact: true })).toBeVisible();
  await expect(chat.meter("This chat")).toContainText("$0.3328");
  const [entry] = await db.query(
    `SELECT "costMicros", "images", "imageOutputTokens" FROM "LedgerEntry" WHERE "conversationId" = $1`,
    [conversationId],
  );
  expect([Number(entry?.costMicros), Number(entry?.images), Number(entry?.imageOutputTokens)]).toEqual([
    332_815, 2, 8_320,
  ]);

  // Enlarge, then download the original.
  const thumbnails = reply.getByRole("list", { name: "2 images" });
  await thumbnails.getByRole("button", { name: "Enlarge image 1 of 2" }).click();
  const dialog = page.getByRole("dialog", { name: "Image" });
  await expect(dialog.getByRole("img")).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("link", { name: "Download" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^chatledger-[A-Za-z0-9_-]{24}\.png$/);
  expect(
    fs
      .readFileSync(await download.path())
      .subarray(0, 8)
      .toString("hex"),
  ).toBe(PNG_MAGIC);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  // Out of Image mode, "/image" asks for images too; the pickers show while the message starts with it.
  await imageMode.click();
  await expect(imageMode).toHaveAttribute("aria-pressed", "false");
  await chat.composer.fill("/image a blue boat");
  await options.getByLabel("Quality").selectOption("medium");
  await options.getByLabel("Number of images").selectOption("1");
  await chat.composer.press("Enter");
  const second = await chat.waitForReply(1);
  await expect(chat.usage(second).getByText("$0.0423", { exact: true })).toBeVisible();
  const [call] = await upstream.requests({ containing: "a blue boat" });
  expect(call?.body).toEqual({
    model: "gpt-image-1",
    prompt: "a blue boat",
    n: 1,
    size: "1024x1024",
    quality: "medium",
  });

  // On the usage page, from the ledger.
  await page.goto("/usage");
  await expect(page.getByText("$0.3328", { exact: true }).first()).toBeVisible();

  // Another signed-in user gets 404 for every file; the owner gets them until the chat is deleted.
  const fileIds = await db.query(`SELECT "id" FROM "StoredFile" WHERE "conversationId" = $1`, [conversationId]);
  expect(fileIds).toHaveLength(3);
  const urls = fileIds.map((row) => `/api/files/${row.id as string}`);
  const other = await newSignedInPage(browser, db, "images-other");
  try {
    for (const url of urls) {
      expect((await page.request.get(url)).status()).toBe(200);
      expect((await other.page.request.get(url)).status()).toBe(404);
    }
  } finally {
    await other.context.close();
  }
  expect((await page.request.delete(`/api/conversations/${conversationId}`)).ok()).toBe(true);
  for (const url of urls) expect((await page.request.get(url)).status()).toBe(404);
  const entries = await db.query(`SELECT "status" FROM "LedgerEntry" WHERE "conversationId" = $1`, [conversationId]);
  expect(entries.map((row) => row.status)).toEqual(["settled", "settled"]);
});

test("a refused prompt is a failed reply that costs nothing; over the budget nothing is sent", async ({
  page,
  account,
  baseURL,
  db,
  upstream,
}) => {
  const chat = await ChatPage.openNew(page);
  await page.getByRole("button", { name: "Image", exact: true }).click();
  await chat.send("a forbidden thing [[refuse]]");
  const alert = page.getByRole("alert").filter({ hasText: "refused this prompt under its content policy" });
  await expect(alert).toBeVisible();
  // Asked for again from the composer: no Retry, which would go to the chat model.
  await expect(alert.getByRole("button", { name: "Retry" })).toHaveCount(0);
  const entries = await db.query(`SELECT "status", "costMicros" FROM "LedgerEntry" WHERE "userId" = $1`, [account.id]);
  expect(entries.map((row) => [row.status, Number(row.costMicros)])).toEqual([["released", 0]]);
  await expect(chat.meter("This month")).toContainText("$0.00 of");

  // $0.01 left: one high image (≈ $0.17) does not fit; refused before the upstream hears of it.
  const poor = await createApiUser({ baseURL: baseURL ?? "", db, prefix: "images-poor", budgetMicros: 10_000 });
  const prompt = `a costly castle ${poor.id}`;
  const response = await poor.api.post("/api/images", {
    data: { conversationId: crypto.randomUUID(), prompt, size: "1024x1024", quality: "high", count: 1 },
  });
  expect(response.status()).toBe(402);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("budget_exceeded");
  expect(await upstream.requests({ containing: prompt })).toHaveLength(0);
  await poor.api.dispose();
});
