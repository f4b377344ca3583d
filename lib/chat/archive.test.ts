import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("@/lib/db/client");
const { archiveJson, importArchive, parseArchive } = await import("./archive");
const { conversationJson, conversationMarkdown } = await import("./exports");
const { getConversationWithMessages } = await import("@/lib/db/conversations");

afterAll(async () => {
  await prisma.$disconnect();
});

const PRICE = { inputPer1M: 250_000, cachedInputPer1M: 25_000, outputPer1M: 2_000_000, priceDate: "2025-08-07" };

async function createUser() {
  return prisma.user.create({
    data: {
      email: `archive-${randomUUID()}@example.test`,
      name: "Ada",
      passwordHash: "$2b$12$secret-hash-never-shown",
    },
  });
}

/** A conversation of three replies: priced, estimated (stopped) and unpriced, each with its settled ledger entry. */
async function createConversation(userId: string) {
  const conversation = await prisma.conversation.create({
    data: {
      id: randomUUID(),
      userId,
      title: "Plans for 周报",
      model: "gpt-5-mini",
      createdAt: new Date("2026-01-02T03:04:05.000Z"),
      updatedAt: new Date("2026-01-02T03:09:00.000Z"),
    },
  });
  const at = (second: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, second));
  const replies = [
    { content: "Echo: hello", status: "complete", usage: [120, 30], costMicros: 90_000n, extra: PRICE },
    {
      content: "Echo: part",
      status: "stopped",
      usage: null,
      costMicros: 4_442n,
      extra: { ...PRICE, isEstimated: true },
    },
    { content: "Local answer", status: "complete", usage: [10, 2], costMicros: 0n, extra: { isUnpriced: true } },
  ] as const;
  for (const [index, reply] of replies.entries()) {
    await prisma.message.create({
      data: { conversationId: conversation.id, role: "user", content: `question ${index}`, createdAt: at(index * 2) },
    });
    const message = await prisma.message.create({
      data: {
        conversationId: conversation.id,
        role: "assistant",
        content: reply.content,
        status: reply.status,
        model: "gpt-5-mini",
        promptTokens: reply.usage?.[0],
        completionTokens: reply.usage?.[1],
        cachedTokens: reply.usage ? 0 : null,
        reasoningTokens: reply.usage ? 0 : null,
        createdAt: at(index * 2 + 1),
      },
    });
    await prisma.ledgerEntry.create({
      data: {
        userId,
        kind: "chat",
        status: "settled",
        conversationId: conversation.id,
        messageId: message.id,
        model: "gpt-5-mini",
        promptTokens: reply.usage?.[0] ?? 118,
        completionTokens: reply.usage?.[1] ?? 2,
        costMicros: reply.costMicros,
        settledAt: at(index * 2 + 1),
        ...reply.extra,
      },
    });
  }
  return conversation;
}

async function archiveOf(userId: string) {
  let text = "";
  for await (const chunk of archiveJson({ userId, now: new Date("2026-02-01T00:00:00.000Z") })) text += chunk;
  return { text, archive: JSON.parse(text) };
}

