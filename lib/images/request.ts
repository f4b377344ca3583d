import "server-only";
import { z } from "zod";
import { getMeterState } from "@/lib/chat/meter";
import { toUIMessages } from "@/lib/chat/stored-messages";
import type { ChatUIMessage, MeterState } from "@/lib/chat/ui-message";
import { getMessageBranch } from "@/lib/db/conversations";
import { conversationIdSchema } from "@/lib/validations";
import { generateImages, type ImageRequest } from "./generate";

// POST /api/images as the chat uses it: the request's shape, and the answer the chat shows (the stored messages, as
// after a reload, and the meter once settled).

/** A request body is a few fields and a prompt of at most 32,000 characters (4 bytes each in UTF-8). */
export const MAX_IMAGE_BODY_BYTES = 160 * 1024;

export const imageRequestSchema = z
  .object({
    conversationId: conversationIdSchema,
    prompt: z.string(),
    size: z.string().max(32),
    quality: z.string().max(32),
    count: z.number().int(),
    /** The chat's model, for a conversation this request creates. */
    model: z.string().max(200).optional(),
  })
  .strict();

export type ImageAnswer = {
  /** The user message with the prompt, then the reply (images, or the failure), as stored. */
  messages: ChatUIMessage[];
  meter?: MeterState;
};

/** Generates the images (lib/images/generate.ts) and reads back what the chat shows of them. */
export async function answerImageRequest(request: ImageRequest): Promise<ImageAnswer> {
  const outcome = await generateImages(request);
  const { userId, conversationId } = request;
  const [branch, meter] = await Promise.all([
    outcome.replyId ? getMessageBranch({ id: outcome.replyId, conversationId, userId }) : null,
    getMeterState({ userId, conversationId }).catch(() => undefined),
  ]);
  return { messages: branch ? toUIMessages(branch) : [], meter };
}
