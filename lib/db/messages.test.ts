import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";
import { GPT5_MINI_PRICE, NO_LIMITS } from "@/test/money";

// The conversation tree on a real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test
// runs both). Turns are opened, settled and stored through the same functions the chat turn uses.
const databaseUrl = prepareTestDatabase();
const { prisma } = await import("./client");
const { beginTurn, getTurnContext, selectVersion, storeReply } = await import("./messages");
const { getConversationWithMessages, getMessageBranch } = await import("./conversations");
const { getConversationSpend, settleReservation } = await import("./ledger");

const price = GPT5_MINI_PRICE;
const isPostgres = /^postgres/i.test(databaseUrl);

afterAll(async () => {
  await prisma.$disconnect();
});

async function createUser() {
  return prisma.user.create({ data: { email: `branch-${randomUUID()}@example.test`, budgetMode: "unlimited" } });
}

type Placement = Parameters<typeof beginTurn>[0]["placement"];

/** One whole turn as lib/chat/turn.ts runs it: admitted, settled at `costMicros`, its reply stored. */
async function turn(
  userId: string,
  conversationId: string,
  {
    text,
    placement,
    reply,
    costMicros = 100,
  }: { text?: string; placement?: Placement; reply: string; costMicros?: number },
) {
  // As the chat turn does: the conversation read first, then admitted with what was read.
  const asRead = await getTurnContext({ userId, conversationId, mustExist: false });
  const reservation = await beginTurn({
    userId,
    conversationId,
    message: text === undefined ? undefined : { content: text, tokenCount: 1, tokenEncoding: "o200k_base" },
    placement,
    title: "t",
    quote: { model: "gpt-5-mini", price, promptTokens: 10, maxOutputTokens: 4096, reserveMicros: 1_000 },
    policy: NO_LIMITS,
    now: new Date(),
    asRead,
  });
  await settleReservation({
    entryId: reservation.id,
    settlement: {
      status: "settled",
      promptTokens: 10,
      cachedTokens: 0,
      completionTokens: 5,
      reasoningTokens: 0,
      costMicros,
      isEstimated: false,
    },
  });
  const id = randomUUID();
  await storeReply({
    id,
    conversationId,
    parentId: reservation.replyParentId,
    isContinuation: placement?.kind === "continue",
    content: reply,
    status: "complete",
    model: "gpt-5-mini",
    finishReason: reply.endsWith("…") ? "length" : "stop",
    tokenCount: 1,
    tokenEncoding: "o200k_base",
    entryId: reservation.id,
  });
  return { replyId: id, userMessageId: text === undefined ? null : reservation.replyParentId };
}

async function shown(userId: string, conversationId: string) {
  const conversation = await getConversationWithMessages({ id: conversationId, userId });
  return conversation?.messages.map((message) => message.content) ?? [];
}

/** A send admitted with what was read of the conversation (`asRead`), as the chat turn admits it. */
function send(
  userId: string,
  conversationId: string,
  text: string,
  asRead: { exists: boolean; activeLeafId: string | null },
) {
  return beginTurn({
    userId,
    conversationId,
    message: { content: text, tokenCount: 1, tokenEncoding: "o200k_base" },
    title: "t",
    quote: { model: "gpt-5-mini", price, promptTokens: 10, maxOutputTokens: 4096, reserveMicros: 1_000 },
    policy: NO_LIMITS,
    now: new Date(),
    asRead,
  });
}

/** Each message's parent, oldest first: the chain a conversation's messages form. */
async function parents(conversationId: string) {
  const messages = await prisma.message.findMany({
    where: { conversationId },
    orderBy: { createdAt: "asc" },
    select: { id: true, parentId: true, content: true },
  });
  return messages;
}

