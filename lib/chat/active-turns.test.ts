import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";
import { NO_LIMITS } from "@/test/money";

// The heartbeat of running calls against a real database: a call outside any conversation (a transcription) keeps
// its lease renewed and is never taken for one whose conversation was deleted; a chat call's deleted conversation
// still stops it.

prepareTestDatabase();
const { prisma } = await import("@/lib/db/client");
const { reserveCall } = await import("@/lib/db/ledger");
const { registerTurn, DELETED } = await import("./active-turns");

async function reservation(conversationId: string | null) {
  const user = await prisma.user.create({ data: { email: `beat-${randomUUID()}@example.test` } });
  const now = new Date();
  const { id } = await reserveCall({
    userId: user.id,
    conversationId,
    quote: {
      model: "whisper-1",
      price: null,
      promptTokens: 0,
      maxOutputTokens: 0,
      reserveMicros: 100,
      media: {
        kind: "transcription",
        rates: { model: "whisper-1", audioPerMinute: 6000, effectiveFrom: "2023-03-01", source: "package" },
        audioSeconds: 1,
      },
    },
    policy: NO_LIMITS,
    now,
  });
  return { entryId: id, userId: user.id };
}

const lease = async (id: string) =>
  (await prisma.ledgerEntry.findUniqueOrThrow({ where: { id } })).leaseExpiresAt?.getTime() ?? 0;

/** Waits, by polling, until `check` holds (the heartbeat runs every few seconds). */
async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("never happened");
}

describe("registerTurn", () => {
  it("renews the lease of a call with no conversation and leaves it running; stops a chat call whose chat is gone", async () => {
    const outside = await reservation(null);
    const first = await lease(outside.entryId);
    const transcription = registerTurn({ ...outside, conversationId: null, encoding: "o200k_base" });
    const orphan = await reservation(null);
    const chat = registerTurn({ ...orphan, conversationId: randomUUID(), encoding: "o200k_base" });
    try {
      await until(async () => (await lease(outside.entryId)) > first);
      await until(async () => chat.signal.aborted);
      expect(chat.signal.reason).toBe(DELETED);
      expect(transcription.signal.aborted).toBe(false);
    } finally {
      transcription.end();
      chat.end();
    }
  });
});
