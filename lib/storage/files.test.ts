import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
process.env.AUTH_SECRET ??= "a-test-secret-of-at-least-32-characters";
process.env.STORAGE_MAX_FILE_MB = "1";
process.env.STORAGE_USER_QUOTA_MB = "2";
const { prisma } = await import("@/lib/db/client");
const { deleteConversation } = await import("@/lib/db/conversations");
const { attachFiles, deleteFiles, listFiles, readFile, saveFile, storageUsed } = await import("./files");

afterAll(async () => {
  await prisma.$disconnect();
});

const MB = 1024 * 1024;

async function userWithConversation() {
  const user = await prisma.user.create({ data: { email: `files-${randomUUID()}@example.test` } });
  const conversation = await prisma.conversation.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      title: "Pictures",
      model: "gpt-5-mini",
      messages: { create: [{ role: "user", content: "look" }] },
    },
    include: { messages: true },
  });
  return { userId: user.id, conversationId: conversation.id, messageId: conversation.messages[0]?.id ?? "" };
}

const png = (size: number) => new Uint8Array(size).fill(7);

describe("stored files", () => {
  it("keeps the bytes and their SHA-256, and serves them to their owner only", async () => {
    const owner = await userWithConversation();
    const other = await userWithConversation();
    const saved = await saveFile({ userId: owner.userId, origin: "upload", mimeType: "image/png", data: png(1000) });
    expect(saved).toMatchObject({ size: 1000, mimeType: "image/png", messageId: null });
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
    const read = await readFile({ userId: owner.userId, id: saved.id });
    expect(Buffer.from(read?.data ?? []).equals(Buffer.from(png(1000)))).toBe(true);
    expect(await readFile({ userId: other.userId, id: saved.id })).toBeNull();
    expect(await readFile({ userId: owner.userId, id: "../../etc/passwd" })).toBeNull();
    expect(await listFiles({ userId: other.userId, ids: [saved.id] })).toEqual([]);
    expect(await deleteFiles({ userId: other.userId, ids: [saved.id] })).toBe(0);
  });

  it("refuses a file over the per-file limit and one past the user's quota, writing nothing", async () => {
    const { userId } = await userWithConversation();
    await expect(
      saveFile({ userId, origin: "upload", mimeType: "image/png", data: png(MB + 1) }),
    ).rejects.toMatchObject({
      code: "payload_too_large",
      text: { key: "errors.fileTooLarge" },
    });
    await saveFile({ userId, origin: "upload", mimeType: "image/png", data: png(MB) });
    await saveFile({ userId, origin: "upload", mimeType: "image/png", data: png(MB) });
    await expect(saveFile({ userId, origin: "upload", mimeType: "image/png", data: png(1) })).rejects.toMatchObject({
      code: "payload_too_large",
      text: { key: "errors.storageQuotaExceeded" },
    });
    expect(await storageUsed(userId)).toBe(2 * MB);
  });

  it("attaches only the user's unattached files, and goes with the conversation (its ledger entries stay)", async () => {
    const owner = await userWithConversation();
    const other = await userWithConversation();
    const mine = await saveFile({ userId: owner.userId, origin: "upload", mimeType: "image/png", data: png(10) });
    const theirs = await saveFile({ userId: other.userId, origin: "upload", mimeType: "image/png", data: png(10) });
    const linked = await prisma.$transaction((tx) => attachFiles(tx, { ...owner, ids: [mine.id, theirs.id] }));
    expect(linked).toBe(1);
    // Already attached: not again.
    expect(await prisma.$transaction((tx) => attachFiles(tx, { ...owner, ids: [mine.id] }))).toBe(0);
    const entry = await prisma.ledgerEntry.create({
      data: {
        userId: owner.userId,
        kind: "image",
        status: "settled",
        model: "gpt-image-1",
        conversationId: owner.conversationId,
      },
    });
    expect(await deleteConversation({ id: owner.conversationId, userId: owner.userId })).toBeTruthy();
    expect(await readFile({ userId: owner.userId, id: mine.id })).toBeNull();
    expect(await readFile({ userId: other.userId, id: theirs.id })).not.toBeNull();
    expect(await prisma.ledgerEntry.findUnique({ where: { id: entry.id } })).not.toBeNull();
  });
});
