import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { imageOutputTokens } from "../../lib/billing/image-variants";

// POST /v1/images/generations of the fake upstream (server.ts dispatches here): OpenAI's JSON request and answer,
// small real PNGs of the asked size, `usage` in the gpt-image shape (none for DALL·E), scripted by markers in the
// prompt (README.md).

export type ImageError = { message: string; type: string; param: string | null; code: string | null };

export type ImageAnswer = { status: number; body: unknown };

/** OpenAI's refusal bodies, as sent: DALL·E's content_policy_violation, gpt-image's moderation_blocked. */
export function refusalFor(model: string): ImageError {
  return model.startsWith("dall-e")
    ? {
        code: "content_policy_violation",
        message:
          "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
        param: null,
        type: "invalid_request_error",
      }
    : {
        code: "moderation_blocked",
        message:
          "Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID req_fake.",
        param: null,
        type: "image_generation_user_error",
      };
}

const IMAGE_MODELS = /^(gpt-image-|dall-e-[23]$)/;

/** Text tokens of an image prompt as the fake bills them: one per 4 code points, rounded up. */
export const fakePromptTokens = (prompt: string) => Math.ceil([...prompt].length / 4);

/**
 * The answer to one generation request. `errorFor` gives the chat endpoint's error bodies for scripted statuses
 * (`[[status:CODE]]`); `[[refuse]]` gets the content refusal; `[[revised:text]]` a revised prompt (DALL·E 3 gives
 * one unasked); `[[noise]]` images of random pixels, megabytes each (to fill a storage quota).
 */
export async function imageGenerations({
  body,
  authorization,
  errorFor,
}: {
  body: unknown;
  authorization: string | undefined;
  errorFor: (status: number, context: { model?: string; apiKey?: string }) => unknown;
}): Promise<ImageAnswer> {
  const apiKey = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  if (!apiKey || apiKey === "sk-bad") return { status: 401, body: { error: errorFor(401, { apiKey }) } };
  const request = (body ?? {}) as Record<string, unknown>;
  const model = typeof request.model === "string" ? request.model : "dall-e-2";
  const prompt = typeof request.prompt === "string" ? request.prompt : "";
  const n = typeof request.n === "number" ? request.n : 1;
  const size = typeof request.size === "string" ? request.size : "1024x1024";
  const quality = typeof request.quality === "string" ? request.quality : "auto";
  const invalid = (message: string, param: string) => ({
    status: 400,
    body: { error: { message, type: "invalid_request_error", param, code: null } },
  });
  if (!IMAGE_MODELS.test(model)) {
    return { status: 404, body: { error: errorFor(404, { model }) } };
  }
  if (!prompt) return invalid("Missing required parameter: 'prompt'.", "prompt");
  const status = /\[\[status:(\d{3})\]\]/.exec(prompt)?.[1];
  if (status) return { status: Number(status), body: { error: errorFor(Number(status), { model }) } };
  if (prompt.includes("[[refuse]]")) return { status: 400, body: { error: refusalFor(model) } };
  const isDallE = model.startsWith("dall-e");
  if (isDallE && request.response_format !== "b64_json") {
    return invalid("This fake answers base64 only: send response_format 'b64_json'.", "response_format");
  }
  if (!isDallE && request.response_format !== undefined) {
    return invalid("Unknown parameter: 'response_format'.", "response_format");
  }
  const [width = 0, height = 0] = size.split("x").map(Number);
  if (!width || !height) return invalid(`Invalid value: '${size}'.`, "size");
  const revised = /\[\[revised:(.*?)\]\]/.exec(prompt)?.[1];
  const isNoise = prompt.includes("[[noise]]");
  const data = await Promise.all(
    Array.from({ length: n }, async (_, index) => ({
      b64_json: (await (isNoise ? noiseOf : pictureOf)({ width, height, index })).toString("base64"),
      ...(revised ? { revised_prompt: revised } : {}),
    })),
  );
  if (isDallE) return { status: 200, body: { created: Math.floor(Date.now() / 1000), data } };
  const textTokens = fakePromptTokens(prompt);
  const outputTokens = n * (imageOutputTokens({ size, quality }, model) ?? 0);
  return {
    status: 200,
    body: {
      created: Math.floor(Date.now() / 1000),
      background: "opaque",
      output_format: "png",
      quality,
      size,
      data,
      usage: {
        input_tokens: textTokens,
        input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
        output_tokens: outputTokens,
        total_tokens: textTokens + outputTokens,
      },
    },
  };
}

/** Random pixels, which PNG cannot compress: about 3 bytes a pixel, megabytes, like a real picture (`[[noise]]`). */
function noiseOf({ width, height }: { width: number; height: number }) {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** A flat PNG of that size, a different colour for each image of a request (a few kilobytes: fast). */
function pictureOf({ width, height, index }: { width: number; height: number; index: number }) {
  const colours = [
    { r: 16, g: 185, b: 129 },
    { r: 59, g: 130, b: 246 },
    { r: 245, g: 158, b: 11 },
    { r: 239, g: 68, b: 68 },
  ];
  const background = colours[index % colours.length] ?? { r: 0, g: 0, b: 0 };
  return sharp({ create: { width, height, channels: 3, background } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
