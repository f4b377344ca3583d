import "server-only";
import { randomUUID } from "node:crypto";
import type { BudgetPolicy } from "@/lib/billing/budget";
import { appError } from "@/lib/i18n/errors";
import { prisma } from "./client";
import { linkEntryToMessage, type Quote, reserveCalls } from "./ledger";
import { withTransientRetry } from "./retry";

// Comparisons (the Compare page, lib/chat/compare.ts): a prompt sent to two to four models at once, each answer paid
// by a ledger entry of its own. Every read and change is scoped by the user's id: another user's comparison does not
// exist here.

export type AnswerStatus = "streaming" | "complete" | "stopped" | "error";

export type BeginComparisonInput = {
  userId: string;
  prompt: string;
  systemPrompt: string | null;
  /** The parameters as JSON ({ temperature?, maxOutputTokens? }). */
  settings: string;
  /** One per model, in column order. */
  quotes: Quote[];
  policy: BudgetPolicy;
  now: Date;
};

/**
 * Reserves every model's worst case and stores the comparison with its answers (streaming) in one transaction: all
 * or nothing, so a comparison the budget refuses leaves no row and no entry (reserveCalls, lib/db/ledger.ts).
 */
export async function beginComparison({
  userId,
  prompt,
  systemPrompt,
  settings,
  quotes,
  policy,
  now,
}: BeginComparisonInput) {
  return reserveCalls({ userId, quotes, policy, now }, async (tx, entries) => {
    const comparison = await tx.comparison.create({
      data: {
        userId,
        prompt,
        systemPrompt,
        settings,
        createdAt: now,
        answers: {
          create: quotes.map((quote, position) => ({
            position,
            model: quote.model,
            ledgerEntryId: entries[position]?.id ?? "",
          })),
        },
      },
      include: { answers: { orderBy: { position: "asc" } } },
    });
    return {
      id: comparison.id,
      answers: comparison.answers.map(({ id, position, model, ledgerEntryId }) => ({
        id,
        position,
        model,
        entryId: ledgerEntryId,
      })),
    };
  });
}

export type AnswerOutcome = {
  content: string;
  status: Exclude<AnswerStatus, "streaming">;
  error?: string;
  finishReason?: string;
  firstTokenMs: number | null;
  totalMs: number;
};

/** Stores how an answer ended (after its entry was settled). Retried on transient errors. */
export async function finishAnswer({ answerId, ...outcome }: AnswerOutcome & { answerId: string }) {
  await withTransientRetry(() => prisma.comparisonAnswer.update({ where: { id: answerId }, data: outcome }));
}

/** A comparison of this user's, with its answers and what each cost (from its ledger entry), or null. */
export async function getComparison({ id, userId }: { id: string; userId: string }) {
  const comparison = await prisma.comparison.findFirst({
    where: { id, userId },
    include: { answers: { orderBy: { position: "asc" } } },
  });
  if (!comparison) return null;
  const entries = await prisma.ledgerEntry.findMany({
    where: { userId, id: { in: comparison.answers.map((answer) => answer.ledgerEntryId) } },
  });
  const entryOf = new Map(entries.map((entry) => [entry.id, entry]));
  return {
    ...comparison,
    answers: comparison.answers.map((answer) => ({ ...answer, entry: entryOf.get(answer.ledgerEntryId) ?? null })),
  };
}

export type StoredComparison = NonNullable<Awaited<ReturnType<typeof getComparison>>>;

/**
 * Stop, pressed by the user: marks the comparison's open calls so that the server running them stops them at its next
 * heartbeat. Returns the answers' entry ids (the caller stops those running here at once), or null when this user has
 * no such comparison.
 */
export async function requestComparisonStop({
  id,
  userId,
  now = new Date(),
}: {
  id: string;
  userId: string;
  now?: Date;
}) {
  const comparison = await prisma.comparison.findFirst({
    where: { id, userId },
    select: { answers: { select: { ledgerEntryId: true } } },
  });
  if (!comparison) return null;
  const entryIds = comparison.answers.map((answer) => answer.ledgerEntryId);
  await prisma.ledgerEntry.updateMany({
    where: { userId, id: { in: entryIds }, status: "reserved" },
    data: { stopRequestedAt: now },
  });
  return entryIds;
}

