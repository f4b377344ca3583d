import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const { exportConversations, getConversationWithMessages, listConversations, updateConversation } = await import(
  "./conversations"
);

async function createUser() {
  return (await prisma.user.create({ data: { email: `history-${randomUUID()}@example.test` } })).id;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

async function createConversation(
  userId: string,
  { minute, isPinned = false }: { minute: number; isPinned?: boolean },
) {
  return prisma.conversation.create({
    data: {
      id: randomUUID(),
      userId,
      title: `Chat at minute ${minute}`,
      model: "gpt-5-mini",
      updatedAt: at(minute),
      pinnedAt: isPinned ? at(0) : null,
    },
  });
}

/** Every page of the list, `limit` at a time. */
async function readAll(userId: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listConversations({ userId, cursor, limit });
    ids.push(...page.conversations.map((c) => c.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("the pages never ended");
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("the sidebar's pages", () => {
  let userId: string;
  let expected: string[];

  beforeAll(async () => {
    userId = await createUser();
    const other = await createUser();
    await createConversation(other, { minute: 30 });
    // Minutes 5 and 9 are shared by two conversations each: the id decides between them.
    const plain = await Promise.all([1, 5, 5, 9, 9, 12, 20].map((minute) => createConversation(userId, { minute })));
    const pinned = await Promise.all([3, 7].map((minute) => createConversation(userId, { minute, isPinned: true })));
    const order = (list: typeof plain) =>
      [...list]
        .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((c) => c.id);
    expected = [...order(pinned), ...order(plain)];
  });

  it("lists pinned conversations first, then by last activity, every one once, whatever the page size", async () => {
    for (const limit of [1, 2, 3, 4, 9, 10, 50]) expect(await readAll(userId, limit)).toEqual(expected);
  });

  it("says where each conversation is held, for the sidebar's Telegram mark", async () => {
    const id = randomUUID();
    const own = await createUser();
    await prisma.conversation.create({
      data: { id, userId: own, title: "Asked in Telegram", model: "gpt-5-mini", source: "telegram" },
    });
    await createConversation(own, { minute: 1 });
    const page = await listConversations({ userId: own, limit: 10 });
    expect(page.conversations.map((c) => [c.title, c.source])).toEqual([
      ["Asked in Telegram", "telegram"],
      ["Chat at minute 1", "web"],
    ]);
  });

  it("says when there is no next page", async () => {
    const page = await listConversations({ userId, limit: 9 });
    expect(page.conversations).toHaveLength(9);
    expect(page.nextCursor).toBeNull();
  });

  it("neither repeats nor skips a conversation that becomes active between two pages", async () => {
    const first = await listConversations({ userId, limit: 4 });
    const moved = expected[6] ?? "";
    await prisma.conversation.update({ where: { id: moved }, data: { updatedAt: at(59) } });
    const rest = await readAllAfter(first.nextCursor);
    expect([...first.conversations.map((c) => c.id), ...rest]).toEqual(expected.filter((id) => id !== moved));
    await prisma.conversation.update({ where: { id: moved }, data: { updatedAt: at(5) } });

    async function readAllAfter(cursor: string | null) {
      const ids: string[] = [];
      while (cursor !== null) {
        const page = await listConversations({ userId, cursor, limit: 4 });
        ids.push(...page.conversations.map((c) => c.id));
        cursor = page.nextCursor;
      }
      return ids;
    }
  });

  it("refuses a cursor it did not make", async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const cursor of [
      "not-a-cursor",
      "W10",
      encode([2, 1, "abcdefgh"]),
      encode([0, 1e20, "abcdefgh"]),
      encode([0, 1, "a\u0000b"]),
      encode([0, 1, "x".repeat(65)]),
    ]) {
      await expect(listConversations({ userId, cursor, limit: 5 })).rejects.toSatisfy(
        (error) => error instanceof AppError && error.code === "bad_request",
      );
    }
  });
});

describe("renaming and pinning", () => {
  it("changes the title and the pin without moving the conversation in time", async () => {
    const userId = await createUser();
    const conversation = await createConversation(userId, { minute: 10 });
    const now = new Date(Date.UTC(2026, 10, 2));

    const renamed = await updateConversation({ id: conversation.id, userId, title: "Trip to Kyoto", now });
    expect(renamed).toMatchObject({ title: "Trip to Kyoto", updatedAt: at(10), pinnedAt: null });

    const pinned = await updateConversation({ id: conversation.id, userId, isPinned: true, now });
    expect(pinned).toMatchObject({ title: "Trip to Kyoto", updatedAt: at(10), pinnedAt: now });
    const pinnedAgain = await updateConversation({ id: conversation.id, userId, isPinned: true, now: at(30) });
    expect(pinnedAgain?.pinnedAt).toEqual(now);

    const unpinned = await updateConversation({ id: conversation.id, userId, isPinned: false, now });
    expect(unpinned).toMatchObject({ updatedAt: at(10), pinnedAt: null });
  });

  it("finds nothing to change in someone else's conversation, and changes nothing", async () => {
    const owner = await createUser();
    const intruder = await createUser();
    const conversation = await createConversation(owner, { minute: 10 });
    const now = new Date();
    expect(await updateConversation({ id: conversation.id, userId: intruder, title: "Mine", now })).toBeNull();
    expect(await updateConversation({ id: conversation.id, userId: intruder, isPinned: true, now })).toBeNull();
    expect(await prisma.conversation.findUnique({ where: { id: conversation.id } })).toMatchObject({
      title: conversation.title,
      pinnedAt: null,
    });
  });
});

describe("a long conversation read whole", () => {
  // SQLite takes at most 999 values per query through Prisma: a conversation (or an export batch) of more messages
  // than that failed with P2029 when their ledger entries and files were read by a list of the messages' ids.
  it("reads 1,200 messages with their ledger entries and files, in the JSON view and in the export", async () => {
    const userId = await createUser();
    const conversation = await createConversation(userId, { minute: 30 });
    const count = 1_200;
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      conversationId: conversation.id,
      role: i % 2 === 0 ? "user" : "assistant",
      content: `message ${i}`,
      createdAt: new Date(at(31).getTime() + i * 1000),
    }));
    // Each message answers the one before it: one branch of 1,200.
    await prisma.message.createMany({
      data: rows.map((row, i) => ({ ...row, parentId: i === 0 ? null : (rows[i - 1]?.id ?? null) })),
    });
    const replies = rows.filter((row) => row.role === "assistant");
    await prisma.ledgerEntry.createMany({
      data: replies.map((row) => ({
        userId,
        kind: "chat",
        status: "settled",
        conversationId: conversation.id,
        messageId: row.id,
        model: "gpt-5-mini",
        costMicros: 7n,
      })),
    });
    const last = rows.at(-1);
    await prisma.conversation.update({ where: { id: conversation.id }, data: { activeLeafId: last?.id } });
    await prisma.storedFile.create({
      data: {
        id: randomUUID(),
        userId,
        conversationId: conversation.id,
        messageId: last?.id,
        origin: "generated",
        mimeType: "image/png",
        size: 3,
        sha256: "00",
        data: new Uint8Array([1, 2, 3]),
      },
    });

    const read = await getConversationWithMessages({ id: conversation.id, userId });
    expect(read?.messages).toHaveLength(count);
    expect(read?.messages.map((message) => message.content)).toEqual(rows.map((row) => row.content));
    expect(read?.messages.filter((message) => message.ledgerEntry?.costMicros === 7n)).toHaveLength(replies.length);
    expect(read?.messages.at(-1)?.files.map((file) => file.size)).toEqual([3]);
    expect(await getConversationWithMessages({ id: conversation.id, userId: await createUser() })).toBeNull();

    const exported = [];
    for await (const batch of exportConversations({ userId })) exported.push(...batch);
    expect(exported.map((item) => item.messages.length)).toEqual([count]);
    expect(exported[0]?.messages.filter((message) => message.ledgerEntry !== null)).toHaveLength(replies.length);
  });
});
