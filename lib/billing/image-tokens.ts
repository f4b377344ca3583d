// Input tokens an image costs a vision model, by OpenAI's published rules (platform.openai.com/docs/guides/images-vision,
// "Calculating costs"). Pure and safe on the client: the turn reserves with it, the composer's estimate shows it. The
// settled cost never comes from here: the upstream's prompt_tokens include the images' tokens exactly.
//
// Two rules:
// - tiles (gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3, gpt-4o-mini): the image is fitted inside 2048 × 2048, then scaled
//   down so its short side is at most 768 px; it costs `base + perTile × (512-px tiles)`. detail "low" costs `base`.
// - patches (gpt-4.1-mini, gpt-4.1-nano, gpt-5-mini, gpt-5-nano, o4-mini): 32-px patches covering the image, scaled down
//   to fit 1,536 patches when it needs more, times the model's multiplier. detail does not change it.
// A model with neither rule known (an OPENAI_VISION_MODELS id of another server) is estimated by gpt-4o's tiles.

/** The `detail` sent with an image: "auto" lets the model choose, so its worst case is "high". */
export type ImageDetail = "low" | "high" | "auto";

type TileRule = { kind: "tiles"; base: number; perTile: number };
/** multiplier in hundredths (1.62 → 162): token counts are rounded up from an exact integer product. */
type PatchRule = { kind: "patches"; multiplierHundredths: number };
export type ImageTokenRule = TileRule | PatchRule;

const tiles = (base: number, perTile: number): TileRule => ({ kind: "tiles", base, perTile });
const patches = (multiplierHundredths: number): PatchRule => ({ kind: "patches", multiplierHundredths });

/** Longest prefix wins: "gpt-4o-mini" before "gpt-4o", "gpt-5-mini" before "gpt-5". */
const RULES: [prefix: string, rule: ImageTokenRule][] = [
  ["gpt-4.1-mini", patches(162)],
  ["gpt-4.1-nano", patches(246)],
  ["gpt-5-mini", patches(162)],
  ["gpt-5-nano", patches(246)],
  ["o4-mini", patches(172)],
  ["gpt-4o-mini", tiles(2833, 5667)],
  ["gpt-4o", tiles(85, 170)],
  ["gpt-4.1", tiles(85, 170)],
  ["gpt-4.5", tiles(85, 170)],
  ["gpt-4-turbo", tiles(85, 170)],
  ["chatgpt-4o", tiles(85, 170)],
  ["gpt-5", tiles(70, 140)],
  ["o1", tiles(75, 150)],
  ["o3", tiles(75, 150)],
];

/** gpt-4o's rule stands in for a model whose rule is unknown. */
export const FALLBACK_RULE: ImageTokenRule = tiles(85, 170);

/** The rule `model` counts images by, and whether it is the model's own (false: gpt-4o's stood in). */
export function imageTokenRule(model: string): { rule: ImageTokenRule; isKnown: boolean } {
  const found = RULES.filter(([prefix]) => model === prefix || model.startsWith(`${prefix}-`)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  return found ? { rule: found[1], isKnown: true } : { rule: FALLBACK_RULE, isKnown: false };
}

/** 512-px tiles of an image after fitting it in 2048 × 2048 and bringing its short side down to 768. */
export function tileCount(width: number, height: number): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shorten = Math.min(1, 768 / Math.min(w, h));
  w *= shorten;
  h *= shorten;
  return Math.ceil(Math.round(w) / 512) * Math.ceil(Math.round(h) / 512);
}

const PATCH = 32;
const MAX_PATCHES = 1536;

/** 32-px patches of an image, scaled down (keeping whole patches along each side) when it would need over 1,536. */
export function patchCount(width: number, height: number): number {
  const raw = Math.ceil(width / PATCH) * Math.ceil(height / PATCH);
  if (raw <= MAX_PATCHES) return raw;
  let ratio = Math.sqrt((PATCH * PATCH * MAX_PATCHES) / (width * height));
  const across = (width * ratio) / PATCH;
  const down = (height * ratio) / PATCH;
  ratio *= Math.min(Math.floor(across) / across, Math.floor(down) / down);
  const count = Math.ceil((width * ratio) / PATCH) * Math.ceil((height * ratio) / PATCH);
  return Math.min(count, MAX_PATCHES);
}

/** Input tokens of one image of `width` × `height` px sent to `model` (at most what the upstream will count). */
export function imageInputTokens({
  model,
  width,
  height,
  detail = "auto",
}: {
  model: string;
  width: number;
  height: number;
  detail?: ImageDetail;
}): number {
  const { rule } = imageTokenRule(model);
  if (!(width > 0 && height > 0)) return rule.kind === "tiles" ? rule.base : 0;
  if (rule.kind === "patches") return Math.ceil((patchCount(width, height) * rule.multiplierHundredths) / 100);
  if (detail === "low") return rule.base;
  return rule.base + rule.perTile * tileCount(width, height);
}

/** Input tokens of several images (those without known dimensions are counted as the largest accepted). */
export function imagesInputTokens(
  model: string,
  images: readonly { width: number | null; height: number | null }[],
): number {
  return images.reduce(
    (sum, image) =>
      sum + imageInputTokens({ model, width: image.width ?? MAX_IMAGE_SIDE, height: image.height ?? MAX_IMAGE_SIDE }),
    0,
  );
}

/** The largest side an attached image may have, in px (larger ones are refused at upload). */
export const MAX_IMAGE_SIDE = 8192;
