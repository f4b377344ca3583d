import "server-only";
import OpenAI from "openai";
import { chatClient } from "./provider";

// The images endpoint through the official SDK, which returns the whole `usage` object (text and image input tokens,
// image output tokens) that the AI SDK's generateImage merges away. Provider call only: no money, no storage.

export type GeneratedImage = { bytes: Buffer; revisedPrompt: string | null };

/** gpt-image usage as reported; absent for models billed per image (DALL·E). */
export type ImageCallUsage = { textInputTokens: number; imageInputTokens: number; outputTokens: number };

export type ImageCallResult = { images: GeneratedImage[]; usage: ImageCallUsage | null };

/** DALL·E answers with URLs unless asked for base64; gpt-image models always answer base64 and refuse the option. */
const isDallE = (model: string) => model.startsWith("dall-e-");

export async function requestImages({
  model,
  prompt,
  count,
  size,
  quality,
  signal,
  timeoutMs,
}: {
  model: string;
  prompt: string;
  count: number;
  size: string;
  quality: string;
  signal: AbortSignal;
  timeoutMs: number;
}): Promise<ImageCallResult> {
  const response = await chatClient().images.generate(
    {
      model,
      prompt,
      n: count,
      size: size as OpenAI.ImageGenerateParams["size"],
      quality: quality as OpenAI.ImageGenerateParams["quality"],
      ...(isDallE(model) ? { response_format: "b64_json" as const } : {}),
    },
    // No retry: a lost answer to a generation may already be billed, and a second call would bill again.
    { signal, timeout: timeoutMs, maxRetries: 0 },
  );
  const images = (response.data ?? []).flatMap((image) =>
    image.b64_json
      ? [{ bytes: Buffer.from(image.b64_json, "base64"), revisedPrompt: image.revised_prompt ?? null }]
      : [],
  );
  const usage = response.usage;
  return {
    images,
    usage: usage
      ? {
          // Without the breakdown every input token is the prompt's text.
          textInputTokens: usage.input_tokens_details?.text_tokens ?? usage.input_tokens,
          imageInputTokens: usage.input_tokens_details?.image_tokens ?? 0,
          outputTokens: usage.output_tokens,
        }
      : null,
  };
}

/** The upstream refused the prompt for its content (DALL·E's content_policy_violation, gpt-image's moderation_blocked). */
export function isContentRefusal(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || error.status !== 400) return false;
  const code = error.code ?? (error.error as { code?: unknown } | undefined)?.code;
  return code === "content_policy_violation" || code === "moderation_blocked";
}
