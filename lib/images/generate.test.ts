import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { fakePromptTokens } from "@/e2e/fake-openai/images";
import { type FakeOpenAI, startFakeOpenAI } from "@/e2e/fake-openai/server";
import { prepareTestDatabase } from "@/test/database";
import { NO_LIMITS } from "@/test/money";

// Image generation end to end below the route: a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), the
// real `openai` SDK against the fake upstream, which answers real PNGs and gpt-image usage.
prepareTestDatabase();
const fake: FakeOpenAI = await startFakeOpenAI();
process.env.OPENAI_API_KEY = "sk-test";
process.env.OPENAI_BASE_URL = fake.url;
process.env.AUTH_SECRET ??= "a test secret of at least thirty-two characters";

const { prisma } = await import("@/lib/db/client");
const { generateImages } = await import("./generate");
const { getTurnContext } = await import("@/lib/db/messages");
const { countHistory, upstreamMessages } = await import("@/lib/chat/upstream-history");
const { deleteConversation } = await import("@/lib/db/conversations");
const { decodeErrorText } = await import("@/lib/errors");
const { AppError } = await import("@/lib/errors");
const { newFileId, storageLimits } = await import("@/lib/storage/files");
const { getConversationWithMessages } = await import("@/lib/db/conversations");
const { conversationJson, conversationMarkdown } = await import("@/lib/chat/exports");
const { readFileBytes } = await import("./exports");
const { createShare, getSharedConversation } = await import("@/lib/db/shares");

afterAll(async () => {
  await prisma.$disconnect();
  await fake.close();
});

beforeEach(() => fake.clear());

async function createUser(budgetMicros: number | null = null) {
  return prisma.user.create({
    data: {
      email: `images-${randomUUID()}@example.test`,
      budgetMode: budgetMicros === null ? "unlimited" : "limited",
      monthlyBudgetMicros: budgetMicros === null ? null : BigInt(budgetMicros),
    },
  });
}

/** A request for one low-quality gpt-image-1 image of "a cat" in a new conversation, with `change` applied. */
const imageRequest = (userId: string, change: Partial<Parameters<typeof generateImages>[0]> = {}) => ({
  userId,
  conversationId: randomUUID(),
  prompt: "a cat",
  size: "1024x1024",
  quality: "low",
  count: 1,
  model: "gpt-image-1",
  policy: NO_LIMITS,
  ...change,
});

const imageCalls = () => fake.requests().filter((request) => request.path === "/v1/images/generations");

async function entryOf(replyId: string | null) {
  return prisma.ledgerEntry.findFirstOrThrow({ where: { messageId: replyId ?? "none" } });
}

