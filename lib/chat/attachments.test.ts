import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "@/e2e/fake-openai/server";
import { AppError } from "@/lib/errors";
import { prepareTestDatabase } from "@/test/database";

// Attached images end to end below the browser, on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL)
// and the fake upstream over HTTP: what an upload accepts, and a turn that carries images (linked in its admission,
// sent as data URLs, their tokens reserved), or refuses them with nothing stored or reserved.
prepareTestDatabase();
let fake: FakeOpenAI;
process.env.OPENAI_API_KEY = "sk-test";
process.env.AUTH_SECRET ??= "a test secret of at least thirty-two characters";
process.env.STORAGE_MAX_FILE_MB = "1";
const { prisma } = await import("@/lib/db/client");
const { inspectImage, uploadAttachment } = await import("./attachments");
const { startChatTurn } = await import("./turn");
const { UPLOAD_TTL_MS } = await import("@/lib/storage/uploads");
const { priceFor } = await import("@/lib/config");
const { worstCaseCost } = await import("@/lib/billing/cost");

beforeAll(async () => {
  fake = await startFakeOpenAI({ port: 0 });
  process.env.OPENAI_BASE_URL = fake.url;
});

afterAll(async () => {
  await fake?.close();
  await prisma.$disconnect();
});

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#3a7" } })
    .png()
    .toBuffer();

async function createUser() {
  return prisma.user.create({ data: { email: `vision-${randomUUID()}@example.test`, budgetMode: "unlimited" } });
}

function uploadRequest(data: Uint8Array, name = "picture.png", type = "image/png") {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)], { type }), name);
  return new Request("http://localhost/api/files", { method: "POST", body: form });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("what an upload accepts", () => {
  it("PNG, JPEG, WebP and still GIF, by their bytes, with their dimensions", async () => {
    const image = sharp({ create: { width: 30, height: 20, channels: 3, background: "#000" } });
    expect(await inspectImage(await png(30, 20))).toEqual({ mimeType: "image/png", width: 30, height: 20 });
    expect(await inspectImage(await image.clone().jpeg().toBuffer())).toMatchObject({ mimeType: "image/jpeg" });
    expect(await inspectImage(await image.clone().webp().toBuffer())).toMatchObject({ mimeType: "image/webp" });
    expect(await inspectImage(await image.clone().gif().toBuffer())).toMatchObject({ mimeType: "image/gif" });
  });

  it("refuses a text file named .png, an empty, truncated, animated or too large image", async () => {
    const text = new TextEncoder().encode("not an image at all, whatever its name says");
    expect((await refusal(inspectImage(text))).text?.key).toBe("errors.attachmentNotImage");
    expect((await refusal(inspectImage(new Uint8Array()))).text?.key).toBe("errors.attachmentEmpty");
    const whole = await png(200, 200);
    const cut = whole.subarray(0, Math.floor(whole.byteLength / 2));
    expect((await refusal(inspectImage(cut))).text?.key).toBe("errors.attachmentUnreadable");
    const frames = await Promise.all(
      ["#f00", "#00f"].map((background) =>
        sharp({ create: { width: 10, height: 10, channels: 3, background } })
          .png()
          .toBuffer(),
      ),
    );
    const animated = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await refusal(inspectImage(animated))).text?.key).toBe("errors.attachmentAnimated");
    const wide = await sharp({ create: { width: 9000, height: 4, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    const tooWide = await refusal(inspectImage(wide));
    expect(tooWide.text).toEqual({
      key: "errors.attachmentTooManyPixels",
      params: { max: 8192, width: 9000, height: 4 },
    });
  });

  it("stores an upload as the user's, part of no message; refuses one past the size cap (413) or not multipart", async () => {
    const user = await createUser();
    const saved = await uploadAttachment({ userId: user.id, request: uploadRequest(await png(64, 48)) });
    expect(saved).toMatchObject({ mimeType: "image/png", width: 64, height: 48 });
    const row = await prisma.storedFile.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row).toMatchObject({ userId: user.id, origin: "upload", messageId: null, conversationId: null });

    const big = new Uint8Array(1024 * 1024 + 10);
    const tooLarge = await refusal(uploadAttachment({ userId: user.id, request: uploadRequest(big) }));
    expect(tooLarge.status).toBe(413);
    const notMultipart = new Request("http://localhost/api/files", { method: "POST", body: "x" });
    expect((await refusal(uploadAttachment({ userId: user.id, request: notMultipart }))).status).toBe(400);
    expect(await prisma.storedFile.count({ where: { userId: user.id } })).toBe(1);
  });

  it("deletes the user's uploads that no message took within a day at their next upload, and only those", async () => {
    const user = await createUser();
    const other = await createUser();
    const first = await uploadAttachment({ userId: user.id, request: uploadRequest(await png(8, 8)) });
    const othersOld = await uploadAttachment({ userId: other.id, request: uploadRequest(await png(8, 8)) });
    const dayAgo = new Date(Date.now() - UPLOAD_TTL_MS - 1000);
    await prisma.storedFile.updateMany({
      where: { id: { in: [first.id, othersOld.id] } },
      data: { createdAt: dayAgo },
    });
    const second = await uploadAttachment({ userId: user.id, request: uploadRequest(await png(9, 9)) });
    const left = await prisma.storedFile.findMany({
      where: { userId: { in: [user.id, other.id] } },
      select: { id: true },
    });
    expect(left.map((file) => file.id).sort()).toEqual([othersOld.id, second.id].sort());
  });
});

