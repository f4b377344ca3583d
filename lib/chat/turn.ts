import "server-only";
import { randomUUID } from "node:crypto";
import { type ReplyOutcome, streamReply } from "@/lib/ai/chat-stream";
import { describeTimeout, describeUpstreamError } from "@/lib/ai/errors";
import { effectiveMaxOutputTokens, modelCapabilities } from "@/lib/ai/models";
import { assertKnownModel, chatClient, upstreamTimeouts } from "@/lib/ai/provider";
import { describeContextOverflow, fitContext } from "@/lib/billing/context-window";
import { worstCaseCost } from "@/lib/billing/cost";
import type { CallSource } from "@/lib/billing/kinds";
import { describePrice, type ModelPrice } from "@/lib/billing/prices";
import { type Settlement, settleCall } from "@/lib/billing/settle";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { type Encoding, encodingForModel } from "@/lib/billing/tokens";
import type { ChatMessageMetadata } from "@/lib/chat/ui-message";
import { budgetPolicy, priceFor } from "@/lib/config";
import { getMessageBranch } from "@/lib/db/conversations";
import { settleReservation } from "@/lib/db/ledger";
import { beginTurn, getTurnContext, storeReply, type TurnMessage, type TurnPlacement } from "@/lib/db/messages";
import { configuredSecrets } from "@/lib/env";
import { type ErrorText, encodeErrorText } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { appError, formatErrorText } from "@/lib/i18n/errors";
import { titleFromMessage } from "@/lib/input-rules";
import { MAX_MESSAGE_TOKENS } from "@/lib/validations";
import { DELETED, registerTurn } from "./active-turns";
import { checkAttachments, imageDataUrls, linkAttachments } from "./attachments";
import { isSentUpstream } from "./history";
import { getMeterState } from "./meter";
import { type ReplyWriter, replyStreamResponse } from "./reply-stream";
import { type ChatSettings, settingsForModel, settingsProblem } from "./settings";
import { uiMessageHolding } from "./stored-messages";
import { countHistory, type UpstreamMessage, upstreamMessages } from "./upstream-history";
import { isVisionModel } from "./vision-models";

// One chat turn, the use case behind POST /api/chat: count and quote the prompt, admit it against the budgets in one
// short transaction, stream the reply, then settle its money and store it — the money first and on its own, so what a
// reply cost is recorded even when its chat was deleted meanwhile or its message cannot be stored.

/** What the browser asks for. */
export type TurnRequest =
  /** A new user message after the shown branch. */
  | { kind: "send"; text: string; attachments?: string[] }
  /** Answer the last user message again (its reply failed). */
  | { kind: "retry" }
  /** The user message `messageId` said differently: a new version of it, answered; the old branch is kept. */
  | { kind: "edit"; messageId: string; text: string; attachments?: string[] }
  /** A new version of the last reply, `messageId`; the earlier versions are kept. */
  | { kind: "regenerate"; messageId: string }
  /** More of the last reply, `messageId`, which the output limit cut short: stored as its continuation. */
  | { kind: "continue"; messageId: string };

export type ChatTurnInput = {
  userId: string;
  conversationId: string;
  model: string;
  /** The conversation's parameters, schema-valid (lib/chat/settings.ts); stored with the turn. */
  settings: ChatSettings;
  request: TurnRequest;
  /** Where the turn was asked for ("web" when absent): a chat it creates is held there, its entry records it. */
  source?: CallSource;
};

/**
 * An admitted turn (its messages stored, its worst case reserved) whose reply is yet to be written: `execute` streams
 * it through a writer, settles and stores it. The web streams it to the browser (startChatTurn); a messaging channel
 * writes it into its chat (lib/channels). `execute` must be called: until it ends, the reservation is held.
 */
export type OpenTurn = {
  conversationId: string;
  parentId: string | null;
  model: string;
  /** The id the reply is known by: its stored id, or the reply a continuation extends. */
  messageId: string;
  startMetadata: ChatMessageMetadata;
  execute: (writer: ReplyWriter) => Promise<void>;
  describeError: (error: unknown) => string;
};

