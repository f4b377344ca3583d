import { describe, expect, it } from "vitest";
import { imageOptions, imageOutputTokens } from "./image-variants";
import { imageCost, imageWorstCase, transcriptionCost, transcriptionWorstCase } from "./media-cost";
import { findPrice, findRates, parsePriceOverrides, type UnitRates } from "./prices";

const at = "2026-12-01";
const rates = (model: string): UnitRates => {
  const found = findRates({ model, at });
  if (!found) throw new Error(`${model} has no price`);
  return found;
};

describe("unit prices from the package and prices/overrides.json", () => {
  it("reads whisper-1's $0.36 an hour as exactly $0.006 a minute, and no chat price", () => {
    expect(rates("whisper-1")).toMatchObject({ audioPerMinute: 6000, source: "package" });
    expect(rates("whisper-1").inputPer1M).toBeUndefined();
    expect(findPrice({ model: "whisper-1", at })).toBeNull();
  });

  it("reads the transcribe models' audio token rate beside their text rates", () => {
    expect(rates("gpt-4o-mini-transcribe")).toMatchObject({
      inputPer1M: 1_250_000,
      outputPer1M: 5_000_000,
      audioInputPer1M: 3_000_000,
    });
    expect(rates("gpt-4o-transcribe").audioInputPer1M).toBe(6_000_000);
  });

  it("reads an image model's output rate as its image output rate unless it lists one apart", () => {
    expect(rates("gpt-image-1")).toMatchObject({
      inputPer1M: 5_000_000,
      imageInputPer1M: 10_000_000,
      imageOutputPer1M: 40_000_000,
    });
    expect(rates("gpt-image-1.5")).toMatchObject({ outputPer1M: 10_000_000, imageOutputPer1M: 32_000_000 });
    // A chat model has no image output rate.
    expect(rates("gpt-4o-mini").imageOutputPer1M).toBeUndefined();
  });

  it("prices DALL·E per image from the committed overrides, dated", () => {
    expect(rates("dall-e-3")).toMatchObject({ source: "file", effectiveFrom: "2023-11-06" });
    expect(rates("dall-e-3").perImage).toEqual({
      "1024x1024/standard": 40_000,
      "1024x1792/standard": 80_000,
      "1792x1024/standard": 80_000,
      "1024x1024/hd": 80_000,
      "1024x1792/hd": 120_000,
      "1792x1024/hd": 120_000,
    });
    expect(rates("dall-e-2").perImage?.["256x256/standard"]).toBe(16_000);
    expect(findRates({ model: "dall-e-3", at: "2023-11-05" })).toBeNull();
  });

  it("parses every unit of an override exactly, and refuses malformed ones by name", () => {
    const parsed = parsePriceOverrides({
      local: [{ effectiveFrom: "2026-01-01", audioPerMinute: "0.0061", perImage: { "512x512/draft": "0.000001" } }],
    });
    expect(parsed.local).toEqual([
      { effectiveFrom: "2026-01-01", audioPerMinute: 6100, perImage: { "512x512/draft": 1 } },
    ]);
    expect(() => parsePriceOverrides({ m: [{ effectiveFrom: "2026-01-01", input: "1" }] })).toThrow(/input and output/);
    expect(() => parsePriceOverrides({ m: [{ effectiveFrom: "2026-01-01" }] })).toThrow(/at least one price/);
    expect(() => parsePriceOverrides({ m: [{ effectiveFrom: "2026-01-01", perImage: { big: "1" } }] })).toThrow(
      /<size>\/<quality>/,
    );
    expect(() => parsePriceOverrides({ m: [{ effectiveFrom: "2026-01-01", audioPerMinute: "0.0000001" }] })).toThrow(
      /per minute/,
    );
  });
});

describe("transcriptionCost", () => {
  it("bills whisper-1 per started second: 61.2 s at $0.006 a minute is 62 s, $0.0062", () => {
    expect(transcriptionCost({ type: "duration", seconds: 61.2 }, rates("whisper-1"))).toBe(6200);
    expect(transcriptionCost({ type: "duration", seconds: 1 }, rates("whisper-1"))).toBe(100);
    expect(transcriptionCost({ type: "duration", seconds: 0 }, rates("whisper-1"))).toBe(0);
  });

  it("bills gpt-4o-mini-transcribe's tokens at their three rates, rounded once half-up", () => {
    // 12 × 1.25 + 157 × 3 + 33 × 5 = 15 + 471 + 165 = 651 micro-USD
    const usage = { type: "tokens", textInputTokens: 12, audioTokens: 157, outputTokens: 33 } as const;
    expect(transcriptionCost(usage, rates("gpt-4o-mini-transcribe"))).toBe(651);
    // 1 audio token at $3 / 1M is 3 micro-USD; 1 text token at $1.25 / 1M is 1.25 → 1 alone, but summed first.
    expect(
      transcriptionCost(
        { type: "tokens", textInputTokens: 2, audioTokens: 0, outputTokens: 0 },
        rates("gpt-4o-mini-transcribe"),
      ),
    ).toBe(3);
  });

  it("is unpriced (null) when the usage's unit has no price", () => {
    expect(
      transcriptionCost({ type: "tokens", textInputTokens: 0, audioTokens: 10, outputTokens: 5 }, rates("whisper-1")),
    ).toBeNull();
    expect(transcriptionCost({ type: "duration", seconds: 3 }, rates("gpt-4o-mini-transcribe"))).toBeNull();
  });
});

