import { findProvider } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { packagePriceHistory } from "./package-prices";
import {
  describePrice,
  fileOverrides,
  findPrice,
  type ModelPrice,
  parseModelPricesEnv,
  parsePriceOverrides,
} from "./prices";

const TODAY = "2026-11-22";
/** Package only: the committed file left out, to check the package's own numbers. */
const PACKAGE_ONLY = { file: {} };

describe("findPrice from @pydantic/genai-prices", () => {
  // OpenAI's list prices in USD per 1M tokens (input / cached input / output), checked one by one against the
  // package; o3 comes from prices/overrides.json, which corrects its launch-period cached rate.
  const listPrices: [model: string, input: number, cached: number, output: number, since: string][] = [
    ["gpt-5", 1_250_000, 125_000, 10_000_000, "2025-08-07"],
    ["gpt-5-mini", 250_000, 25_000, 2_000_000, "2025-08-07"],
    ["gpt-5-nano", 50_000, 5_000, 400_000, "0001-01-01"],
    ["gpt-4.1", 2_000_000, 500_000, 8_000_000, "2025-04-14"],
    ["gpt-4.1-mini", 400_000, 100_000, 1_600_000, "2025-04-14"],
    ["gpt-4.1-nano", 100_000, 25_000, 400_000, "2025-04-14"],
    ["gpt-4o", 2_500_000, 1_250_000, 10_000_000, "2024-08-06"],
    ["gpt-4o-mini", 150_000, 75_000, 600_000, "2024-07-18"],
    ["o4-mini", 1_100_000, 275_000, 4_400_000, "2025-04-16"],
    ["o3", 2_000_000, 500_000, 8_000_000, "2025-06-10"],
  ];

  it.each(listPrices)("%s: %i / %i / %i micro-USD per 1M since %s", (model, input, cached, output, since) => {
    expect(findPrice({ model, at: TODAY })).toEqual({
      model,
      inputPer1M: input,
      cachedInputPer1M: cached,
      outputPer1M: output,
      effectiveFrom: since,
      source: model === "o3" ? "file" : "package",
    } satisfies ModelPrice);
  });

  it("maps dated snapshot ids only where the package lists them", () => {
    expect(findPrice({ model: "gpt-4o-mini-2024-07-18", at: TODAY })?.model).toBe("gpt-4o-mini");
    expect(findPrice({ model: "gpt-5-2025-08-07", at: TODAY })?.model).toBe("gpt-5");
    expect(findPrice({ model: "GPT-5-MINI", at: TODAY })?.model).toBe("gpt-5-mini");
    // The package prices the May 2024 gpt-4o snapshot on its own, at its own (higher) rate.
    expect(findPrice({ model: "gpt-4o-2024-05-13", at: TODAY })).toMatchObject({
      inputPer1M: 5_000_000,
      outputPer1M: 15_000_000,
    });
    expect(findPrice({ model: "gpt-4o-mini-2031-01-01", at: TODAY })).toBeNull();
  });

  it("leaves unknown and self-hosted models unpriced, never zero", () => {
    expect(findPrice({ model: "llama3.2", at: TODAY })).toBeNull();
    expect(findPrice({ model: "deepseek-chat", at: TODAY })).toBeNull();
    expect(findPrice({ model: "  ", at: TODAY })).toBeNull();
  });

  it("leaves models priced by context-length tier unpriced rather than charging the base tier", () => {
    expect(findPrice({ model: "gpt-5.4", at: TODAY })).toBeNull();
  });

  it("is unpriced before a model's first dated price", () => {
    expect(findPrice({ model: "gpt-5-mini", at: "2025-08-06" })).toBeNull();
    expect(findPrice({ model: "gpt-5-mini", at: "2025-08-07" })?.inputPer1M).toBe(250_000);
  });

  it("follows the package's dated history (o3's 2025-06-10 price cut)", () => {
    expect(findPrice({ model: "o3", at: "2025-06-09", overrides: PACKAGE_ONLY })).toMatchObject({
      inputPer1M: 10_000_000,
      outputPer1M: 40_000_000,
      effectiveFrom: "2025-04-16",
    });
    expect(findPrice({ model: "o3", at: "2025-06-10", overrides: PACKAGE_ONLY })).toMatchObject({
      inputPer1M: 2_000_000,
      outputPer1M: 8_000_000,
      effectiveFrom: "2025-06-10",
    });
  });

  it("takes `at` as a Date, by its UTC day", () => {
    expect(findPrice({ model: "o3", at: new Date("2025-06-09T23:59:59Z") })?.inputPer1M).toBe(10_000_000);
    expect(findPrice({ model: "o3", at: new Date("2025-06-10T00:00:00Z") })?.inputPer1M).toBe(2_000_000);
    expect(() => findPrice({ model: "o3", at: "yesterday" })).toThrow(/not a date/);
  });
});

