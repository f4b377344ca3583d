import "server-only";
import OpenAI from "openai";
import sharp from "sharp";
import { describeUpstreamError } from "@/lib/ai/errors";
import { type ImageCallResult, isContentRefusal, requestImages } from "@/lib/ai/images";
import { chatClient, defaultModel, upstreamTimeouts } from "@/lib/ai/provider";
import type { BudgetPolicy } from "@/lib/billing/budget";
import { imageOptions, imageVariant } from "@/lib/billing/image-variants";
import type { CallSource } from "@/lib/billing/kinds";
import { imageCost, imageWorstCase } from "@/lib/billing/media-cost";
import { formatUsd } from "@/lib/billing/money";
import type { UnitRates } from "@/lib/billing/prices";
import { type Settlement, settleAbandonedMedia, settleCall } from "@/lib/billing/settle";
import { countTokensOffThread } from "@/lib/billing/token-pool";
import { encodingForModel } from "@/lib/billing/tokens";
import { DELETED, registerTurn, STOPPED } from "@/lib/chat/active-turns";
import { budgetPolicy, ratesFor } from "@/lib/config";
import { storeImageReply } from "@/lib/db/image-replies";
import { type Quote, settleReservation } from "@/lib/db/ledger";
import { beginTurn, getTurnContext } from "@/lib/db/messages";
import { configuredSecrets } from "@/lib/env";
import { AppError, type ErrorText, encodeErrorText } from "@/lib/errors";
import { logUnexpected } from "@/lib/http";
import { appError, formatErrorText } from "@/lib/i18n/errors";
import { titleFromMessage } from "@/lib/input-rules";
import { storageLimits, storageUsed } from "@/lib/storage/files";
import { imageModel } from "./model";

// Image generation in a conversation, the use case behind POST /api/images (and the bots'): check the request against
// what the image model takes, quote its worst case, store the prompt as the user's message and reserve in one
// transaction (the chat's own beginTurn), call the images endpoint, settle from its usage (or per image), store the
// images as the reply. The money is settled first and on its own, as for a chat reply: what the upstream charged is
// recorded whatever happens to the images or the conversation.

/** The longest prompt each image model takes, in characters (OpenAI's images API reference). */
export function maxPromptChars(model: string): number {
  if (model.startsWith("dall-e-2")) return 1_000;
  if (model.startsWith("dall-e-3")) return 4_000;
  return 32_000;
}

/**
 * An image's stored size can only be known once it arrives; this bounds it for the room checked before the call:
 * an uncompressed RGBA PNG of that size would take 4 bytes a pixel, real PNGs of generated pictures take 1–2.
 */
const BYTES_PER_PIXEL_BOUND = 2;

export type ImageRequest = {
  userId: string;
  conversationId: string;
  prompt: string;
  size: string;
  quality: string;
  count: number;
  /** The chat model a conversation this request creates is given (its later messages go there). */
  chatModel?: string;
  /** The image model; OPENAI_IMAGE_MODEL when absent. */
  model?: string;
  policy?: BudgetPolicy;
  now?: Date;
  /** Where the call was asked for ("web" when absent): a chat it creates is held there, its entry records it. */
  source?: CallSource;
};

export type ImageOutcome = {
  /** The stored user message holding the prompt. */
  userMessageId: string | null;
  /** The stored reply (the images, or the failure); null when the conversation was deleted meanwhile. */
  replyId: string | null;
  status: "complete" | "error";
  /** Why it failed, in the reader's language once formatted. */
  errorText?: ErrorText;
  settlement: Settlement;
  /** The generated images' bytes, as stored (complete only): for a channel that sends them on. */
  images?: Buffer[];
};

/** Refuses a request the model does not take, before anything is counted, stored or spent (bad_request). */
export function checkImageRequest({
  model,
  prompt,
  size,
  quality,
  count,
}: Pick<ImageRequest, "prompt" | "size" | "quality" | "count"> & { model: string }) {
  const options = imageOptions(model);
  if (prompt.trim() === "") throw appError("bad_request", "errors.imagePromptEmpty");
  const limit = maxPromptChars(model);
  const length = [...prompt].length;
  if (length > limit)
    throw appError("bad_request", { key: "errors.imagePromptTooLong", params: { limit, length, model } });
  if (!options.sizes.includes(size)) {
    throw appError("bad_request", {
      key: "errors.imageSizeUnknown",
      params: { size, model, sizes: options.sizes.join(", ") },
    });
  }
  if (!options.qualities.includes(quality)) {
    throw appError("bad_request", {
      key: "errors.imageQualityUnknown",
      params: { quality, model, qualities: options.qualities.join(", ") },
    });
  }
  if (!Number.isInteger(count) || count < 1 || count > options.maxCount) {
    throw appError("bad_request", { key: "errors.imageCountOutOfRange", params: { max: options.maxCount, model } });
  }
}