describe("a turn with images", () => {
  const turn = (userId: string, conversationId: string, attachments: string[], model = "gpt-4o") =>
    startChatTurn({
      userId,
      conversationId,
      model,
      settings: {},
      request: { kind: "send", text: "What is in this picture?", attachments },
    });

  it("links them to the stored message, sends them as data URLs, settles from the upstream's usage", async () => {
    const user = await createUser();
    const image = await png(1024, 1024);
    const saved = await uploadAttachment({ userId: user.id, request: uploadRequest(image) });
    const conversationId = randomUUID();
    fake.clear();
    const response = await turn(user.id, conversationId, [saved.id]);
    expect(response.status).toBe(200);
    await response.text();

    const message = await prisma.message.findFirstOrThrow({ where: { conversationId, role: "user" } });
    const file = await prisma.storedFile.findUniqueOrThrow({ where: { id: saved.id } });
    expect(file).toMatchObject({ messageId: message.id, conversationId });

    const body = fake.requests().find((request) => request.path === "/v1/chat/completions")?.body as {
      messages: { role: string; content: unknown }[];
    };
    expect(body.messages.at(-1)?.content).toEqual([
      { type: "text", text: "What is in this picture?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${image.toString("base64")}`, detail: "auto" } },
    ]);
    // Settled from the upstream's usage, whose prompt tokens include the fake's 1,000 for the image.
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { conversationId } });
    expect(entry.promptTokens).toBe(Math.ceil([..."What is in this picture?"].length / 4) + 1000);

    // The next turn sends the earlier image again, with the history.
    fake.clear();
    await (
      await startChatTurn({
        userId: user.id,
        conversationId,
        model: "gpt-4o",
        settings: {},
        request: { kind: "send", text: "And now?" },
      })
    ).text();
    const next = fake.requests().find((request) => request.path === "/v1/chat/completions")?.body as {
      messages: { role: string; content: unknown }[];
    };
    expect(Array.isArray(next.messages[0]?.content)).toBe(true);
  });

  it("reserves the image's tokens against the budget: a budget that holds the text alone refuses it with the image", async () => {
    const price = priceFor("gpt-4o");
    if (!price) throw new Error("gpt-4o has a price");
    // Room for a prompt of 400 tokens: the question's few, not its 765 more for a 1024 × 1024 image.
    const room = worstCaseCost({ promptTokens: 400, maxOutputTokens: 4096 }, price);
    const user = await prisma.user.create({
      data: { email: `vision-${randomUUID()}@example.test`, budgetMode: "limited", monthlyBudgetMicros: BigInt(room) },
    });
    const saved = await uploadAttachment({ userId: user.id, request: uploadRequest(await png(1024, 1024)) });
    const refused = await refusal(turn(user.id, randomUUID(), [saved.id]));
    expect(refused.code).toBe("budget_exceeded");
    expect(await prisma.storedFile.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({ messageId: null });
    const withoutImage = await turn(user.id, randomUUID(), []);
    expect(withoutImage.status).toBe(200);
    await withoutImage.text();
  });

  it("refuses another user's upload, one already sent and a model without vision: nothing stored or reserved", async () => {
    const owner = await createUser();
    const intruder = await createUser();
    const saved = await uploadAttachment({ userId: owner.id, request: uploadRequest(await png(16, 16)) });
    const conversationId = randomUUID();
    fake.clear();

    const stolen = await refusal(turn(intruder.id, conversationId, [saved.id]));
    expect([stolen.status, stolen.text?.key]).toEqual([404, "errors.attachmentNotFound"]);
    const unknown = await refusal(turn(owner.id, conversationId, ["A".repeat(24)]));
    expect(unknown.status).toBe(404);
    const noVision = await refusal(turn(owner.id, conversationId, [saved.id], "fake-model"));
    expect(noVision.text).toEqual({ key: "errors.attachmentModelNoVision", params: { model: "fake-model" } });

    expect(await prisma.conversation.count({ where: { id: conversationId } })).toBe(0);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { userId: { in: [owner.id, intruder.id] } } })).toBe(0);
    expect(await prisma.storedFile.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({ messageId: null });
    expect(fake.requests().filter((request) => request.path === "/v1/chat/completions")).toHaveLength(0);

    // Sent once, an upload belongs to its message: sending it again is refused, and its first message keeps it.
    await (await turn(owner.id, conversationId, [saved.id])).text();
    const again = await refusal(turn(owner.id, conversationId, [saved.id]));
    expect(again.status).toBe(404);
    expect(await prisma.message.count({ where: { conversationId, role: "user" } })).toBe(1);
  });
});
