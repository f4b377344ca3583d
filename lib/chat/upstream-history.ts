import "server-only";
import { imagesInputTokens } from "@/lib/billing/image-tokens";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { type Encoding, encodingForModel } from "@/lib/billing/tokens";
import { cacheTokenCounts, getTurnContext, type TurnMessage } from "@/lib/db/messages";
import { logUnexpected } from "@/lib/http";
import { appError } from "@/lib/i18n/errors";
import type { Attachment } from "./attachments";
import { isSentUpstream } from "./history";
import { isVisionModel } from "./vision-models";

// A conversation's stored history as it goes upstream, counted: what a turn sends, and what the composer's estimate
// counts of the messages the chat has not loaded. One rule for both.

export type UpstreamMessage = {
  id: string;
  role: "user" | "assistant";
  content: string;
  /** Its text's tokens, plus its images' when it carries them. */
  contentTokens: number;
  /** A user message's attached images, sent with it (only to a model that takes images). */
  files?: Attachment[];
};

/**
 * The messages sent upstream with their token counts: those history.ts sends, a reply's continuations joined to it
 * (their counts summed, so within a token of counting the joined text). `id` is the first part's, the chat's id of
 * the message. For `imageModel` (a model that takes images) user messages carry their attached images, counted by
 * its rule; to any other model they go as their text alone.
 */
export function upstreamMessages(
  history: TurnMessage[],
  counts: number[],
  { imageModel }: { imageModel?: string } = {},
) {
  const messages: UpstreamMessage[] = [];
  history.forEach((message, i) => {
    if (!isSentUpstream(message)) return;
    const last = messages.at(-1);
    const contentTokens = counts[i] ?? 0;
    const content = upstreamContent(message);
    if (message.isContinuation && last?.role === "assistant") {
      last.content += content;
      last.contentTokens += contentTokens;
    } else {
      const role = message.role === "user" ? "user" : "assistant";
      const files = role === "user" && imageModel ? (message.files ?? []) : [];
      if (files.length === 0) messages.push({ id: message.id, role, content, contentTokens });
      else {
        const imageTokens = imagesInputTokens(imageModel ?? "", files);
        messages.push({ id: message.id, role, content, contentTokens: contentTokens + imageTokens, files });
      }
    }
  });
  return messages;
}

/**
 * A stored message's text as it goes upstream (and is counted): its content, but an image reply, whose images a chat
 * model never sees, is a line saying what was generated, so the next turn knows it ("[2 images generated for: …]").
 */
function upstreamContent(message: Pick<TurnMessage, "content" | "kind" | "imageCount">): string {
  if (message.kind !== "image") return message.content;
  const count = message.imageCount ?? 0;
  return `[${count} ${count === 1 ? "image" : "images"} generated for: ${message.content}]`;
}

/**
 * Token counts of the history (cached per message, the rest counted now and cached), of the system prompt and of the
 * new message.
 */
export async function countHistory({
  history,
  newText,
  systemPrompt,
  encoding,
}: {
  history: TurnMessage[];
  newText: string | undefined;
  systemPrompt: string | undefined;
  encoding: Encoding;
}) {
  const uncached = history.filter((message) => message.tokenCount === null || message.tokenEncoding !== encoding);
  const texts = uncached.map(upstreamContent);
  if (systemPrompt !== undefined) texts.push(systemPrompt);
  if (newText !== undefined) texts.push(newText);
  const counted = texts.length > 0 ? await countTokensOffThread({ texts, encoding }) : [];
  const fresh = new Map(uncached.map((message, i) => [message.id, counted[i] ?? 0]));
  void cacheTokenCounts({
    encoding,
    counts: uncached.map((message) => ({ messageId: message.id, tokenCount: fresh.get(message.id) ?? 0 })),
  }).catch((error: unknown) => logUnexpected("caching token counts", error));
  return {
    history: history.map((message) => fresh.get(message.id) ?? message.tokenCount ?? 0),
    system: systemPrompt === undefined ? null : (counted[uncached.length] ?? 0),
    newMessage: newText === undefined ? null : (counted.at(-1) ?? 0),
  };
}

/** The older part of a prompt, counted for the composer's estimate: each message's content tokens in `encoding`. */
export type OlderPrompt = {
  encoding: Encoding;
  messages: { id: string; role: "user" | "assistant"; contentTokens: number }[];
};

/**
 * What a turn would send upstream of this user's conversation before the message `before` (the oldest the chat has
 * loaded), counted for `model` as a turn counts it (cached counts; the rest counted now and cached). The chat holds
 * only the latest messages, and its estimate adds these to them. Not found for anybody else's conversation; a
 * `before` that is not on the branch is a bad_request.
 */
export async function countOlderPrompt({
  userId,
  conversationId,
  before,
  model,
}: {
  userId: string;
  conversationId: string;
  before: string;
  model: string;
}): Promise<OlderPrompt> {
  const { messages } = await getTurnContext({ userId, conversationId, mustExist: true });
  const index = messages.findIndex((message) => message.id === before);
  if (index < 0 || messages[index]?.isContinuation) {
    throw appError("bad_request", "errors.invalidCursorOldest");
  }
  const history = messages.slice(0, index);
  const encoding = encodingForModel(model);
  const counts = await countHistory({ history, newText: undefined, systemPrompt: undefined, encoding });
  return {
    encoding,
    messages: upstreamMessages(history, counts.history, {
      imageModel: isVisionModel(model) ? model : undefined,
    }).map(({ id, role, contentTokens }) => ({
      id,
      role,
      contentTokens,
    })),
  };
}