/** Refuses (payload_too_large) when `count` images of `size` could pass the user's storage quota. */
async function assertImageRoom({ userId, size, count }: { userId: string; size: string; count: number }) {
  const [width = 1024, height = 1024] = size.split("x").map(Number);
  const bound = count * width * height * BYTES_PER_PIXEL_BOUND;
  const { userQuotaBytes } = storageLimits();
  const used = await storageUsed(userId);
  if (used + bound > userQuotaBytes) {
    const mb = 1024 * 1024;
    throw appError("payload_too_large", {
      key: "errors.imageStorageRoom",
      params: { quotaMb: userQuotaBytes / mb, usedMb: Math.ceil(used / mb), count },
    });
  }
}

export async function generateImages(input: ImageRequest): Promise<ImageOutcome> {
  const { userId, conversationId, prompt, size, quality, count } = input;
  const model = input.model ?? imageModel();
  checkImageRequest({ model, prompt, size, quality, count });
  chatClient(); // A friendly not_configured error before anything is written when no key is set.
  const now = input.now ?? new Date();
  const context = await getTurnContext({ userId, conversationId, mustExist: false });
  await assertImageRoom({ userId, size, count });
  const encoding = encodingForModel(model);
  const [promptTokens = 0] = await countTokensOffThread({ texts: [prompt], encoding });
  const variant = { size, quality };
  const rates = ratesFor(model, now);
  const worstCase = rates ? imageWorstCase({ promptTokens, count, ...variant }, rates) : null;
  // Rates that cannot price this request (no price for the variant, no output rate) leave it unpriced, like chat.
  const priced = worstCase === null ? null : rates;
  const quote: Quote = {
    model,
    price: null,
    promptTokens,
    maxOutputTokens: 0,
    reserveMicros: worstCase ?? 0,
    media: { kind: "image", rates: priced, images: count, imageVariant: imageVariant(variant) },
  };
  const reservation = await beginTurn({
    userId,
    conversationId,
    message: { content: prompt, tokenCount: promptTokens, tokenEncoding: encoding },
    title: titleFromMessage(prompt),
    source: input.source,
    conversationModel: input.chatModel ?? defaultModel(),
    quote,
    policy: input.policy ?? budgetPolicy(),
    now,
    asRead: { exists: context.exists, activeLeafId: context.activeLeafId },
  });
  const entryId = reservation.id;
  const userMessageId = reservation.replyParentId;

  const turn = registerTurn({ entryId, userId, conversationId, encoding });
  let result: ImageCallResult | undefined;
  let failure: unknown;
  try {
    result = await requestImages({
      model,
      prompt,
      count,
      size,
      quality,
      signal: turn.signal,
      timeoutMs: upstreamTimeouts().totalMs,
    });
  } catch (error) {
    failure = error;
  } finally {
    turn.end();
  }
  const isDeleted = turn.signal.aborted && turn.signal.reason === DELETED;
  const reply = { userId, conversationId, parentId: userMessageId, model, entryId };
  /** Stores the failed reply (never when the conversation is gone) and answers the outcome. */
  const fail = async (settlement: Settlement, errorText: ErrorText, content = ""): Promise<ImageOutcome> => {
    const error = encodeErrorText(errorText);
    const replyId = isDeleted ? null : await storeImageReply({ ...reply, content, status: "error", error, files: [] });
    return { userMessageId, replyId, status: "error", errorText, settlement };
  };

  if (!result) {
    const isStopped = turn.signal.aborted && turn.signal.reason === STOPPED;
    const { settlement, errorText } = failedCall({ error: failure, promptTokens, quote, isDeleted, isStopped });
    await settleReservation({ entryId, settlement });
    if (!isDeleted) console.warn(`[images] conversation ${conversationId}: ${formatErrorText(errorText, "en")}`);
    return fail(settlement, errorText);
  }

  const settlement = settleImages({ result, promptTokens, rates: priced, variant, quote });
  await settleReservation({ entryId, settlement });
  const charged = { cost: formatUsd(settlement.costMicros) };
  if (result.images.length === 0) return fail(settlement, { key: "errors.imageNoneReturned", params: charged });
  const content = result.images.find((image) => image.revisedPrompt)?.revisedPrompt ?? prompt;
  try {
    const files = await Promise.all(result.images.map((image) => describeImage(image.bytes)));
    const replyId = await storeImageReply({ ...reply, content, status: "complete", files });
    return { userMessageId, replyId, status: "complete", settlement, images: files.map((file) => file.data) };
  } catch (error) {
    // The upstream generated (and billed) the images, but they cannot be kept: nothing half-stored, the charge said.
    if (!(error instanceof AppError)) logUnexpected(`storing images of conversation ${conversationId}`, error);
    const isNoRoom = error instanceof AppError && error.code === "payload_too_large";
    return fail(
      settlement,
      { key: isNoRoom ? "errors.imageNotStoredNoRoom" : "errors.imageNotStored", params: charged },
      content,
    );
  }
}

