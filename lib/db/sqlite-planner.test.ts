import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";
import { sqliteFilePath } from "./database-url";

// SQLite only: PostgreSQL keeps its own statistics (autovacuum's ANALYZE). Without statistics SQLite's planner took
// the (user, status) index for a chat's settled spend and read every settled entry of a large user (160 ms per chat
// page at 250,000 entries); lib/db/adapter.ts refreshes them when it opens the database, and every hour.
const url = prepareTestDatabase();
const isSqlite = url.startsWith("file:");
const { prisma } = await import("./client");

afterAll(async () => {
  await prisma.$disconnect();
});

const SPEND_OF_A_CHAT = `EXPLAIN QUERY PLAN SELECT SUM("costMicros") FROM "LedgerEntry" WHERE "userId" = ? AND "conversationId" = ? AND "status" = ?`;

describe.skipIf(!isSqlite)("SQLite's planner statistics", () => {
  it("send a chat's spend through the (user, conversation) index once the database is opened again", async () => {
    const user = await prisma.user.create({ data: { email: `planner-${randomUUID()}@example.test` } });
    const conversationIds = Array.from({ length: 100 }, () => randomUUID());
    await prisma.conversation.createMany({
      data: conversationIds.map((id) => ({ id, userId: user.id, title: "t", model: "gpt-5-mini" })),
    });
    for (let chunk = 0; chunk < 10; chunk++) {
      await prisma.ledgerEntry.createMany({
        data: Array.from({ length: 1_000 }, (_, i) => ({
          userId: user.id,
          kind: "chat",
          status: "settled",
          conversationId: conversationIds[(chunk * 1_000 + i) % conversationIds.length],
          model: "gpt-5-mini",
          costMicros: 1n,
        })),
      });
    }
    // Another server process opening the database (a restart): the ledger grew tenfold and more since the statistics
    // were taken, so they are taken again.
    const { createAdapter } = await import("./adapter");
    const opened = await createAdapter(url).connect();
    await opened.dispose();

    const db = new Database(sqliteFilePath(url), { readonly: true });
    try {
      const plan = db
        .prepare(SPEND_OF_A_CHAT)
        .all(user.id, conversationIds[0], "settled")
        .map((row) => (row as { detail: string }).detail)
        .join(" | ");
      expect(plan).toContain("LedgerEntry_userId_conversationId_createdAt_idx");
    } finally {
      db.close();
    }
  });
});