/**
 * Sent after the history (never stored) to carry on a reply cut by the output limit. An instruction rather than a
 * trailing assistant message: providers differ on prefilled replies, and all follow this.
 */
export const CONTINUE_INSTRUCTION =
  "Your previous reply was cut off by the output limit. Continue it exactly where it stopped, without repeating anything.";

type TurnPlan = {
  /** The stored messages sent before the new text, oldest first (those not sent upstream still filtered out). */
  history: TurnMessage[];
  /** Text sent after the history: the user's new message (stored), or the instruction to continue (not stored). */
  newText?: string;
  /** Whether newText is the user's, to be stored and held to the message limits. */
  isUserText: boolean;
  placement?: TurnPlacement;
  /** The reply the browser extends (continue): the stream carries its id, not the new part's. */
  continuesId?: string;
};

const messageNotFound = () => appError("not_found", "errors.messageNotFound");

/** What goes upstream for a request, and where its messages go, from the active branch. */
function planTurn(branch: TurnMessage[], request: TurnRequest): TurnPlan {
  if (request.kind === "send") return { history: branch, newText: request.text, isUserText: true };
  if (request.kind === "retry") {
    if (branch.filter(isSentUpstream).at(-1)?.role !== "user") {
      throw appError("bad_request", "errors.nothingToRetry");
    }
    return { history: branch, isUserText: false };
  }
  const index = branch.findIndex((message) => message.id === request.messageId);
  const target = branch[index];
  if (request.kind === "edit") {
    if (target?.role !== "user") throw messageNotFound();
    return {
      history: branch.slice(0, index),
      newText: request.text,
      isUserText: true,
      placement: { kind: "edit", parentId: target.parentId },
    };
  }
  if (target?.role !== "assistant" || target.isContinuation || !target.parentId) throw messageNotFound();
  const rest = branch.slice(index + 1);
  if (rest.some((message) => !message.isContinuation)) {
    throw appError("bad_request", { key: "errors.onlyLastReply", params: { kind: request.kind } });
  }
  if (request.kind === "regenerate") {
    return {
      history: branch.slice(0, index),
      isUserText: false,
      placement: { kind: "regenerate", parentId: target.parentId },
    };
  }
  const lastPart = rest.at(-1) ?? target;
  if (lastPart.finishReason !== "length" || lastPart.status !== "complete") {
    throw appError("bad_request", "errors.onlyCutOffContinued");
  }
  return {
    history: branch,
    newText: CONTINUE_INSTRUCTION,
    isUserText: false,
    placement: { kind: "continue", parentId: lastPart.id },
    continuesId: target.id,
  };
}

/** POST /api/chat: the turn admitted, its reply streamed to the browser as a UI message stream. */
export async function startChatTurn(input: ChatTurnInput): Promise<Response> {
  const turn = await openChatTurn(input);
  return replyStreamResponse({ userId: input.userId, ...turn });
}