/** A generated image as a stored file: its real type and dimensions, read from its bytes. */
async function describeImage(bytes: Buffer) {
  const { format, width, height } = await sharp(bytes).metadata();
  const mimeType = format === "jpeg" ? "image/jpeg" : format === "webp" ? "image/webp" : "image/png";
  return { mimeType, data: bytes, width, height };
}

const NO_TEXT = { cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 } as const;

/**
 * What the images cost: by the tokens the upstream reported (gpt-image models), else per image of the variant
 * (DALL·E). A cost the rates cannot compute (a unit without a price) is charged the worst case reserved, estimated.
 */
function settleImages({
  result,
  promptTokens,
  rates,
  variant,
  quote,
}: {
  result: ImageCallResult;
  promptTokens: number;
  rates: UnitRates | null;
  variant: { size: string; quality: string };
  quote: Quote;
}): Settlement {
  const images = result.images.length;
  const { usage } = result;
  const units = usage
    ? {
        promptTokens: usage.textInputTokens,
        imageInputTokens: usage.imageInputTokens,
        imageOutputTokens: usage.outputTokens,
        images,
      }
    : { promptTokens, imageInputTokens: 0, imageOutputTokens: 0, images };
  if (!rates) return { status: "settled", ...NO_TEXT, ...units, costMicros: 0, isEstimated: false };
  const cost = usage
    ? imageCost(
        {
          type: "tokens",
          textInputTokens: usage.textInputTokens,
          imageInputTokens: usage.imageInputTokens,
          imageOutputTokens: usage.outputTokens,
        },
        rates,
        variant,
      )
    : imageCost({ type: "images", count: images }, rates, variant);
  return cost === null
    ? { status: "settled", ...NO_TEXT, ...units, costMicros: quote.reserveMicros, isEstimated: true }
    : { status: "settled", ...NO_TEXT, ...units, costMicros: cost, isEstimated: false };
}

/** Nothing spent: what a call the upstream refused settles to. */
const released = settleCall({ price: null, promptTokensEstimate: 0, completionTokensEstimate: 0, wasRefused: true });

/**
 * A call that brought no images. The upstream answered with an error status (a refusal, 429, 500): it generated and
 * billed nothing, and the reservation is released. It may have generated (and billed) them without the answer
 * arriving (the time limit passed, the conversation was deleted mid-call): charged the worst case, as an estimate.
 */
function failedCall({
  error,
  promptTokens,
  quote,
  isDeleted,
  isStopped,
}: {
  error: unknown;
  promptTokens: number;
  quote: Quote;
  isDeleted: boolean;
  /** The user pressed Stop (lib/chat/active-turns.ts aborts the call). */
  isStopped: boolean;
}): { settlement: Settlement; errorText: ErrorText } {
  const mayHaveBilled = () =>
    settleAbandonedMedia({ reservedMicros: quote.media?.rates ? quote.reserveMicros : 0, promptTokens });
  if (isDeleted) return { settlement: mayHaveBilled(), errorText: { key: "errors.replyDeleted" } };
  if (isStopped) {
    const settlement = mayHaveBilled();
    return {
      settlement,
      errorText: { key: "errors.imageStopped", params: { cost: formatUsd(settlement.costMicros) } },
    };
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    const settlement = mayHaveBilled();
    return {
      settlement,
      errorText: {
        key: "errors.imageTimedOut",
        params: { seconds: upstreamTimeouts().totalMs / 1000, cost: formatUsd(settlement.costMicros) },
      },
    };
  }
  if (isContentRefusal(error)) return { settlement: released, errorText: { key: "errors.imageRefused" } };
  return { settlement: released, errorText: describeUpstreamError(error, { secrets: configuredSecrets() }) };
}
