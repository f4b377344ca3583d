import sharp from "sharp";
import { newSignedInPage } from "./accounts";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

// Attaching images for a vision model (docs/vision.md): in the composer, in the estimate, upstream, in the reply's
// cost, on the sent message and after a reload; only to its owner; refused for a model without vision and for a
// file that is not an image whatever its name.

// gpt-4o: $2.50 / 1M input, $10.00 / 1M output. A 2048 × 4096 image is 1,105 tokens by OpenAI's rule (85 + 6 × 170);
// the fake upstream counts 1,000 for any image, plus ceil(50 characters / 4) = 13 for the text: 1,013 prompt tokens,
// and 3 completion tokens ("A green square."): 2,532.5 + 30 = 2,562.5 → $0.002563.
const QUESTION = "What is in this picture? [[reply:A green square.]]";

test.beforeEach(async ({ page, account: _signedIn }) => {
  await page.goto("/");
  await new ChatPage(page).expectReady();
  await page.getByRole("combobox", { name: "Model" }).selectOption("gpt-4o");
});

const picture = () =>
  sharp({ create: { width: 2048, height: 4096, channels: 3, background: "#2a7" } })
    .png()
    .toBuffer();

test("an attached image is estimated, sent upstream, charged exactly, shown, and only to its owner", async ({
  page,
  upstream,
  browser,
  db,
}) => {
  const chat = new ChatPage(page);
  const image = await picture();
  await page
    .locator('input[type="file"][accept^="image/"]')
    .setInputFiles({ name: "square.png", mimeType: "image/png", buffer: image });
  await expect(page.getByRole("img", { name: "Attached image 1" })).toBeVisible();
  await expect(page.getByText("1 of 4 images")).toBeVisible();

  await chat.composer.fill(QUESTION);
  await expect(chat.meter("Next message")).toContainText("(incl. ~1,105 image tokens)");
  await chat.composer.press("Enter");
  const reply = await chat.waitForReply(0);
  await expect(chat.usage(reply)).toContainText("$0.002563");
  await expect(chat.meter("This chat")).toContainText("1,013 in / 3 out tokens");

  const [request] = await upstream.requests({ containing: "What is in this picture?" });
  const body = request?.body as { messages: { content: unknown }[] } | undefined;
  const sent = body?.messages.at(-1)?.content;
  expect(sent).toEqual([
    { type: "text", text: QUESTION },
    { type: "image_url", image_url: { url: `data:image/png;base64,${image.toString("base64")}`, detail: "auto" } },
  ]);

  // On the sent message at once, and after a reload, loaded from the owner-only route.
  const shown = chat.userTurns().getByRole("img", { name: "Attached image", exact: true });
  await expect(shown).toBeVisible();
  await page.reload();
  await expect(shown).toBeVisible();
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2048);
  await expect(page.getByRole("img", { name: "Attached image 1" })).toHaveCount(0);

  const src = await shown.getAttribute("src");
  expect(src).toMatch(/^\/api\/files\/[\w-]{24}$/);
  const other = await newSignedInPage(browser, db, "vision-other");
  try {
    expect((await other.page.request.get(src ?? "")).status()).toBe(404);
    expect((await other.page.request.delete(src ?? "")).status()).toBe(404);
  } finally {
    await other.context.close();
  }
});

test("a model without vision cannot take images; a file that is not an image is refused", async ({
  page,
  upstream,
}) => {
  // A text file named .png: refused by its content, with the reason shown.
  await page.locator('input[type="file"][accept^="image/"]').setInputFiles({
    name: "notes.png",
    mimeType: "image/png",
    buffer: Buffer.from("These are my notes, not a picture."),
  });
  await expect(page.getByText(/could not be attached: Only PNG, JPEG, WebP and GIF images/)).toBeVisible();
  await expect(page.getByRole("img", { name: /Attached image/ })).toHaveCount(0);

  // fake-model (listed by the upstream) takes no images: the button says so, and the API refuses before anything.
  await page.getByRole("combobox", { name: "Model" }).selectOption("fake-model");
  const attach = page.getByRole("button", { name: "Attach images" });
  await expect(attach).toHaveAttribute("aria-disabled", "true");
  await expect(attach).toHaveAccessibleDescription(/fake-model does not accept images/);

  const upload = await page.request.post("/api/files", {
    multipart: { file: { name: "square.png", mimeType: "image/png", buffer: await picture() } },
  });
  expect(upload.status()).toBe(201);
  const { id } = (await upload.json()) as { id: string };
  const refused = await page.request.post("/api/chat", {
    data: {
      conversationId: crypto.randomUUID(),
      model: "fake-model",
      text: "no vision here [[reply:never]]",
      attachments: [id],
    },
  });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { key: string } }).error.key).toBe("errors.attachmentModelNoVision");
  expect(await upstream.requests({ containing: "no vision here" })).toHaveLength(0);
  // The upload is still the user's to send with another model, or to remove.
  expect((await page.request.delete(`/api/files/${id}`)).status()).toBe(204);
});