/** Counts, quotes and admits a turn (or throws: nothing spent), returning the reply to write. */
export async function openChatTurn({
  userId,
  conversationId,
  model,
  settings,
  request,
  source,
}: ChatTurnInput): Promise<OpenTurn> {
  // Independent reads at once: the model list (cached) and the conversation; an unknown model is reported first.
  const [known, read] = await Promise.allSettled([
    assertKnownModel(model),
    getTurnContext({ userId, conversationId, mustExist: request.kind !== "send" }),
  ]);
  if (known.status === "rejected") throw known.reason;
  if (read.status === "rejected") throw read.reason;
  const context = read.value;
  const problem = settingsProblem({ settings, model });
  if (problem) throw appError("bad_request", problem);
  chatClient(); // A friendly not_configured error before anything is written when no key is set.
  const now = new Date();
  const price = priceFor(model, now);
  const encoding = encodingForModel(model);
  const maxOutputTokens = effectiveMaxOutputTokens({ model, maxOutputTokens: settings.maxOutputTokens });
  const systemPrompt = settings.systemPrompt?.trim() ? settings.systemPrompt : undefined;

  const plan = planTurn(context.messages, request);
  // Images of the new message: checked (the model takes images, each is the user's unsent upload) before anything is
  // stored or reserved; their tokens count in the prompt like its text.
  const attached = await checkAttachments({
    userId,
    ids: request.kind === "send" || request.kind === "edit" ? (request.attachments ?? []) : [],
    model,
  });
  const counts = await countHistory({ history: plan.history, newText: plan.newText, systemPrompt, encoding });
  if (plan.isUserText && counts.newMessage !== null && counts.newMessage > MAX_MESSAGE_TOKENS) {
    throw appError("bad_request", {
      key: "errors.messageTooManyTokens",
      params: { tokens: counts.newMessage, limit: MAX_MESSAGE_TOKENS },
    });
  }
  const newMessage: UpstreamMessage[] =
    plan.newText === undefined
      ? []
      : [
          {
            id: "",
            role: "user",
            content: plan.newText,
            contentTokens: (counts.newMessage ?? 0) + attached.tokens,
            files: attached.files,
          },
        ];
  const upstream = [
    ...upstreamMessages(plan.history, counts.history, { imageModel: isVisionModel(model) ? model : undefined }),
    ...newMessage,
  ];
  // The last message (the new one, or the stored one a retry or regenerate answers) is always sent; older messages
  // only while they fit.
  const counted = upstream.map(({ role, contentTokens }) => ({ role, contentTokens }));
  const lastCounted = counted.pop() ?? null;
  const fit = fitContext({
    system: counts.system === null ? null : { role: "system", contentTokens: counts.system },
    history: counted,
    last: lastCounted,
    contextWindow: modelCapabilities(model).contextWindow,
    maxOutputTokens,
    policy: { policy: settings.contextPolicy, keepLastTokens: settings.keepLastTokens },
  });
  if (!fit.fits) {
    throw appError(
      "bad_request",
      describeContextOverflow({ model, fit, isKeepLast: settings.contextPolicy === "keep-last" }),
    );
  }
  const promptTokens = fit.promptTokens;
  const quote = {
    model,
    price,
    promptTokens,
    maxOutputTokens,
    reserveMicros: price ? worstCaseCost({ promptTokens, maxOutputTokens }, price) : 0,
  };
  const userText = plan.isUserText ? plan.newText : undefined;
  // The images go upstream as data URLs, read before admission: nothing is reserved for a call that cannot be made.
  const sent = upstream.slice(fit.firstSent);
  const dataUrls = await imageDataUrls({ userId, files: sent.flatMap((message) => message.files ?? []) });
  const attachmentIds = attached.files.map((file) => file.id);
  const reservation = await beginTurn({
    userId,
    conversationId,
    message:
      userText === undefined
        ? undefined
        : { content: userText, tokenCount: counts.newMessage ?? 0, tokenEncoding: encoding },
    onMessageStored:
      attachmentIds.length > 0
        ? (tx, messageId) => linkAttachments(tx, { userId, ids: attachmentIds, conversationId, messageId })
        : undefined,
    placement: plan.placement,
    title: titleFromMessage(userText ?? ""),
    source,
    settings: JSON.stringify(settings),
    quote,
    policy: budgetPolicy(),
    now,
    asRead: { exists: context.exists, activeLeafId: context.activeLeafId },
  });

  const messages = sent.map(({ role, content, files }) => ({
    role,
    content,
    images: files?.flatMap((file) => dataUrls.get(file.id) ?? []),
  }));
  const turn = registerTurn({ entryId: reservation.id, userId, conversationId, encoding });
  // The reply's id is chosen now and sent first, so the browser knows which stored message its reply becomes (after
  // Stop, it reads the reply as stored: what the browser last received may be a chunk short of it).
  const replyId = randomUUID();
  // The user message this reply answers, as stored: the browser's copy takes its id (to edit it later).
  const userMessage =
    userText === undefined || !reservation.replyParentId ? undefined : { id: reservation.replyParentId };
  return {
    conversationId,
    parentId: reservation.replyParentId,
    model,
    messageId: plan.continuesId ?? replyId,
    startMetadata: { model, id: replyId, userMessage },
    describeError: (error) => {
      logUnexpected(`chat turn ${conversationId}`, error);
      return encodeErrorText({ key: "errors.replyBrokeOnOurSide" });
    },
    execute: async (writer) => {
      let outcome: ReplyOutcome;
      try {
        outcome = await streamReply({
          model,
          messages,
          system: systemPrompt,
          parameters: settingsForModel({ settings, model }),
          maxOutputTokens: quote.maxOutputTokens,
          // Only Stop or deleting the chat stops the call (lib/chat/active-turns.ts), not the browser going away.
          signal: turn.signal,
          timeouts: upstreamTimeouts(),
          onText: (delta) => {
            turn.addStreamed(delta);
            writer.text(delta);
          },
        });
      } finally {
        turn.end();
      }
      const isDeleted = turn.signal.aborted && turn.signal.reason === DELETED;
      const finished = await finishTurn({
        userId,
        replyId,
        parentId: reservation.replyParentId,
        isContinuation: request.kind === "continue",
        entryId: reservation.id,
        conversationId,
        model,
        price,
        encoding,
        promptTokens,
        outcome,
        isDeleted,
      });
      const metadata: ChatMessageMetadata = {
        id: finished.messageId ?? undefined,
        model,
        status: finished.status,
        finishReason: outcome.finishReason ?? null,
        userMessage,
        omittedMessages: fit.omitted > 0 ? fit.omitted : undefined,
        promptTokens: outcome.usage?.promptTokens ?? null,
        completionTokens: outcome.usage?.completionTokens ?? null,
        cachedTokens: outcome.usage?.cachedTokens ?? null,
        reasoningTokens: outcome.usage?.reasoningTokens ?? null,
        cost: costMetadata(finished.settlement, price),
        meter: finished.meter,
      };
      // A new version, an edited branch or a continued reply: what the chat shows comes from the stored rows (the
      // versions, a continued reply's parts summed), exactly as after a reload.
      if (finished.messageId && request.kind !== "send" && request.kind !== "retry") {
        const stored = await storedView({ userId, conversationId, replyId: finished.messageId }).catch(
          (error: unknown) => {
            logUnexpected("reading a stored reply", error);
            return undefined;
          },
        );
        if (stored) Object.assign(metadata, stored.reply, { userMessage: stored.userMessage ?? userMessage });
      }
      if (finished.errorText) writer.fail(metadata, encodeErrorText(finished.errorText));
      else writer.finish(metadata, outcome.finishReason);
    },
  };
}

