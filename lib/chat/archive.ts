import "server-only";
import { exportConversations, importConversations } from "@/lib/db/conversations";
import { listPresets } from "@/lib/db/presets";
import { type ExportedLedgerEntry, exportLedgerEntries, ledgerRow } from "@/lib/db/usage";
import { getBudgetSetting, getUserProfile } from "@/lib/db/users";
import { appError } from "@/lib/i18n/errors";
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type Archive, archiveSchema } from "@/lib/validations";
import { exportedConversation } from "./exports";

// All of a user's data as one JSON document, and reading it back into another account (docs/exports.md).

function exportedLedgerEntry(entry: ExportedLedgerEntry) {
  // `rates` repeats the price columns for the page's tooltips; the archive keeps its own shape of them.
  const { price, rates: _, ...row } = ledgerRow(entry);
  return {
    ...row,
    createdAt: entry.createdAt.toISOString(),
    settledAt: entry.settledAt?.toISOString() ?? null,
    messageId: entry.messageId,
    /** The price charged, micro-USD per 1M tokens, in force from priceDate; null when unpriced. */
    price: price && {
      inputPer1M: price.inputPer1M,
      cachedInputPer1M: price.cachedInputPer1M,
      outputPer1M: price.outputPer1M,
      priceDate: price.effectiveFrom,
    },
    /** A transcription's or an image's unit prices as charged: micro-USD per 1M tokens, per minute, per image. */
    mediaPrices: {
      audioInputPer1M: entry.audioInputPer1M,
      imageInputPer1M: entry.imageInputPer1M,
      imageOutputPer1M: entry.imageOutputPer1M,
      audioPerMinute: entry.audioPerMinute,
      perImageMicros: entry.perImageMicros,
    },
  };
}

/** JSON items of a batch, one per line, each after a comma but the very first of its array. */
function arrayItems(items: unknown[], isFirst: boolean): string {
  return items.map((item, index) => `${isFirst && index === 0 ? "" : ","}\n${JSON.stringify(item)}`).join("");
}

/**
 * The archive as JSON text, a piece at a time (conversations and ledger entries are read in batches), so an
 * account of any size is exported in bounded memory. Never a password hash or any other secret.
 */
export async function* archiveJson({ userId, now }: { userId: string; now: Date }): AsyncGenerator<string> {
  const [profile, budget] = await Promise.all([getUserProfile({ userId }), getBudgetSetting({ userId })]);
  const head = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: now.toISOString(),
    user: {
      email: profile.email,
      name: profile.name,
      createdAt: profile.createdAt.toISOString(),
      settings: {
        budget: {
          mode: budget.budgetMode,
          monthlyBudgetMicros: budget.monthlyBudgetMicros,
          isSetByAdmin: budget.isBudgetSetByAdmin,
        },
      },
    },
  };
  yield `${JSON.stringify(head).slice(0, -1)},"conversations":[`;
  let isFirst = true;
  for await (const batch of exportConversations({ userId })) {
    yield arrayItems(
      batch.map((conversation) => exportedConversation(conversation)),
      isFirst,
    );
    isFirst = false;
  }
  const presets = (await listPresets({ userId })).map(({ name, model, settings, createdAt, updatedAt }) => ({
    name,
    model,
    settings,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  }));
  yield `\n],"presets":${JSON.stringify(presets)},"ledger":[`;
  isFirst = true;
  for await (const batch of exportLedgerEntries({ userId, range: "all", now })) {
    yield arrayItems(batch.map(exportedLedgerEntry), isFirst);
    isFirst = false;
  }
  yield "\n]}\n";
}

function issuePath(path: PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index > 0 ? "." : ""}${String(key)}`))
    .join("");
}

/** The archive's content, or a bad_request saying what is wrong with it (the first problem, and where). */
export function parseArchive(body: unknown): Archive {
  const header = typeof body === "object" && body !== null ? (body as { format?: unknown; version?: unknown }) : {};
  if (header.format !== ARCHIVE_FORMAT) {
    throw appError("bad_request", { key: "errors.archiveNotOurs", params: { format: ARCHIVE_FORMAT } });
  }
  if (header.version !== ARCHIVE_VERSION) {
    throw appError("bad_request", {
      key: "errors.archiveVersion",
      params: { version: JSON.stringify(header.version) ?? "(none)", supported: ARCHIVE_VERSION },
    });
  }
  const parsed = archiveSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The issue's own words (zod's, in English) are the detail: they name a field of a file, not the user's input.
    throw appError(
      "bad_request",
      issue
        ? { key: "errors.archiveInvalidAt", params: { path: issuePath(issue.path), detail: issue.message } }
        : "errors.archiveInvalid",
    );
  }
  return parsed.data;
}

/**
 * Adds an archive's conversations to this user's, under new ids, all or nothing. Ledger entries are not imported:
 * spend belongs to the server it was spent on, and counting it here would distort this server's budgets.
 */
export async function importArchive({ userId, body }: { userId: string; body: unknown }) {
  const archive = parseArchive(body);
  const imported = await importConversations({ userId, conversations: archive.conversations });
  return { ...imported, skippedLedgerEntries: archive.ledger?.length ?? 0 };
}