describe(`a send placed after the leaf it read (${isPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  it("goes after the real leaf when another message came in since it was read", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await turn(user.id, chat, { text: "q1", reply: "a1" });
    const stale = await getTurnContext({ userId: user.id, conversationId: chat, mustExist: true });
    await turn(user.id, chat, { text: "q2", reply: "a2" });
    const late = await send(user.id, chat, "q3", stale);
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2", "a2", "q3"]);
    const messages = await parents(chat);
    expect(messages.at(-1)).toMatchObject({ id: late.replyParentId, parentId: messages.at(-2)?.id });
    expect(await prisma.ledgerEntry.count({ where: { conversationId: chat } })).toBe(3);
  });

  it("many sends at once, all read before any, each stored once after another: one chain, one entry each", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await turn(user.id, chat, { text: "q0", reply: "a0" });
    const read = await getTurnContext({ userId: user.id, conversationId: chat, mustExist: true });
    const texts = Array.from({ length: 6 }, (_, index) => `at once ${index}`);
    await Promise.all(texts.map((text) => send(user.id, chat, text, read)));
    const messages = await parents(chat);
    expect(messages).toHaveLength(8);
    // A chain: every message's parent is a different message, and the leaf is the one nothing follows.
    const parentIds = messages.map((message) => message.parentId);
    expect(new Set(parentIds).size).toBe(messages.length);
    const leaf = await prisma.conversation.findUniqueOrThrow({ where: { id: chat }, select: { activeLeafId: true } });
    expect(parentIds).not.toContain(leaf.activeLeafId);
    expect((await shown(user.id, chat)).slice(2).sort()).toEqual(texts);
    expect(await prisma.ledgerEntry.count({ where: { conversationId: chat, status: "reserved" } })).toBe(6);
  });

  it("a chat read as new but created meanwhile is joined; someone else's is not found", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const asNew = { exists: false, activeLeafId: null };
    await Promise.all([send(user.id, chat, "first", asNew), send(user.id, chat, "second", asNew)]);
    expect(await prisma.message.count({ where: { conversationId: chat } })).toBe(2);
    const other = await createUser();
    await expect(send(other.id, chat, "not mine", asNew)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      send(other.id, chat, "not mine", { exists: true, activeLeafId: (await parents(chat)).at(-1)?.id ?? null }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await prisma.message.count({ where: { conversationId: chat } })).toBe(2);
    expect(await prisma.ledgerEntry.count({ where: { userId: other.id } })).toBe(0);
  });
});

describe(`the conversation tree (${isPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  it("keeps every regenerated reply as a version, each with its own settled ledger entry", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const first = await turn(user.id, chat, { text: "hello", reply: "one" });
    const userMessage = first.userMessageId ?? "";
    await turn(user.id, chat, { placement: { kind: "regenerate", parentId: userMessage }, reply: "two" });
    const third = await turn(user.id, chat, {
      placement: { kind: "regenerate", parentId: userMessage },
      reply: "three",
    });
    expect(await shown(user.id, chat)).toEqual(["hello", "three"]);
    const conversation = await getConversationWithMessages({ id: chat, userId: user.id });
    expect(conversation?.messages.at(-1)?.versionIds).toHaveLength(3);
    expect(conversation?.messages.at(-1)?.id).toBe(third.replyId);

    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.map((entry) => entry.status)).toEqual(["settled", "settled", "settled"]);
    expect(new Set(entries.map((entry) => entry.messageId)).size).toBe(3);
    // The chat's spend counts every version.
    expect((await getConversationSpend({ userId: user.id, conversationId: chat }))?.costMicros).toBe(300);

    // Choosing the first version shows it, and the next turn's history follows it.
    expect(await selectVersion({ userId: user.id, conversationId: chat, messageId: first.replyId })).toBe(true);
    expect(await shown(user.id, chat)).toEqual(["hello", "one"]);
    const context = await getTurnContext({ userId: user.id, conversationId: chat, mustExist: true });
    expect(context.messages.map((message) => message.content)).toEqual(["hello", "one"]);
    await turn(user.id, chat, { text: "and then?", reply: "four" });
    expect(await shown(user.id, chat)).toEqual(["hello", "one", "and then?", "four"]);
  });

  it("sends an edited message in place of the old one, whose branch stays one version away", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await turn(user.id, chat, { text: "q1", reply: "a1" });
    const second = await turn(user.id, chat, { text: "q2", reply: "a2" });
    const [, a1] = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    const edited = await turn(user.id, chat, {
      text: "q2 better",
      placement: { kind: "edit", parentId: a1?.id ?? null },
      reply: "a2 better",
    });
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2 better", "a2 better"]);
    const messages = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    expect(messages[2]?.versionIds).toEqual([second.userMessageId, edited.userMessageId]);

    expect(await selectVersion({ userId: user.id, conversationId: chat, messageId: second.userMessageId ?? "" })).toBe(
      true,
    );
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2", "a2"]);
    // Nothing was deleted: three turns, three entries, each still linked to its reply.
    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.filter((entry) => entry.messageId !== null)).toHaveLength(3);
  });

  it("stores a continuation after the reply it continues, on the active branch", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const cut = await turn(user.id, chat, { text: "long one", reply: "part one…" });
    const more = await turn(user.id, chat, { placement: { kind: "continue", parentId: cut.replyId }, reply: " two" });
    const branch = await getMessageBranch({ id: more.replyId, conversationId: chat, userId: user.id });
    expect(branch?.map((message) => [message.content, message.isContinuation])).toEqual([
      ["long one", false],
      ["part one…", false],
      [" two", true],
    ]);
  });

  it("answers nothing for someone else's message, or a message of another chat", async () => {
    const owner = await createUser();
    const stranger = await createUser();
    const chat = randomUUID();
    const other = randomUUID();
    const { replyId } = await turn(owner.id, chat, { text: "mine", reply: "yes" });
    await turn(owner.id, other, { text: "other", reply: "no" });
    expect(await selectVersion({ userId: stranger.id, conversationId: chat, messageId: replyId })).toBe(false);
    expect(await selectVersion({ userId: owner.id, conversationId: other, messageId: replyId })).toBe(false);
    expect(await getMessageBranch({ id: replyId, conversationId: chat, userId: stranger.id })).toBeNull();
    await expect(
      turn(stranger.id, chat, { placement: { kind: "regenerate", parentId: replyId }, reply: "x" }),
    ).rejects.toThrow(/not found/);
    await expect(
      turn(owner.id, other, { placement: { kind: "regenerate", parentId: replyId }, reply: "x" }),
    ).rejects.toThrow(/not found/);
    expect(await shown(owner.id, chat)).toEqual(["mine", "yes"]);
  });

  it("keeps the tree whole when regenerations of one reply run at once", async () => {
    const user = await createUser();
    const chat = randomUUID();
    const first = await turn(user.id, chat, { text: "hello", reply: "one" });
    const parentId = first.userMessageId ?? "";
    await Promise.all(
      ["a", "b", "c"].map((reply) => turn(user.id, chat, { placement: { kind: "regenerate", parentId }, reply })),
    );
    const messages = (await getConversationWithMessages({ id: chat, userId: user.id }))?.messages ?? [];
    expect(messages).toHaveLength(2);
    expect(messages[1]?.versionIds).toHaveLength(4);
    const entries = await prisma.ledgerEntry.findMany({ where: { conversationId: chat } });
    expect(entries.every((entry) => entry.status === "settled")).toBe(true);
  });

  it("the migration's backfill makes each existing chat one linear branch", async () => {
    const user = await createUser();
    const chat = randomUUID();
    await prisma.conversation.create({ data: { id: chat, userId: user.id, title: "old", model: "gpt-5-mini" } });
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    for (const [i, [role, content]] of [
      ["user", "q1"],
      ["assistant", "a1"],
      ["user", "q2"],
      ["assistant", "a2"],
    ].entries()) {
      await prisma.message.create({
        data: { conversationId: chat, role: role ?? "", content: content ?? "", createdAt: at(i) },
      });
    }
    const folder = path.join(process.cwd(), "prisma", "migrations", isPostgres ? "postgresql" : "sqlite");
    const migration = fs.readdirSync(folder).find((name) => name.endsWith("_message_branches")) ?? "";
    const sql = fs.readFileSync(path.join(folder, migration, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- Backfill"));
    for (const statement of backfill.split(";").filter((part) => /\bUPDATE\b/.test(part))) {
      await prisma.$executeRawUnsafe(statement);
    }
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: chat } });
    const rows = await prisma.message.findMany({ where: { conversationId: chat }, orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => row.parentId)).toEqual([null, rows[0]?.id, rows[1]?.id, rows[2]?.id]);
    expect(conversation.activeLeafId).toBe(rows[3]?.id);
    expect(await shown(user.id, chat)).toEqual(["q1", "a1", "q2", "a2"]);
  });
});
