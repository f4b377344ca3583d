import "server-only";
import { microsToDecimal } from "@/lib/billing/report";
import { storedCost } from "@/lib/chat/stored-messages";
import type { ConversationWithMessages, StoredMessage } from "@/lib/db/conversations";
import { storedErrorMessage } from "@/lib/i18n/errors";
import { exportedFiles, imageFootnoteParts, imageLines } from "@/lib/images/exports";
import { formatTokens } from "@/lib/utils";

// One conversation exported as JSON or Markdown (docs/exports.md). The JSON's conversation is also the shape of each
// conversation in the archive of all a user's data (./archive.ts).

export const CONVERSATION_FORMAT = "chatledger-conversation";
export const CONVERSATION_FORMAT_VERSION = 1;

function exportedMessage(message: StoredMessage, fileBytes?: ReadonlyMap<string, string>) {
  return {
    id: message.id,
    role: message.role,
    /** "text", or "image": a reply of generated images (`files`), its content their (revised) prompt. */
    kind: message.kind,
    content: message.content,
    files: exportedFiles(message, fileBytes),
    status: message.status,
    // Exports are written in English (as their labels are): a stored failure's key becomes its sentence.
    error: message.error && storedErrorMessage(message.error, "en"),
    model: message.model,
    finishReason: message.finishReason,
    /** As the upstream reported them; null when it reported none. */
    promptTokens: message.promptTokens,
    completionTokens: message.completionTokens,
    cachedTokens: message.cachedTokens,
    reasoningTokens: message.reasoningTokens,
    createdAt: message.createdAt.toISOString(),
    /** From the reply's ledger entry (integer micro-USD); null for user messages and replies that cost nothing. */
    cost: storedCost(message.ledgerEntry) ?? null,
  };
}

export function exportedConversation(
  { messages, ...conversation }: ConversationWithMessages,
  /** The files' bytes (base64) by id: the per-conversation export has them, the archive only their metadata. */
  fileBytes?: ReadonlyMap<string, string>,
) {
  return {
    id: conversation.id,
    title: conversation.title,
    model: conversation.model,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
    messages: messages.map((message) => exportedMessage(message, fileBytes)),
  };
}

export function conversationJson(
  conversation: ConversationWithMessages,
  now: Date,
  fileBytes?: ReadonlyMap<string, string>,
): string {
  const document = {
    format: CONVERSATION_FORMAT,
    version: CONVERSATION_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    conversation: exportedConversation(conversation, fileBytes),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function utcTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The line under a reply: its tokens, its cost (exact USD, as charged), and how it ended when not normally. */
function replyFootnote(message: StoredMessage): string | null {
  const cost = storedCost(message.ledgerEntry);
  const parts: string[] = message.kind === "image" ? imageFootnoteParts(message.ledgerEntry) : [];
  if (message.kind === "image") {
    // Its units are the images and their tokens, above.
  } else if (message.promptTokens != null && message.completionTokens != null) {
    parts.push(`${formatTokens(message.promptTokens)} prompt tokens`);
    if (message.cachedTokens) parts.push(`${formatTokens(message.cachedTokens)} cached`);
    parts.push(`${formatTokens(message.completionTokens)} completion tokens`);
    if (message.reasoningTokens) parts.push(`${formatTokens(message.reasoningTokens)} reasoning`);
  } else if (cost) {
    parts.push(
      `~${formatTokens(cost.promptTokens)} prompt tokens`,
      `~${formatTokens(cost.completionTokens)} completion tokens`,
    );
  }
  if (cost) {
    if (cost.isUnpriced) parts.push("cost unknown (unpriced model)");
    else parts.push(`cost $${microsToDecimal(cost.micros)}${cost.isEstimated ? " (estimated)" : ""}`);
  }
  if (message.status === "stopped") parts.push("Stopped");
  if (message.status === "error") parts.push(message.content ? "Cut off" : "Failed");
  if (message.status === "error" && message.error)
    parts.push(storedErrorMessage(message.error, "en").replace(/\s+/g, " "));
  return parts.length > 0 ? `_${parts.join(" · ")}_` : null;
}

/** For people: the title, then each message under its role and time, each reply with its tokens and cost. */
export function conversationMarkdown(
  conversation: ConversationWithMessages,
  now: Date,
  /** The app's origin, for the images' URLs (relative without it). */
  origin?: string,
): string {
  const lines = [
    `# ${conversation.title.replace(/\s+/g, " ")}`,
    "",
    `Model: ${conversation.model} · started ${utcTime(conversation.createdAt)} · exported from ChatLedger ${utcTime(now)}. Costs in USD, as charged.`,
  ];
  for (const message of conversation.messages) {
    const heading =
      message.role === "user" ? "User" : `Assistant${message.model ? ` (${message.model.replace(/\s+/g, " ")})` : ""}`;
    lines.push("", `### ${heading} · ${utcTime(message.createdAt)}`, "");
    if (message.files.length > 0) lines.push(...imageLines(message, origin), "");
    if (message.content) lines.push(message.content, "");
    const footnote = message.role === "assistant" ? replyFootnote(message) : null;
    if (footnote) lines.push(footnote, "");
    if (lines.at(-1) === "") lines.pop();
  }
  return `${lines.join("\n")}\n`;
}
