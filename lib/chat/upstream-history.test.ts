import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTextTokens, loadTokenizer } from "@/lib/billing/tokens";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("@/lib/db/client");
const { countOlderPrompt } = await import("./upstream-history");

afterAll(async () => {
  await prisma.$disconnect();
});

type Row = { role: string; content: string; status?: string; isContinuation?: boolean; tokenCount?: number };

/** One branch of these messages, in order; returns the conversation's and the messages' ids. */
async function seed(userId: string, rows: Row[]) {
  const conversationId = randomUUID();
  await prisma.conversation.create({ data: { id: conversationId, userId, title: "Older", model: "gpt-5-mini" } });
  const ids: string[] = [];
  for (const [index, { tokenCount, ...row }] of rows.entries()) {
    const id = randomUUID();
    await prisma.message.create({
      data: {
        id,
        conversationId,
        parentId: ids.at(-1) ?? null,
        createdAt: new Date(Date.UTC(2026, 10, 1, 12, 0, index)),
        ...row,
        ...(tokenCount === undefined ? {} : { tokenCount, tokenEncoding: "o200k_base" }),
      },
    });
    ids.push(id);
  }
  await prisma.conversation.update({ where: { id: conversationId }, data: { activeLeafId: ids.at(-1) } });
  return { conversationId, ids };
}

describe("the prompt's older part, counted for the composer's estimate", () => {
  let userId: string;
  beforeAll(async () => {
    await loadTokenizer("o200k_base");
    userId = (await prisma.user.create({ data: { email: `older-${randomUUID()}@example.test` } })).id;
  });

  it("counts what a turn sends before the cursor: continuations joined, failed replies left out, cached counts kept", async () => {
    const { conversationId, ids } = await seed(userId, [
      { role: "user", content: "What is a ledger?" },
      { role: "assistant", content: "A ledger is a book of accounts", status: "complete" },
      { role: "assistant", content: " kept in order.", isContinuation: true },
      { role: "user", content: "And a budget?" },
      { role: "assistant", content: "", status: "error" },
      // A count cached by an earlier turn is taken as it is, not counted again.
      { role: "user", content: "Tell me more.", tokenCount: 99 },
      { role: "assistant", content: "Gladly." },
      { role: "user", content: "Thanks" },
    ]);
    const older = await countOlderPrompt({ userId, conversationId, before: ids[6] as string, model: "gpt-5-mini" });
    const tokens = (text: string) => countTextTokens(text, "o200k_base");
    expect(older).toEqual({
      encoding: "o200k_base",
      messages: [
        { id: ids[0], role: "user", contentTokens: tokens("What is a ledger?") },
        {
          id: ids[1],
          role: "assistant",
          contentTokens: tokens("A ledger is a book of accounts") + tokens(" kept in order."),
        },
        { id: ids[3], role: "user", contentTokens: tokens("And a budget?") },
        { id: ids[5], role: "user", contentTokens: 99 },
      ],
    });
  });

  it("is not found for another user, and refuses a cursor that is not the start of a message on the branch", async () => {
    const { conversationId, ids } = await seed(userId, [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "assistant", content: " there", isContinuation: true },
    ]);
    const other = (await prisma.user.create({ data: { email: `older-${randomUUID()}@example.test` } })).id;
    const ask = (user: string, before: string) =>
      countOlderPrompt({ userId: user, conversationId, before, model: "gpt-5-mini" });
    await expect(ask(other, ids[1] as string)).rejects.toMatchObject({ code: "not_found" });
    await expect(ask(userId, ids[2] as string)).rejects.toMatchObject({ code: "bad_request" });
    await expect(ask(userId, "no-such-message")).rejects.toMatchObject({ code: "bad_request" });
    expect((await ask(userId, ids[0] as string)).messages).toEqual([]);
  });
});
