// The sizes, qualities and counts an image model accepts, and the image output tokens a gpt-image model bills per
// image of each size and quality (OpenAI's image generation guide, "Cost and latency"): what an image request is
// checked against and its worst case reserved from. Safe on the client (the composer's pickers use it).

export type ImageOptions = {
  sizes: readonly string[];
  qualities: readonly string[];
  /** The most images one request may ask for. */
  maxCount: number;
  /** The choice offered first. */
  defaults: { size: string; quality: string };
};

const GPT_IMAGE: ImageOptions = {
  sizes: ["1024x1024", "1536x1024", "1024x1536"],
  qualities: ["low", "medium", "high"],
  maxCount: 4,
  defaults: { size: "1024x1024", quality: "medium" },
};

const DALL_E_3: ImageOptions = {
  sizes: ["1024x1024", "1792x1024", "1024x1792"],
  qualities: ["standard", "hd"],
  // The API generates one DALL·E 3 image per request.
  maxCount: 1,
  defaults: { size: "1024x1024", quality: "standard" },
};

const DALL_E_2: ImageOptions = {
  sizes: ["256x256", "512x512", "1024x1024"],
  qualities: ["standard"],
  maxCount: 4,
  defaults: { size: "1024x1024", quality: "standard" },
};

/** What `model` accepts; a model we do not know is taken to speak like OpenAI's current gpt-image models. */
export function imageOptions(model: string): ImageOptions {
  if (model.startsWith("dall-e-3")) return DALL_E_3;
  if (model.startsWith("dall-e-2")) return DALL_E_2;
  return GPT_IMAGE;
}

/** "1024x1024/high": the key of a per-image price and the ledger entry's imageVariant. */
export function imageVariant({ size, quality }: { size: string; quality: string }): string {
  return `${size}/${quality}`;
}

/** Image output tokens per image, gpt-image-1 (and -mini, -1.5) by quality and size. */
const OUTPUT_TOKENS: Record<string, Record<string, number>> = {
  low: { "1024x1024": 272, "1024x1536": 408, "1536x1024": 400 },
  medium: { "1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568 },
  high: { "1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208 },
};

/**
 * gpt-image-2 bills output tokens by a formula of the size and quality rather than a table. OpenAI publishes it only
 * as its pricing calculator; this is that calculator's arithmetic as reproduced on OpenAI's developer forum
 * ("gpt-image-2 output pricing calculator", 2026), which gives the calculator's figures (1024x1024 high: 7,024
 * tokens). The settled cost comes from the upstream's usage whatever this says; it only sizes the reservation.
 */
const GPT_IMAGE_2_QUALITY = { low: 16n, medium: 48n, high: 96n } as Record<string, bigint>;

function gptImage2OutputTokens(size: string, quality: string): number | null {
  const factor = GPT_IMAGE_2_QUALITY[quality];
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (factor === undefined || !match) return null;
  const [width, height] = [BigInt(match[1] ?? "0"), BigInt(match[2] ?? "0")];
  const long = width > height ? width : height;
  const short = width > height ? height : width;
  if (long === 0n) return null;
  const shortFactor = (2n * factor * short + long) / (2n * long);
  return Number((factor * shortFactor * (2_000_000n + width * height) + 3_999_999n) / 4_000_000n);
}

/**
 * The image output tokens one image of this size and quality is billed by `model` (gpt-image-1 and its -mini/-1.5
 * siblings by OpenAI's table, gpt-image-2 by its formula), or null when neither knows it.
 */
export function imageOutputTokens({ size, quality }: { size: string; quality: string }, model = ""): number | null {
  if (model.startsWith("gpt-image-2")) return gptImage2OutputTokens(size, quality);
  return OUTPUT_TOKENS[quality]?.[size] ?? null;
}
