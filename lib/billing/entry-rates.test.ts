import { describe, expect, it } from "vitest";
import { describeRates, type EntryRateColumns, entryPrice, entryRates, findRates } from "./prices";

// A ledger entry keeps its own copy of every unit price it was charged at (lib/db/ledger.ts priceColumns): these
// rebuild and describe them, as the ledger table's tooltip and a message's cost show them.
const none = {
  inputPer1M: null,
  cachedInputPer1M: null,
  outputPer1M: null,
  audioInputPer1M: null,
  imageInputPer1M: null,
  imageOutputPer1M: null,
  audioPerMinute: null,
  perImageMicros: null,
  imageVariant: null,
  priceDate: null,
  isUnpriced: false,
};
const entry = (columns: Partial<EntryRateColumns> & { model: string }): EntryRateColumns => ({ ...none, ...columns });

describe("entryRates", () => {
  it("rebuilds an image entry's token prices from its own columns, not today's", () => {
    const rates = entryRates(
      entry({
        model: "gpt-image-1",
        inputPer1M: 5_000_000,
        cachedInputPer1M: 1_250_000,
        outputPer1M: 40_000_000,
        imageInputPer1M: 10_000_000,
        imageOutputPer1M: 40_000_000,
        imageVariant: "1024x1024/high",
        priceDate: "2025-04-23",
      }),
    );
    expect(rates).toEqual({
      model: "gpt-image-1",
      effectiveFrom: "2025-04-23",
      source: "package",
      inputPer1M: 5_000_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 40_000_000,
      imageInputPer1M: 10_000_000,
      imageOutputPer1M: 40_000_000,
    });
    expect(rates && describeRates(rates)).toBe(
      "gpt-image-1: $5.00 / 1M text in, $10.00 / 1M image in, $40.00 / 1M image out, prices of 2025-04-23",
    );
  });

  it("gives a per-image entry the price of its own size and quality", () => {
    const rates = entryRates(
      entry({ model: "dall-e-3", perImageMicros: 80_000, imageVariant: "1024x1024/hd", priceDate: "2023-11-06" }),
    );
    expect(rates?.perImage).toEqual({ "1024x1024/hd": 80_000 });
    expect(rates && describeRates(rates)).toBe("dall-e-3: $0.08 / image 1024x1024 hd, prices of 2023-11-06");
  });

  it("describes whisper-1 per minute and a transcribe model by its text and audio tokens", () => {
    const whisper = entryRates(entry({ model: "whisper-1", audioPerMinute: 6_000 }));
    expect(whisper && describeRates(whisper)).toBe("whisper-1: $0.006 / minute, undated prices");
    const transcribe = entryRates(
      entry({
        model: "gpt-4o-mini-transcribe",
        inputPer1M: 1_250_000,
        cachedInputPer1M: 1_250_000,
        outputPer1M: 5_000_000,
        audioInputPer1M: 3_000_000,
      }),
    );
    expect(transcribe && describeRates(transcribe)).toBe(
      "gpt-4o-mini-transcribe: $1.25 / 1M text in, $3.00 / 1M audio in, $5.00 / 1M text out, undated prices",
    );
    // Only a chat price is a chat price: the transcript's rates alone would not say what the audio cost.
    expect(entryPrice(entry({ model: "whisper-1", audioPerMinute: 6_000 }))).toBeNull();
  });

  it("describes a chat entry exactly as describePrice always has", () => {
    const rates = entryRates(
      entry({
        model: "gpt-5-mini",
        inputPer1M: 250_000,
        cachedInputPer1M: 25_000,
        outputPer1M: 2_000_000,
        priceDate: "2025-08-07",
      }),
    );
    expect(rates && describeRates(rates)).toBe(
      "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07",
    );
  });

  it("is null for an unpriced entry, and for one without any price copy", () => {
    expect(
      entryRates(entry({ model: "dall-e-3", perImageMicros: 80_000, imageVariant: "1024x1024/hd", isUnpriced: true })),
    ).toBeNull();
    expect(entryRates(entry({ model: "llama3.2" }))).toBeNull();
    // A per-image price needs the variant it is the price of.
    expect(entryRates(entry({ model: "dall-e-3", perImageMicros: 80_000 }))).toBeNull();
  });
});

describe("describeRates of today's prices", () => {
  it.each([
    ["whisper-1", "whisper-1: $0.006 / minute, undated prices"],
    [
      "gpt-4o-transcribe",
      "gpt-4o-transcribe: $2.50 / 1M text in, $6.00 / 1M audio in, $10.00 / 1M text out, undated prices",
    ],
    [
      "gpt-image-1.5",
      "gpt-image-1.5: $5.00 / 1M text in, $8.00 / 1M image in, $32.00 / 1M image out, prices of 2025-12-16",
    ],
    [
      "dall-e-2",
      "dall-e-2: $0.016 / image 256x256 standard, $0.018 / image 512x512 standard, $0.02 / image 1024x1024 standard, " +
        "prices of 2022-11-03 from prices/overrides.json",
    ],
  ])("%s", (model, text) => {
    const rates = findRates({ model, at: "2026-12-01" });
    expect(rates && describeRates(rates)).toBe(text);
  });
});
