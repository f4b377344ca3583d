import { describe, expect, it } from "vitest";
import type { StoredMessage } from "@/lib/db/conversations";
import { storedCost } from "./stored-messages";

type Entry = NonNullable<StoredMessage["ledgerEntry"]>;

// The columns storedCost reads; the rest of a ledger entry does not change what a message's cost says.
const columns = {
  model: "gpt-image-1",
  status: "settled",
  kind: "image",
  costMicros: 166_650n,
  promptTokens: 50,
  completionTokens: 0,
  isEstimated: false,
  isUnpriced: false,
  inputPer1M: 5_000_000,
  cachedInputPer1M: 1_250_000,
  outputPer1M: 40_000_000,
  audioInputPer1M: null,
  imageInputPer1M: 10_000_000,
  imageOutputPer1M: 40_000_000,
  audioPerMinute: null,
  perImageMicros: null,
  imageVariant: "1024x1024/high",
  priceDate: "2025-04-23",
};
const entry = (overrides: Partial<typeof columns> = {}) => ({ ...columns, ...overrides }) as unknown as Entry;

describe("storedCost", () => {
  it("describes an image reply's cost by the unit prices its entry was charged", () => {
    expect(storedCost(entry())).toEqual({
      micros: 166_650,
      promptTokens: 50,
      completionTokens: 0,
      isEstimated: false,
      isUnpriced: false,
      price: "gpt-image-1: $5.00 / 1M text in, $10.00 / 1M image in, $40.00 / 1M image out, prices of 2025-04-23",
    });
    const dallE = entry({
      model: "dall-e-3",
      costMicros: 80_000n,
      inputPer1M: null,
      cachedInputPer1M: null,
      outputPer1M: null,
      imageInputPer1M: null,
      imageOutputPer1M: null,
      perImageMicros: 80_000,
      imageVariant: "1024x1024/hd",
      priceDate: "2023-11-06",
    } as never);
    expect(storedCost(dallE)?.price).toBe("dall-e-3: $0.08 / image 1024x1024 hd, prices of 2023-11-06");
  });

  it("keeps a chat reply's description, and says nothing of a released or unpriced one's price", () => {
    const chat = entry({
      model: "gpt-5-mini",
      kind: "chat",
      inputPer1M: 250_000,
      cachedInputPer1M: 25_000,
      outputPer1M: 2_000_000,
      imageInputPer1M: null,
      imageOutputPer1M: null,
      imageVariant: null,
      priceDate: "2025-08-07",
    } as never);
    expect(storedCost(chat)?.price).toBe(
      "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07",
    );
    expect(storedCost(entry({ status: "released" }))).toBeUndefined();
    expect(storedCost(entry({ isUnpriced: true }))?.price).toBeNull();
  });
});