/** The reply as the chat shows it once stored (with its versions and parts), and the user message it answers. */
async function storedView({
  userId,
  conversationId,
  replyId,
}: {
  userId: string;
  conversationId: string;
  replyId: string;
}) {
  const branch = await getMessageBranch({ id: replyId, conversationId, userId });
  const reply = branch && uiMessageHolding(branch, replyId);
  if (!branch || !reply?.metadata) return undefined;
  const index = branch.findIndex((message) => message.id === reply.id);
  const asked = branch.slice(0, index).findLast((message) => message.role === "user");
  const question = asked && uiMessageHolding(branch, asked.id);
  return {
    reply: reply.metadata,
    userMessage: question ? { id: question.id, versions: question.metadata?.versions } : undefined,
  };
}

/** Why a reply ended badly, as a message key and its arguments: stored so it is shown in the reader's language. */
export function describeEnding(outcome: ReplyOutcome, isDeleted: boolean): ErrorText | undefined {
  if (isDeleted) return { key: "errors.replyDeleted" };
  if (outcome.ending === "timeout" && outcome.timeout) return describeTimeout(outcome.timeout);
  if (outcome.ending === "error") {
    // The user reads no address or internals (describeUpstreamError); whoever runs the server needs them.
    logUnexpected("upstream call", outcome.error);
    return describeUpstreamError(outcome.error, {
      secrets: configuredSecrets(),
      hasPartialReply: outcome.text.length > 0,
    });
  }
  return undefined;
}