describe("transcriptionWorstCase", () => {
  it("reserves whisper-1's full duration rounded up", () => {
    expect(transcriptionWorstCase({ seconds: 59.01, promptTokens: 0 }, rates("whisper-1"))).toBe(6000);
    // A 4-hour recording: $1.44.
    expect(transcriptionWorstCase({ seconds: 4 * 3600, promptTokens: 0 }, rates("whisper-1"))).toBe(1_440_000);
  });

  it("reserves a token-billed model's audio and transcript at the per-second bounds", () => {
    // 10 s: 10 prompt × 1.25 + 200 audio × 3 + 100 out × 5 = 12.5 + 600 + 500 = 1112.5 → 1113
    expect(transcriptionWorstCase({ seconds: 10, promptTokens: 10 }, rates("gpt-4o-mini-transcribe"))).toBe(1113);
  });

  it("is null for a model with no audio price", () => {
    expect(transcriptionWorstCase({ seconds: 10, promptTokens: 0 }, rates("gpt-4o-mini"))).toBeNull();
  });
});

describe("imageCost and imageWorstCase", () => {
  it("bills gpt-image-1's reported tokens: text in, image in, image out", () => {
    // 50 × 5 + 0 × 10 + 4160 × 40 = 250 + 166400 = 166650 micro-USD
    const usage = { type: "tokens", textInputTokens: 50, imageInputTokens: 0, imageOutputTokens: 4160 } as const;
    expect(imageCost(usage, rates("gpt-image-1"), { size: "1024x1024", quality: "high" })).toBe(166_650);
  });

  it("bills DALL·E per image of the size and quality asked for", () => {
    const hdWide = { size: "1792x1024", quality: "hd" };
    expect(imageCost({ type: "images", count: 1 }, rates("dall-e-3"), hdWide)).toBe(120_000);
    expect(imageCost({ type: "images", count: 3 }, rates("dall-e-2"), { size: "512x512", quality: "standard" })).toBe(
      54_000,
    );
    expect(imageCost({ type: "images", count: 1 }, rates("dall-e-3"), { size: "256x256", quality: "hd" })).toBeNull();
  });

  it("reserves every image's output tokens at its size and quality, plus the prompt, rounded up", () => {
    // 2 × 1568 × 40 + 7 × 5 = 125440 + 35 = 125475 micro-USD
    expect(
      imageWorstCase({ promptTokens: 7, count: 2, size: "1536x1024", quality: "medium" }, rates("gpt-image-1")),
    ).toBe(125_475);
    // 1 × 272 × 8 + 3 × 2 = 2182 on gpt-image-1-mini; a fraction of a micro-dollar rounds up: 1 prompt token at
    // gpt-4o-mini-transcribe-like $1.25 / 1M is shown in the transcription case.
    expect(
      imageWorstCase({ promptTokens: 3, count: 1, size: "1024x1024", quality: "low" }, rates("gpt-image-1-mini")),
    ).toBe(2182);
    expect(imageWorstCase({ promptTokens: 7, count: 1, size: "1024x1024", quality: "hd" }, rates("dall-e-3"))).toBe(
      80_000,
    );
    expect(
      imageWorstCase({ promptTokens: 7, count: 1, size: "640x480", quality: "high" }, rates("gpt-image-1")),
    ).toBeNull();
    expect(
      imageWorstCase({ promptTokens: 7, count: 1, size: "1024x1024", quality: "low" }, rates("gpt-4o-mini")),
    ).toBeNull();
  });

  it("knows each model family's choices", () => {
    expect(imageOptions("dall-e-3").maxCount).toBe(1);
    expect(imageOptions("gpt-image-1").qualities).toEqual(["low", "medium", "high"]);
    expect(imageOutputTokens({ size: "1024x1536", quality: "high" })).toBe(6240);
    // gpt-image-2's calculator: 1024x1024 high is 7,024 tokens, 1536x1024 high 5,488.
    expect(imageOutputTokens({ size: "1024x1024", quality: "high" }, "gpt-image-2")).toBe(7024);
    expect(imageOutputTokens({ size: "1536x1024", quality: "high" }, "gpt-image-2")).toBe(5488);
    // Its output rate is the package's output_mtok ($30 / 1M): one 1024x1024 high image reserves 7024 × 30 µ$.
    expect(
      imageWorstCase({ promptTokens: 0, count: 1, size: "1024x1024", quality: "high" }, rates("gpt-image-2")),
    ).toBe(210_720);
  });
});