describe("generateImages", () => {
  it("charges gpt-image-1 by its reported tokens, to the micro-dollar, and stores the images as the reply", async () => {
    const user = await createUser();
    const conversationId = randomUUID();
    const prompt = "a red fox in the snow, watercolour";
    const outcome = await generateImages({
      userId: user.id,
      conversationId,
      prompt,
      size: "1024x1024",
      quality: "high",
      count: 2,
      model: "gpt-image-1",
      chatModel: "gpt-5-mini",
      policy: NO_LIMITS,
    });
    expect(outcome.status).toBe("complete");
    const [call] = imageCalls();
    expect(call?.body).toEqual({ model: "gpt-image-1", prompt, n: 2, size: "1024x1024", quality: "high" });

    // gpt-image-1: $5 / 1M text in, $40 / 1M image out; a high 1024x1024 image is 4,160 output tokens.
    const textTokens = fakePromptTokens(prompt);
    const entry = await entryOf(outcome.replyId);
    expect(entry).toMatchObject({
      kind: "image",
      status: "settled",
      model: "gpt-image-1",
      promptTokens: textTokens,
      imageInputTokens: 0,
      imageOutputTokens: 8_320,
      images: 2,
      imageVariant: "1024x1024/high",
      isEstimated: false,
      isUnpriced: false,
      inputPer1M: 5_000_000,
      imageOutputPer1M: 40_000_000,
    });
    expect(Number(entry.costMicros)).toBe(textTokens * 5 + 8_320 * 40);

    const reply = await prisma.message.findUniqueOrThrow({
      where: { id: outcome.replyId ?? "" },
      include: { files: true },
    });
    expect(reply).toMatchObject({ role: "assistant", kind: "image", status: "complete", content: prompt });
    expect(reply.parentId).toBe(outcome.userMessageId);
    expect(reply.files.map(({ mimeType, width, height, origin }) => ({ mimeType, width, height, origin }))).toEqual([
      { mimeType: "image/png", width: 1024, height: 1024, origin: "generated" },
      { mimeType: "image/png", width: 1024, height: 1024, origin: "generated" },
    ]);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    // The chat keeps its chat model: the next message goes to it, not to the image model.
    expect(conversation).toMatchObject({ activeLeafId: outcome.replyId, model: "gpt-5-mini" });

    // A later chat turn sends the image reply as a line naming it.
    const context = await getTurnContext({ userId: user.id, conversationId, mustExist: true });
    const counts = await countHistory({
      history: context.messages,
      newText: undefined,
      systemPrompt: undefined,
      encoding: "o200k_base",
    });
    expect(upstreamMessages(context.messages, counts.history).map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: prompt },
      { role: "assistant", content: `[2 images generated for: ${prompt}]` },
    ]);
  });

  it("charges DALL·E 3 per image of its size and quality, captioned with the revised prompt", async () => {
    const user = await createUser();
    const outcome = await generateImages({
      userId: user.id,
      conversationId: randomUUID(),
      prompt: "a lighthouse [[revised:A tall lighthouse at dusk]]",
      size: "1024x1792",
      quality: "hd",
      count: 1,
      model: "dall-e-3",
      policy: NO_LIMITS,
    });
    expect(outcome.status).toBe("complete");
    expect(imageCalls()[0]?.body).toMatchObject({ model: "dall-e-3", response_format: "b64_json", n: 1 });
    const entry = await entryOf(outcome.replyId);
    // $0.12 a 1024x1792 HD image (prices/overrides.json).
    expect(entry).toMatchObject({ status: "settled", images: 1, perImageMicros: 120_000, isEstimated: false });
    expect(Number(entry.costMicros)).toBe(120_000);
    const reply = await prisma.message.findUniqueOrThrow({ where: { id: outcome.replyId ?? "" } });
    expect(reply.content).toBe("A tall lighthouse at dusk");
  });

  it.each([
    ["an unknown size", { size: "640x480" }, "errors.imageSizeUnknown"],
    ["an unknown quality", { quality: "ultra" }, "errors.imageQualityUnknown"],
    ["too many images", { count: 5 }, "errors.imageCountOutOfRange"],
    ["no images", { count: 0 }, "errors.imageCountOutOfRange"],
    ["an empty prompt", { prompt: "   " }, "errors.imagePromptEmpty"],
    ["a prompt over the limit", { prompt: "x".repeat(32_001) }, "errors.imagePromptTooLong"],
    [
      "a DALL·E 2 prompt over 1,000 characters",
      { prompt: "x".repeat(1_001), model: "dall-e-2" },
      "errors.imagePromptTooLong",
    ],
  ])("refuses %s with a 400, storing and spending nothing", async (_, change, key) => {
    const user = await createUser();
    const conversationId = randomUUID();
    const request = imageRequest(user.id, { conversationId, ...change });
    if (request.model === "dall-e-2") request.quality = "standard";
    const error = await generateImages(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, text: { key } });
    expect(imageCalls()).toHaveLength(0);
    expect(await prisma.conversation.count({ where: { id: conversationId } })).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { userId: user.id } })).toBe(0);
  });

  it.each([
    ["a content-policy refusal (gpt-image)", "gpt-image-1", "a forbidden thing [[refuse]]", "errors.imageRefused"],
    ["a content-policy refusal (DALL·E)", "dall-e-2", "a forbidden thing [[refuse]]", "errors.imageRefused"],
    ["a 429", "gpt-image-1", "a cat [[status:429]]", "errors.upstreamRateLimited"],
    ["a 500", "gpt-image-1", "a cat [[status:500]]", "errors.upstreamServerError"],
  ])("releases the reservation after %s and stores a failed reply without files", async (_, model, prompt, key) => {
    const user = await createUser();
    const outcome = await generateImages({
      userId: user.id,
      conversationId: randomUUID(),
      prompt,
      size: "1024x1024",
      quality: model === "dall-e-2" ? "standard" : "medium",
      count: 1,
      model,
      policy: NO_LIMITS,
    });
    expect(outcome).toMatchObject({ status: "error", errorText: { key } });
    // One attempt only: a retried generation could be billed twice.
    expect(imageCalls()).toHaveLength(1);
    const entry = await entryOf(outcome.replyId);
    expect(entry).toMatchObject({ status: "released", costMicros: 0n, reservedMicros: 0n });
    const reply = await prisma.message.findUniqueOrThrow({
      where: { id: outcome.replyId ?? "" },
      include: { files: true },
    });
    expect(reply).toMatchObject({ kind: "image", status: "error", content: "", files: [] });
    expect(decodeErrorText(reply.error ?? "")?.key).toBe(key);
    // Not sent upstream by a later chat turn.
    const context = await getTurnContext({ userId: user.id, conversationId: reply.conversationId, mustExist: true });
    expect(upstreamMessages(context.messages, []).map((message) => message.role)).toEqual(["user"]);
  });

  it("refuses a request over the budget before any upstream call", async () => {
    // 1 high image: 4,160 × $40 / 1M ≈ $0.1664 worst case, over a $0.10 budget.
    const user = await createUser(100_000);
    const conversationId = randomUUID();
    const error = await generateImages(imageRequest(user.id, { conversationId, quality: "high" })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "budget_exceeded", text: { key: "errors.budgetWouldExceedMedia" } });
    expect(imageCalls()).toHaveLength(0);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(0);
  });

  it("never overspends a small budget under concurrent requests", async () => {
    // Each request's worst case (1 medium image: 1,056 × $40 / 1M + the prompt) is about $0.0423: room for two.
    const user = await createUser(90_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        generateImages(imageRequest(user.id, { prompt: `a cat number ${i}`, quality: "medium" })),
      ),
    );
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled");
    expect(admitted).toHaveLength(2);
    expect(imageCalls()).toHaveLength(2);
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    for (const outcome of refused) expect(outcome.reason).toMatchObject({ code: "budget_exceeded" });
    const entries = await prisma.ledgerEntry.findMany({ where: { userId: user.id } });
    const spent = entries.reduce((sum, entry) => sum + Number(entry.costMicros), 0);
    expect(spent).toBeLessThanOrEqual(90_000);
    expect(entries.every((entry) => entry.status === "settled")).toBe(true);
  });

  it("deletes a conversation's images with it, and keeps their ledger entry", async () => {
    const user = await createUser();
    const conversationId = randomUUID();
    const outcome = await generateImages(imageRequest(user.id, { conversationId, prompt: "a boat", count: 3 }));
    expect(await prisma.storedFile.count({ where: { conversationId } })).toBe(3);
    const entry = await entryOf(outcome.replyId);
    expect(await deleteConversation({ id: conversationId, userId: user.id })).toBe(true);
    expect(await prisma.storedFile.count({ where: { conversationId } })).toBe(0);
    expect(await prisma.ledgerEntry.findUnique({ where: { id: entry.id } })).toMatchObject({
      status: "settled",
      costMicros: entry.costMicros,
      messageId: null,
    });
  });

  it("settles images that arrived but do not fit the storage, and keeps none of them", async () => {
    const user = await createUser();
    const conversationId = randomUUID();
    const { userQuotaBytes } = storageLimits();
    // Room for the pre-call bound (2 bytes a pixel: 2 MiB) but not for two images of random pixels (~3 MiB each).
    await prisma.storedFile.create({
      data: {
        id: newFileId(),
        userId: user.id,
        origin: "upload",
        mimeType: "image/png",
        size: userQuotaBytes - 5 * 1024 * 1024,
        sha256: "0",
        data: new Uint8Array([0]),
      },
    });
    const outcome = await generateImages(
      imageRequest(user.id, { conversationId, prompt: "static [[noise]]", count: 2 }),
    );
    expect(outcome).toMatchObject({ status: "error", errorText: { key: "errors.imageNotStoredNoRoom" } });
    const entry = await entryOf(outcome.replyId);
    // The upstream billed the images: 2 × 272 low-quality output tokens at $40 / 1M, and the prompt.
    expect(entry).toMatchObject({ status: "settled", images: 2, imageOutputTokens: 544 });
    expect(Number(entry.costMicros)).toBe(fakePromptTokens("static [[noise]]") * 5 + 544 * 40);
    expect(await prisma.storedFile.count({ where: { conversationId } })).toBe(0);
    const reply = await prisma.message.findUniqueOrThrow({ where: { id: outcome.replyId ?? "" } });
    expect(reply).toMatchObject({ kind: "image", status: "error" });
  });

  it("exports image replies: file metadata and bytes in JSON, an image line per file in Markdown", async () => {
    const user = await createUser();
    const conversationId = randomUUID();
    await generateImages(imageRequest(user.id, { conversationId, prompt: "two kites", count: 2 }));
    const conversation = await getConversationWithMessages({ id: conversationId, userId: user.id });
    if (!conversation) throw new Error("the conversation was not stored");
    const files = await prisma.storedFile.findMany({
      where: { conversationId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const bytes = await readFileBytes({ userId: user.id, messages: conversation.messages });
    const json = JSON.parse(conversationJson(conversation, new Date(), bytes));
    const [, reply] = json.conversation.messages;
    expect(reply).toMatchObject({ role: "assistant", kind: "image", content: "two kites" });
    expect(reply.files).toEqual(
      files.map((file) => ({
        id: file.id,
        origin: "generated",
        mimeType: "image/png",
        size: file.size,
        width: 1024,
        height: 1024,
        sha256: file.sha256,
        url: `/api/files/${file.id}`,
        data: Buffer.from(file.data).toString("base64"),
      })),
    );
    const markdown = conversationMarkdown(conversation, new Date(), "https://chat.example");
    expect(markdown).toContain(
      `![Image 1 of 2](https://chat.example/api/files/${files[0]?.id})\n![Image 2 of 2](https://chat.example/api/files/${files[1]?.id})`,
    );
    expect(markdown).toMatch(/_2 images \(1024x1024\/low\) · 3 text tokens · 544 image tokens out · cost \$0\.021775_/);
  });

  it("shares an image reply as its caption and how many images it had, never the images", async () => {
    const user = await createUser();
    const conversationId = randomUUID();
    await generateImages(imageRequest(user.id, { conversationId, prompt: "three moons", count: 3 }));
    const link = await createShare({ conversationId, userId: user.id });
    const shared = await getSharedConversation({ shareId: link?.share.id ?? "" });
    expect(shared?.messages).toEqual([
      { role: "user", content: "three moons" },
      { role: "assistant", content: "three moons", images: 3 },
    ]);
  });

  it("answers another user's conversation with not found, spending nothing", async () => {
    const owner = await createUser();
    const other = await createUser();
    const conversationId = randomUUID();
    const request = { prompt: "a tree", size: "1024x1024", quality: "low", count: 1, model: "gpt-image-1" };
    await generateImages({ userId: owner.id, conversationId, policy: NO_LIMITS, ...request });
    fake.clear();
    const error = await generateImages({ userId: other.id, conversationId, policy: NO_LIMITS, ...request }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "not_found" });
    expect(imageCalls()).toHaveLength(0);
    expect(await prisma.ledgerEntry.count({ where: { userId: other.id } })).toBe(0);
  });
});
