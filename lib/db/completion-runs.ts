import "server-only";
import { decodeErrorText, type ErrorText, encodeErrorText } from "@/lib/errors";
import { prisma } from "./client";
import type { Prisma } from "./generated/client";

// The Completions playground's history (docs/playground.md): one row per run, every query scoped by its user. A run's
// tokens and cost are read from its ledger entry, the one record of money; deleting a run leaves the entry.

export type CompletionRunStatus = "complete" | "stopped" | "error";

export type CompletionOutput = { text: string; finishReason: string | null };

export type NewCompletionRun = {
  userId: string;
  entryId: string;
  model: string;
  prompt: string;
  temperature?: number;
  topP?: number;
  maxTokens: number;
  n: number;
  stop: string[];
  outputs: CompletionOutput[];
  status: CompletionRunStatus;
  error?: ErrorText;
};

/** A run as the page shows it: plain JSON (micro-USD as a number, exact up to 2^53). */
export type CompletionRunView = {
  id: string;
  model: string;
  prompt: string;
  temperature: number | null;
  topP: number | null;
  maxTokens: number;
  n: number;
  stop: string[];
  outputs: CompletionOutput[];
  status: CompletionRunStatus;
  error: ErrorText | null;
  createdAt: string;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  isEstimated: boolean;
  isUnpriced: boolean;
};

const RUN_SELECT = {
  id: true,
  model: true,
  prompt: true,
  temperature: true,
  topP: true,
  maxTokens: true,
  n: true,
  stop: true,
  outputs: true,
  status: true,
  error: true,
  createdAt: true,
  entry: {
    select: { promptTokens: true, completionTokens: true, costMicros: true, isEstimated: true, isUnpriced: true },
  },
} as const;

type RunRow = Prisma.CompletionRunGetPayload<{ select: typeof RUN_SELECT }>;

function parseArray<T>(text: string, isItem: (item: unknown) => item is T): T[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isItem) : [];
  } catch {
    return [];
  }
}

const isString = (item: unknown): item is string => typeof item === "string";
const isOutput = (item: unknown): item is CompletionOutput =>
  typeof item === "object" && item !== null && typeof (item as CompletionOutput).text === "string";

function toView({ entry, stop, outputs, status, error, createdAt, ...run }: RunRow): CompletionRunView {
  return {
    ...run,
    stop: parseArray(stop, isString),
    outputs: parseArray(outputs, isOutput).map(({ text, finishReason }) => ({
      text,
      finishReason: typeof finishReason === "string" ? finishReason : null,
    })),
    status: status === "complete" || status === "stopped" ? status : "error",
    error: error ? decodeErrorText(error) : null,
    createdAt: createdAt.toISOString(),
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    costMicros: Number(entry.costMicros),
    isEstimated: entry.isEstimated,
    isUnpriced: entry.isUnpriced,
  };
}

export async function createCompletionRun(run: NewCompletionRun): Promise<CompletionRunView> {
  const { stop, outputs, error, ...rest } = run;
  const created = await prisma.completionRun.create({
    data: {
      ...rest,
      stop: JSON.stringify(stop),
      outputs: JSON.stringify(outputs),
      error: error ? encodeErrorText(error) : null,
    },
    select: RUN_SELECT,
  });
  return toView(created);
}

/** The user's runs, newest first: a page of `limit` before the run `before` (its id), and whether more are older. */
export async function listCompletionRuns({
  userId,
  limit,
  before,
}: {
  userId: string;
  limit: number;
  before?: string;
}): Promise<{ runs: CompletionRunView[]; hasMore: boolean } | null> {
  let cursor: { createdAt: Date; id: string } | null = null;
  if (before) {
    cursor = await prisma.completionRun.findFirst({
      where: { id: before, userId },
      select: { createdAt: true, id: true },
    });
    if (!cursor) return null;
  }
  const rows = await prisma.completionRun.findMany({
    where: {
      userId,
      ...(cursor
        ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: RUN_SELECT,
  });
  return { runs: rows.slice(0, limit).map(toView), hasMore: rows.length > limit };
}

/** One of the user's runs; null for another user's or none. */
export async function getCompletionRun({ id, userId }: { id: string; userId: string }) {
  const row = await prisma.completionRun.findFirst({ where: { id, userId }, select: RUN_SELECT });
  return row ? toView(row) : null;
}

/** Deletes one of the user's runs (its ledger entry stays); whether there was one. */
export async function deleteCompletionRun({ id, userId }: { id: string; userId: string }): Promise<boolean> {
  const { count } = await prisma.completionRun.deleteMany({ where: { id, userId } });
  return count === 1;
}