describe("overrides", () => {
  it("the committed file corrects o3's launch-period cached input (package 0.1.8 says $0.50)", () => {
    expect(findPrice({ model: "o3", at: "2025-05-01", overrides: PACKAGE_ONLY })?.cachedInputPer1M).toBe(500_000);
    expect(findPrice({ model: "o3", at: "2025-05-01" })).toEqual({
      model: "o3",
      inputPer1M: 10_000_000,
      cachedInputPer1M: 2_500_000,
      outputPer1M: 40_000_000,
      effectiveFrom: "2025-04-16",
      source: "file",
    });
    expect(findPrice({ model: "o3-2025-04-16", at: "2025-05-01" })?.source).toBe("file");
    expect(Object.keys(fileOverrides())).toContain("o3");
  });

  it("env beats file beats package", () => {
    const file = parsePriceOverrides({ "gpt-5-mini": [{ effectiveFrom: "2026-01-01", input: "0.2", output: "1.6" }] });
    const env = parseModelPricesEnv('{"gpt-5-mini":[{"effectiveFrom":"2026-06-01","input":"0.1","output":"1"}]}');
    expect(findPrice({ model: "gpt-5-mini", at: TODAY, overrides: { file } })).toMatchObject({
      inputPer1M: 200_000,
      cachedInputPer1M: 200_000,
      source: "file",
    });
    expect(findPrice({ model: "gpt-5-mini", at: TODAY, overrides: { env, file } })).toMatchObject({
      inputPer1M: 100_000,
      source: "env",
    });
    // A source that lists a model owns its whole history: no fall-through to the package's older price.
    expect(findPrice({ model: "gpt-5-mini", at: "2026-05-31", overrides: { env, file } })).toBeNull();
  });

  it("an override under the package's id applies to its dated ids", () => {
    const env = parseModelPricesEnv('{"gpt-4o-mini":[{"effectiveFrom":"2024-07-18","input":"1","output":"2"}]}');
    expect(findPrice({ model: "gpt-4o-mini-2024-07-18", at: TODAY, overrides: { env } })).toMatchObject({
      model: "gpt-4o-mini",
      inputPer1M: 1_000_000,
      source: "env",
    });
  });

  it("prices a local model at an explicit zero", () => {
    const env = parseModelPricesEnv('{"llama3.2":[{"effectiveFrom":"2026-01-01","input":"0","output":"0"}]}');
    expect(findPrice({ model: "llama3.2", at: TODAY, overrides: { env } })).toEqual({
      model: "llama3.2",
      inputPer1M: 0,
      cachedInputPer1M: 0,
      outputPer1M: 0,
      effectiveFrom: "2026-01-01",
      source: "env",
    });
  });

  it("keeps dated entries in date order whatever order they are written in", () => {
    const overrides = parsePriceOverrides({
      custom: [
        { effectiveFrom: "2026-06-01", input: "2", output: "4" },
        { effectiveFrom: "2026-01-01", input: "1", output: "2", cachedInput: "0.5" },
      ],
    });
    expect(overrides.custom?.map((entry) => entry.effectiveFrom)).toEqual(["2026-01-01", "2026-06-01"]);
    expect(findPrice({ model: "custom", at: "2026-03-01", overrides: { env: overrides } })?.cachedInputPer1M).toBe(
      500_000,
    );
  });

  it("treats an unset or empty MODEL_PRICES as no overrides", () => {
    expect(parseModelPricesEnv(undefined)).toEqual({});
    expect(parseModelPricesEnv("  ")).toEqual({});
  });

  it("explains broken JSON with an example", () => {
    expect(() => parseModelPricesEnv("{llama: 0}")).toThrow(/MODEL_PRICES is not valid JSON.*Example/s);
  });

  it.each([
    [
      { "my-model": [{ effectiveFrom: "2026-01-01", input: "-1", output: "0.1" }] },
      /model "my-model", price #1, input/,
    ],
    [{ "my-model": [{ effectiveFrom: "2026-01-01", input: 0.25, output: "0.1" }] }, /model "my-model".*input.*decimal/],
    [{ "my-model": [{ effectiveFrom: "2026-1-1", input: "1", output: "1" }] }, /model "my-model".*effectiveFrom/],
    [{ "my-model": [{ effectiveFrom: "2026-01-01", input: "1", ouput: "1" }] }, /model "my-model"/],
    [{ "my-model": [] }, /model "my-model".*at least one/],
    [
      {
        "my-model": [
          { effectiveFrom: "2026-01-01", input: "1", output: "1" },
          { effectiveFrom: "2026-01-01", input: "2", output: "2" },
        ],
      },
      /model "my-model".*two prices for 2026-01-01/,
    ],
    [["not", "a", "map"], /MODEL_PRICES is invalid/],
  ])("rejects %j naming the model", (json, message) => {
    expect(() => parseModelPricesEnv(JSON.stringify(json))).toThrow(message);
  });
});

describe("describePrice", () => {
  it("shows exact rates and the date they are from", () => {
    const price = findPrice({ model: "gpt-5-mini", at: TODAY });
    expect(price && describePrice(price)).toBe(
      "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07",
    );
  });

  it("names an override's source and an undated package price", () => {
    const o3 = findPrice({ model: "o3", at: TODAY });
    expect(o3 && describePrice(o3)).toBe(
      "o3: $2.00 / 1M input, $0.50 / 1M cached, $8.00 / 1M output, prices of 2025-06-10 from prices/overrides.json",
    );
    const nano = findPrice({ model: "gpt-5-nano", at: TODAY });
    expect(nano && describePrice(nano)).toBe(
      "gpt-5-nano: $0.05 / 1M input, $0.005 / 1M cached, $0.40 / 1M output, undated prices",
    );
  });
});

describe("packagePriceHistory", () => {
  it("gives every OpenAI model it can price a history in strict date order", () => {
    const ids = findProvider({ providerId: "openai" })?.models.map((model) => model.id) ?? [];
    const histories = ids.map((id) => packagePriceHistory(id)).filter((history) => history !== null);
    expect(histories.length).toBeGreaterThan(30);
    for (const { id, entries } of histories) {
      const dates = entries.map((entry) => entry.effectiveFrom);
      expect([id, dates]).toEqual([id, [...new Set(dates)].sort()]);
      for (const entry of entries) {
        const { effectiveFrom, perImage, ...rates } = entry;
        expect(perImage).toBeUndefined();
        for (const rate of Object.values(rates)) expect(Number.isSafeInteger(rate) && rate >= 0).toBe(true);
      }
    }
  });
});