describe("archive export", () => {
  it("holds the user, their conversations with each reply's cost, and their ledger; never a secret", async () => {
    const user = await createUser();
    const conversation = await createConversation(user.id);
    // A chat that was deleted: its spend stays in the ledger, and so in the archive.
    await prisma.ledgerEntry.create({
      data: { userId: user.id, kind: "chat", status: "settled", model: "gpt-5-mini", costMicros: 7n, ...PRICE },
    });
    const { text, archive } = await archiveOf(user.id);
    expect(text).not.toContain("secret-hash");
    expect(text).not.toContain("passwordHash");
    expect(archive).toMatchObject({
      format: "chatledger-archive",
      version: 1,
      exportedAt: "2026-02-01T00:00:00.000Z",
      user: { email: user.email, name: "Ada", settings: { budget: { mode: "default", monthlyBudgetMicros: null } } },
      presets: [],
    });
    expect(archive.conversations).toHaveLength(1);
    const [exported] = archive.conversations;
    expect(exported).toMatchObject({ id: conversation.id, title: "Plans for 周报", model: "gpt-5-mini" });
    expect(exported.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(exported.messages[0].cost).toBeNull();
    expect(exported.messages[1].cost).toMatchObject({ micros: 90_000, isEstimated: false, isUnpriced: false });
    expect(exported.messages[3].cost).toMatchObject({ micros: 4_442, isEstimated: true, promptTokens: 118 });
    expect(exported.messages[5].cost).toMatchObject({ micros: 0, isUnpriced: true });
    expect(archive.ledger.map((entry: { costMicros: number }) => entry.costMicros).sort()).toEqual(
      [0, 4_442, 7, 90_000].sort(),
    );
    expect(archive.ledger.find((entry: { costMicros: number }) => entry.costMicros === 7)).toMatchObject({
      conversationId: null,
      price: PRICE,
    });
  });

  it("stays one valid JSON document with several conversations and entries", async () => {
    const user = await createUser();
    for (let i = 0; i < 3; i++) await createConversation(user.id);
    const { archive } = await archiveOf(user.id);
    expect(archive.conversations).toHaveLength(3);
    expect(archive.ledger).toHaveLength(9);
  });
});

describe("conversation export", () => {
  it("writes Markdown with each reply's tokens and exact cost, and JSON with the archive's conversation shape", async () => {
    const user = await createUser();
    const { id } = await createConversation(user.id);
    const conversation = await getConversationWithMessages({ id, userId: user.id });
    if (!conversation) throw new Error("conversation missing");
    const now = new Date("2026-02-01T00:00:00.000Z");
    const markdown = conversationMarkdown(conversation, now);
    expect(markdown).toContain("# Plans for 周报\n");
    expect(markdown).toContain("### User · 2026-01-02 03:04:00 UTC\n\nquestion 0\n");
    expect(markdown).toContain(
      "### Assistant (gpt-5-mini) · 2026-01-02 03:04:01 UTC\n\nEcho: hello\n\n_120 prompt tokens · 30 completion tokens · cost $0.090000_",
    );
    expect(markdown).toContain("_~118 prompt tokens · ~2 completion tokens · cost $0.004442 (estimated) · Stopped_");
    expect(markdown).toContain("_10 prompt tokens · 2 completion tokens · cost unknown (unpriced model)_");
    const json = JSON.parse(conversationJson(conversation, now));
    expect(json).toMatchObject({ format: "chatledger-conversation", version: 1, exportedAt: now.toISOString() });
    expect(json.conversation.messages[1].cost.micros).toBe(90_000);
  });
});

describe("archive import", () => {
  it("adds the conversations to another user under new ids, with their messages and no ledger entries", async () => {
    const owner = await createUser();
    const original = await createConversation(owner.id);
    const { archive } = await archiveOf(owner.id);
    const importer = await createUser();

    expect(await importArchive({ userId: importer.id, body: archive })).toEqual({
      conversations: 1,
      messages: 6,
      skippedLedgerEntries: 3,
    });
    const [imported] = await prisma.conversation.findMany({
      where: { userId: importer.id },
      include: { messages: { orderBy: { createdAt: "asc" } } },
    });
    expect(imported?.id).not.toBe(original.id);
    expect(imported).toMatchObject({
      title: "Plans for 周报",
      model: "gpt-5-mini",
      createdAt: original.createdAt,
      updatedAt: original.updatedAt,
    });
    const originals = await prisma.message.findMany({
      where: { conversationId: original.id },
      orderBy: { createdAt: "asc" },
    });
    const kept = ["role", "content", "status", "model", "promptTokens", "completionTokens", "createdAt"];
    const fields = (message: object) =>
      Object.fromEntries(Object.entries(message).filter(([key]) => kept.includes(key)));
    expect(imported?.messages.map(fields)).toEqual(originals.map(fields));
    expect(await prisma.ledgerEntry.count({ where: { userId: importer.id } })).toBe(0);
    // The owner's data is untouched.
    expect(await prisma.conversation.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("refuses a wrong format, a wrong version or a bad field with a clear message, writing nothing", async () => {
    const owner = await createUser();
    await createConversation(owner.id);
    await createConversation(owner.id);
    const { archive } = await archiveOf(owner.id);
    const importer = await createUser();

    expect(() => parseArchive([1, 2])).toThrow('This is not a ChatLedger archive: it should say "format"');
    expect(() => parseArchive({ ...archive, format: "other" })).toThrow("This is not a ChatLedger archive");
    expect(() => parseArchive({ ...archive, version: 2 })).toThrow(
      "This archive is version 2; this server reads version 1.",
    );
    // The second conversation's fourth message is bad: the first is not stored either.
    archive.conversations[1].messages[3].role = "system";
    await expect(importArchive({ userId: importer.id, body: archive })).rejects.toThrow(
      /^The archive is invalid at conversations\[1\]\.messages\[3\]\.role: /,
    );
    expect(await prisma.conversation.count({ where: { userId: importer.id } })).toBe(0);
  });
});