/**
 * Settles the call's reservation to its outcome, then stores the reply (unless the chat is gone) while the meter's
 * new state is read. Settling comes first and alone: a failure to store never undoes the charge. If even settling
 * fails after its retries, the lease lapses and the sweep charges what was streamed.
 */
async function finishTurn({
  userId,
  replyId,
  parentId,
  isContinuation,
  entryId,
  conversationId,
  model,
  price,
  encoding,
  promptTokens,
  outcome,
  isDeleted,
}: {
  userId: string;
  replyId: string;
  parentId: string | null;
  isContinuation: boolean;
  entryId: string;
  conversationId: string;
  model: string;
  price: ModelPrice | null;
  encoding: Encoding;
  promptTokens: number;
  outcome: ReplyOutcome;
  isDeleted: boolean;
}) {
  const counting = outcome.text
    ? countTokensOffThread({ texts: [outcome.text], encoding }).then(([tokens = 0]) => tokens)
    : Promise.resolve(0);
  const settle = async (completionTokensEstimate: number) => {
    const settlement = settleCall({
      price,
      usage: outcome.usage,
      promptTokensEstimate: promptTokens,
      completionTokensEstimate,
      wasRefused: outcome.wasRefused,
    });
    await settleReservation({ entryId, settlement });
    return settlement;
  };
  // With the upstream's usage, settling needs no count of the reply (the stored message keeps it for later prompts):
  // the worker counts while the money settles. Without usage the count is what the reply is charged.
  const [settlement, replyTokens] = outcome.usage
    ? await Promise.all([settle(0), counting])
    : await counting.then(async (tokens) => [await settle(tokens), tokens] as const);

  const errorText = describeEnding(outcome, isDeleted);
  const status =
    outcome.ending === "complete" ? "complete" : outcome.ending === "stopped" && !isDeleted ? "stopped" : "error";
  if (errorText) console.warn(`[chat] conversation ${conversationId}: ${formatErrorText(errorText, "en")}`);
  // The reply is stored while the meter is read: the meter reads the settled money, which storing does not change.
  // The meter's new state rides on the reply, so the browser needs no second request; if reading it fails, the
  // browser asks for it instead.
  const [stored, meter] = await Promise.all([
    isDeleted
      ? null
      : storeReply({
          id: replyId,
          conversationId,
          parentId,
          isContinuation,
          content: outcome.text,
          status,
          error: errorText && encodeErrorText(errorText),
          model,
          finishReason: outcome.finishReason,
          usage: outcome.usage,
          tokenCount: replyTokens,
          tokenEncoding: encoding,
          entryId,
        }),
    getMeterState({ userId, conversationId: isDeleted ? undefined : conversationId }).catch((error: unknown) => {
      logUnexpected("reading the meter after a reply", error);
      return undefined;
    }),
  ]);
  // A chat deleted meanwhile has no totals to show (its entries stay in the ledger).
  if (meter && !stored) meter.chat = null;
  return { settlement, status, errorText, messageId: stored?.id ?? null, meter } as const;
}

function costMetadata(settlement: Settlement, price: ModelPrice | null): ChatMessageMetadata["cost"] {
  if (settlement.status === "released") return undefined;
  return {
    micros: settlement.costMicros,
    promptTokens: settlement.promptTokens,
    completionTokens: settlement.completionTokens,
    isEstimated: settlement.isEstimated,
    isUnpriced: price === null,
    price: price ? describePrice(price) : null,
  };
}
