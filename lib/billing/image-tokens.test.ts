import { describe, expect, it } from "vitest";
import { imageInputTokens, imagesInputTokens, imageTokenRule, patchCount, tileCount } from "./image-tokens";

// The examples of OpenAI's "Calculating costs" (platform.openai.com/docs/guides/images-vision).
describe("tile-based models", () => {
  it("a 1024 × 1024 square at high detail: 768 × 768, four tiles, 765 tokens on gpt-4o", () => {
    expect(tileCount(1024, 1024)).toBe(4);
    expect(imageInputTokens({ model: "gpt-4o", width: 1024, height: 1024, detail: "high" })).toBe(765);
  });

  it("a 2048 × 4096 image: fitted to 1024 × 2048, then 768 × 1536, six tiles, 1,105 tokens", () => {
    expect(tileCount(2048, 4096)).toBe(6);
    expect(imageInputTokens({ model: "gpt-4o", width: 2048, height: 4096 })).toBe(1105);
    expect(imageInputTokens({ model: "gpt-4.1-2025-04-14", width: 2048, height: 4096 })).toBe(1105);
  });

  it("a 4096 × 8192 image at low detail costs the base alone: 85", () => {
    expect(imageInputTokens({ model: "gpt-4o", width: 4096, height: 8192, detail: "low" })).toBe(85);
  });

  it("small images are not scaled up: one tile", () => {
    expect(tileCount(100, 60)).toBe(1);
    expect(imageInputTokens({ model: "gpt-4o", width: 100, height: 60 })).toBe(255);
  });

  it("gpt-4o-mini's base and tiles are 2,833 and 5,667", () => {
    expect(imageInputTokens({ model: "gpt-4o-mini", width: 1024, height: 1024 })).toBe(2833 + 4 * 5667);
    expect(imageInputTokens({ model: "gpt-4o-mini", width: 1024, height: 1024, detail: "low" })).toBe(2833);
  });

  it("gpt-5 (70 + 140 a tile) and o1/o3 (75 + 150 a tile)", () => {
    expect(imageInputTokens({ model: "gpt-5", width: 1024, height: 1024 })).toBe(70 + 4 * 140);
    expect(imageInputTokens({ model: "o3", width: 1024, height: 1024 })).toBe(75 + 4 * 150);
    expect(imageInputTokens({ model: "o1-2024-12-17", width: 512, height: 512 })).toBe(75 + 150);
  });
});

describe("patch-based models", () => {
  it("a 1024 × 1024 image: 1,024 patches", () => {
    expect(patchCount(1024, 1024)).toBe(1024);
  });

  it("an 1800 × 2400 image: scaled to 1056 × 1408, 1,452 patches", () => {
    expect(patchCount(1800, 2400)).toBe(1452);
  });

  it("never more than 1,536 patches", () => {
    expect(patchCount(8192, 8192)).toBeLessThanOrEqual(1536);
    expect(patchCount(8192, 100)).toBeLessThanOrEqual(1536);
  });

  it("times the model's multiplier, rounded up: gpt-4.1-mini 1.62, gpt-5-nano 2.46, o4-mini 1.72", () => {
    expect(imageInputTokens({ model: "gpt-4.1-mini", width: 1024, height: 1024 })).toBe(Math.ceil(1024 * 1.62));
    expect(imageInputTokens({ model: "gpt-5-nano", width: 1800, height: 2400 })).toBe(Math.ceil((1452 * 246) / 100));
    expect(imageInputTokens({ model: "o4-mini", width: 1024, height: 1024 })).toBe(Math.ceil((1024 * 172) / 100));
    // detail does not change a patch-based count.
    expect(imageInputTokens({ model: "gpt-5-mini", width: 1024, height: 1024, detail: "low" })).toBe(1659);
  });
});

describe("rules by model", () => {
  it("the longest prefix wins, dated snapshots share their model's rule", () => {
    expect(imageTokenRule("gpt-4o-mini-2024-07-18").rule).toEqual({ kind: "tiles", base: 2833, perTile: 5667 });
    expect(imageTokenRule("gpt-5-mini").rule.kind).toBe("patches");
    expect(imageTokenRule("gpt-5").rule).toEqual({ kind: "tiles", base: 70, perTile: 140 });
  });

  it("an unknown model is estimated by gpt-4o's tiles, said so", () => {
    expect(imageTokenRule("llava:13b")).toEqual({ rule: { kind: "tiles", base: 85, perTile: 170 }, isKnown: false });
  });

  it("images without known dimensions count as the largest accepted", () => {
    expect(imagesInputTokens("gpt-4o", [{ width: null, height: null }])).toBe(765);
    expect(
      imagesInputTokens("gpt-4o", [
        { width: 1024, height: 1024 },
        { width: 2048, height: 4096 },
      ]),
    ).toBe(1870);
  });
});
