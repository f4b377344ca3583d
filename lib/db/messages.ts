import "server-only";
import { AppError } from "@/lib/errors";
import { prisma } from "./client";
import { lockUserLedger, type Quote, reserveSpend, type Settlement, settleEntry } from "./ledger";

export type HistoryMessage = { role: string; content: string };

export type TurnInput = {
  userId: string;
  conversationId: string;
  model: string;
  /** The new user message; absent when retrying the last one. */
  text?: string;
  /** Title for a conversation this turn creates. */
  title: string;
  /** Prices and counts the request that `history` would send. */
  quote: (history: HistoryMessage[]) => Quote | Promise<Quote>;
  /** micro-USD; null for unlimited. Applies to users who have not chosen a budget. */
  defaultBudgetMicros: number | null;
  now: Date;
};

/**
 * Opens a chat turn in one transaction: takes the user's ledger lock, creates the conversation on its first message,
 * reserves the worst-case cost against the monthly budget (or refuses), and stores the user's message before
 * anything is sent upstream (on retry, drops the failed replies after the last user message instead). A refusal
 * rolls everything back. Another user's conversation id is a not_found, exactly like a missing one.
 */
export async function beginTurn({
  userId,
  conversationId,
  model,
  text,
  title,
  quote,
  defaultBudgetMicros,
  now,
}: TurnInput) {
  return prisma.$transaction(
    async (tx) => {
      const budget = await lockUserLedger(tx, userId);
      const existing = await tx.conversation.findUnique({ where: { id: conversationId } });
      if (existing && existing.userId !== userId) throw new AppError("not_found", "Conversation not found.");
      if (!existing && text === undefined) throw new AppError("not_found", "Conversation not found.");
      if (!existing) {
        await tx.conversation.create({ data: { id: conversationId, userId, title, model } });
      } else {
        await tx.conversation.update({ where: { id: conversationId }, data: { model, updatedAt: new Date() } });
      }

      if (text === undefined) {
        const last = await tx.message.findFirst({
          where: { conversationId, status: { not: "error" } },
          orderBy: { createdAt: "desc" },
        });
        if (last?.role !== "user") {
          throw new AppError("bad_request", "Nothing to retry: the last message already has a reply.");
        }
        await tx.message.deleteMany({ where: { conversationId, status: "error", createdAt: { gte: last.createdAt } } });
      }

      const stored = await tx.message.findMany({
        where: { conversationId, status: { not: "error" } },
        orderBy: { createdAt: "asc" },
        select: { role: true, content: true },
      });
      const history = text === undefined ? stored : [...stored, { role: "user", content: text }];
      const reservation = await reserveSpend(
        tx,
        budget,
        { userId, conversationId, model, defaultBudgetMicros, now },
        () => quote(history),
      );
      if (text !== undefined) await tx.message.create({ data: { conversationId, role: "user", content: text } });
      return { history, reservationId: reservation.id, promptTokens: reservation.promptTokens };
    },
    // Reservations of one user queue on the ledger lock; give the queue time rather than failing it.
    { maxWait: 15_000, timeout: 15_000 },
  );
}

export type AssistantMessageInput = {
  conversationId: string;
  content: string;
  status: "complete" | "stopped" | "error";
  error?: string;
  model: string;
  finishReason?: string;
  /** The upstream's reported usage; absent when it reported none. */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number; reasoningTokens?: number };
  reservationId: string;
  settlement: Settlement;
};

/** Stores the reply and settles its reservation in one transaction, so spend and message never disagree. */
export async function finishTurn({ usage, reservationId, settlement, ...message }: AssistantMessageInput) {
  return prisma.$transaction(async (tx) => {
    const stored = await tx.message.create({ data: { role: "assistant", ...message, ...usage } });
    await tx.conversation.update({ where: { id: message.conversationId }, data: { updatedAt: new Date() } });
    await settleEntry(tx, { entryId: reservationId, messageId: stored.id, ...settlement });
    return stored;
  });
}