export type ContinuedAnswer = {
  title: string;
  /** The conversation's parameters as JSON (the system prompt among them). */
  settings: string;
};

/**
 * Makes one answer of this user's comparison a normal conversation, in one transaction: the prompt as the user's
 * message, the answer as the reply (its usage from its settled ledger entry), the entry linked to the reply and the
 * conversation so the chat's meter counts it. Idempotent: an answer already continued answers the conversation it
 * became, as long as that still exists. Refuses an answer still streaming (conflict) or one that failed (bad_request).
 */
export async function continueAnswer({
  userId,
  comparisonId,
  position,
  conversation,
}: {
  userId: string;
  comparisonId: string;
  position: number;
  conversation: (answer: { model: string }) => ContinuedAnswer;
}): Promise<{ conversationId: string }> {
  return prisma
    .$transaction(async (tx) => {
      const found = await tx.comparison.findFirst({
        where: { id: comparisonId, userId },
        select: { prompt: true, createdAt: true, answers: { where: { position } } },
      });
      const answer = found?.answers[0];
      if (!found || !answer) throw appError("not_found", "errors.compareNotFound");
      if (answer.conversationId) {
        const existing = await tx.conversation.findFirst({
          where: { id: answer.conversationId, userId },
          select: { id: true },
        });
        if (existing) return { conversationId: existing.id };
      }
      if (answer.status === "streaming") throw appError("conflict", "errors.compareAnswerRunning");
      if (answer.status === "error" || answer.content === "") {
        throw appError("bad_request", "errors.compareAnswerFailed");
      }
      const entry = await tx.ledgerEntry.findFirst({ where: { id: answer.ledgerEntryId, userId } });
      const { title, settings } = conversation(answer);
      const conversationId = randomUUID();
      const userMessageId = randomUUID();
      const replyId = randomUUID();
      // The answer's column is claimed first: of two continues at once, the second finds it taken, rolls back, and its
      // caller reads the conversation the first made.
      const { count } = await tx.comparisonAnswer.updateMany({
        where: { id: answer.id, conversationId: answer.conversationId },
        data: { conversationId },
      });
      if (count === 0) throw new AnswerTaken();
      await tx.conversation.create({
        data: { id: conversationId, userId, title, model: answer.model, settings, activeLeafId: replyId },
      });
      await tx.message.create({
        data: {
          id: userMessageId,
          conversationId,
          role: "user",
          content: found.prompt,
          createdAt: found.createdAt,
        },
      });
      const isReported = entry !== null && !entry.isEstimated && entry.status === "settled";
      await tx.message.create({
        data: {
          id: replyId,
          conversationId,
          parentId: userMessageId,
          role: "assistant",
          content: answer.content,
          status: answer.status,
          model: answer.model,
          finishReason: answer.finishReason,
          promptTokens: isReported ? entry.promptTokens : null,
          completionTokens: isReported ? entry.completionTokens : null,
          cachedTokens: isReported ? entry.cachedTokens : null,
          reasoningTokens: isReported ? entry.reasoningTokens : null,
          createdAt: new Date(found.createdAt.getTime() + 1),
        },
      });
      if (entry) {
        await tx.ledgerEntry.update({ where: { id: entry.id }, data: { conversationId } });
        await linkEntryToMessage(tx, { entryId: entry.id, messageId: replyId });
      }
      return { conversationId };
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof AnswerTaken)) throw error;
      const answer = await prisma.comparisonAnswer.findFirst({
        where: { position, comparison: { id: comparisonId, userId } },
        select: { conversationId: true },
      });
      if (!answer?.conversationId) throw error;
      return { conversationId: answer.conversationId };
    });
}

/** Another request continued this answer while this one was about to. */
class AnswerTaken extends Error {}
