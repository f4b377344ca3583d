import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { describePrice } from "./prices";
import {
  guardCsvFormula,
  LEDGER_CSV_COLUMNS,
  type LedgerCsvEntry,
  lastUtcDays,
  ledgerCsv,
  microsToDecimal,
  rangeStart,
  sharePermille,
  snapshotPrice,
  spendPerDay,
  spendPerKind,
  spendPerModel,
  totalsPerMonth,
  usageExportParamsSchema,
  usagePageParamsSchema,
} from "./report";

describe("UTC days and ranges", () => {
  it("lists the 30 UTC days ending today, oldest first, whatever the local time of day", () => {
    const { days, start, end } = lastUtcDays({ now: new Date("2026-03-01T23:59:59.999Z"), count: 30 });
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("2026-01-31");
    expect(days.at(-1)).toBe("2026-03-01");
    expect(start.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  it("starts 30d at the first charted day, month at the 1st 00:00 UTC, and all time nowhere", () => {
    const now = new Date("2026-11-22T04:00:00Z");
    expect(rangeStart({ range: "30d", now })?.toISOString()).toBe("2026-10-24T00:00:00.000Z");
    expect(rangeStart({ range: "month", now })?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(rangeStart({ range: "all", now })).toBeNull();
  });

  it("falls back to the defaults for malformed page params, and refuses a wrong export range", () => {
    expect(usagePageParamsSchema.parse({})).toEqual({ range: "30d", page: 1 });
    expect(usagePageParamsSchema.parse({ range: "month", page: "3" })).toEqual({ range: "month", page: 3 });
    expect(usagePageParamsSchema.parse({ range: ["all", "30d"], page: "-1" })).toEqual({ range: "30d", page: 1 });
    expect(usagePageParamsSchema.parse({ range: "year", page: "2.5" })).toEqual({ range: "30d", page: 1 });
    expect(usageExportParamsSchema.parse({})).toEqual({ range: "all" });
    expect(usageExportParamsSchema.safeParse({ range: "7d" }).success).toBe(false);
  });
});

describe("sums", () => {
  it("sums spend per UTC day exactly and zero-fills the days without any", () => {
    const days = ["2026-11-20", "2026-11-21", "2026-11-22"];
    const result = spendPerDay(
      [
        { day: "2026-11-21", calls: 1, costMicros: 4442n },
        { day: "2026-11-21", calls: 2, costMicros: 223n },
        { day: "2026-11-22", calls: 1, costMicros: 1n },
        // Outside the window: ignored.
        { day: "2026-11-19", calls: 1, costMicros: 999n },
      ],
      days,
    );
    expect(result).toEqual([
      { day: "2026-11-20", calls: 0, costMicros: 0 },
      { day: "2026-11-21", calls: 3, costMicros: 4665 },
      { day: "2026-11-22", calls: 1, costMicros: 1 },
    ]);
  });

  it("sums per model, dearest first, and flags unpriced and estimated spend", () => {
    const group = { kind: "chat", promptTokens: 10, completionTokens: 1, isEstimated: false, isUnpriced: false };
    const result = spendPerModel([
      { ...group, key: "gpt-5-mini", calls: 1, costMicros: 4442n },
      { ...group, key: "gpt-5-mini", calls: 2, costMicros: 223n, isEstimated: true },
      { ...group, key: "llama3.2", calls: 1, costMicros: 0n, isUnpriced: true },
      { ...group, key: "gpt-5", calls: 1, costMicros: 9000n },
      // Emptied by a re-settlement (an estimate replaced by the call's own figures): not a flag, not a model.
      { ...group, key: "gpt-5", calls: 0, promptTokens: 0, completionTokens: 0, costMicros: 0n, isEstimated: true },
      { ...group, key: "o3", calls: 0, promptTokens: 0, completionTokens: 0, costMicros: 0n },
    ]);
    expect(result.map((m) => [m.model, m.calls, m.costMicros, m.hasEstimated, m.hasUnpriced])).toEqual([
      ["gpt-5", 1, 9000, false, false],
      ["gpt-5-mini", 3, 4665, true, false],
      ["llama3.2", 1, 0, false, true],
    ]);
    expect(result[1]?.promptTokens).toBe(20);
    expect(result.every((m) => m.kind === "chat")).toBe(true);
  });

  it("keeps each model's kind, and sums spend per kind over every kind, those without calls at zero", () => {
    const group = { promptTokens: 10, completionTokens: 1, isEstimated: false, isUnpriced: false };
    const models = spendPerModel([
      { ...group, key: "gpt-5-mini", kind: "chat", calls: 2, costMicros: 4665n },
      { ...group, key: "gpt-image-1", kind: "image", calls: 1, costMicros: 166_650n },
      { ...group, key: "gpt-image-1", kind: "image", calls: 1, costMicros: 42_000n, isEstimated: true },
      { ...group, key: "whisper-1", kind: "transcription", calls: 3, costMicros: 6200n, promptTokens: 0 },
    ]);
    expect(models.map((m) => [m.kind, m.model, m.calls, m.costMicros, m.hasEstimated])).toEqual([
      ["image", "gpt-image-1", 2, 208_650, true],
      ["transcription", "whisper-1", 3, 6200, false],
      ["chat", "gpt-5-mini", 2, 4665, false],
    ]);
    const kinds = spendPerKind([
      { ...group, key: "image", calls: 1, costMicros: 166_650n },
      { ...group, key: "chat", calls: 2, costMicros: 4665n },
      { ...group, key: "image", calls: 1, costMicros: 42_000n, isEstimated: true },
      { ...group, key: "completion", calls: 3, costMicros: 1_965n },
      // A kind a newer server wrote: not one of ours, left out.
      { ...group, key: "video", calls: 1, costMicros: 1n },
    ]);
    expect(kinds.map((k) => [k.kind, k.calls, k.costMicros, k.hasEstimated, k.hasUnpriced])).toEqual([
      ["chat", 2, 4665, false, false],
      ["transcription", 0, 0, false, false],
      ["image", 2, 208_650, true, false],
      ["completion", 3, 1_965, false, false],
    ]);
  });

  it("gives a share in tenths of a percent, rounded half-up in integers", () => {
    expect(sharePermille(1, 3)).toBe(333);
    expect(sharePermille(2, 3)).toBe(667);
    expect(sharePermille(208_650, 208_650 + 4665)).toBe(978);
    expect(sharePermille(1, 2000)).toBe(1);
    expect(sharePermille(1, 2001)).toBe(0);
    expect(sharePermille(0, 0)).toBe(0);
    expect(sharePermille(5, 5)).toBe(1000);
  });

  it("sums per UTC month, newest first, and leaves out a month whose only group has no calls", () => {
    const group = { calls: 1, promptTokens: 1, completionTokens: 2, isEstimated: false, isUnpriced: false };
    const result = totalsPerMonth([
      { ...group, day: "2026-10-31", costMicros: 100n, isEstimated: true },
      { ...group, day: "2026-11-01", costMicros: 4442n },
      { ...group, day: "2026-11-30", costMicros: 223n },
      { ...group, day: "2026-09-30", calls: 0, promptTokens: 0, completionTokens: 0, costMicros: 0n },
    ]);
    expect(result).toEqual([
      {
        month: "2026-11",
        calls: 2,
        promptTokens: 2,
        completionTokens: 4,
        costMicros: 4665,
        hasEstimated: false,
        hasUnpriced: false,
      },
      {
        month: "2026-10",
        calls: 1,
        promptTokens: 1,
        completionTokens: 2,
        costMicros: 100,
        hasEstimated: true,
        hasUnpriced: false,
      },
    ]);
  });

  it("keeps sums exact past the range of 32-bit integers and of float cents", () => {
    const sums = Array.from({ length: 3 }, () => ({ day: "2026-11-01", calls: 1, costMicros: 3_000_000_001n }));
    expect(spendPerDay(sums, ["2026-11-01"])[0]?.costMicros).toBe(9_000_000_003);
  });
});

describe("money as text", () => {
  it("writes micro-USD as an exact 6-decimal USD string", () => {
    expect(microsToDecimal(4442n)).toBe("0.004442");
    expect(microsToDecimal(223)).toBe("0.000223");
    expect(microsToDecimal(0n)).toBe("0.000000");
    expect(microsToDecimal(12_345_678_901n)).toBe("12345.678901");
    expect(microsToDecimal(2_000_000)).toBe("2.000000");
  });

  it("describes the snapshot price the way the chat does", () => {
    const price = snapshotPrice({
      model: "gpt-5-mini",
      inputPer1M: 250_000,
      cachedInputPer1M: 25_000,
      outputPer1M: 2_000_000,
      priceDate: "2025-08-07",
    });
    expect(price && describePrice(price)).toBe(
      "gpt-5-mini: $0.25 / 1M input, $0.025 / 1M cached, $2.00 / 1M output, prices of 2025-08-07",
    );
    expect(
      snapshotPrice({ model: "x", inputPer1M: null, cachedInputPer1M: null, outputPer1M: null, priceDate: null }),
    ).toBeNull();
  });
});

describe("ledger CSV", () => {
  const base: LedgerCsvEntry = {
    createdAt: new Date("2026-11-22T04:05:06.789Z"),
    kind: "chat",
    status: "settled",
    model: "gpt-5-mini",
    conversationId: "conv_1",
    conversationTitle: "Plan",
    promptTokens: 12_345,
    cachedTokens: 0,
    completionTokens: 678,
    reasoningTokens: 0,
    costMicros: 4442n,
    isEstimated: false,
    isUnpriced: false,
    inputPer1M: 250_000,
    cachedInputPer1M: 25_000,
    outputPer1M: 2_000_000,
    priceDate: "2025-08-07",
    audioSeconds: 0,
    audioTokens: 0,
    imageInputTokens: 0,
    imageOutputTokens: 0,
    images: 0,
    imageVariant: null,
    audioInputPer1M: null,
    imageInputPer1M: null,
    imageOutputPer1M: null,
    audioPerMinute: null,
    perImageMicros: null,
    source: "web",
  };

  it("starts with a BOM and the header, then one row per entry with exact amounts", () => {
    const text = ledgerCsv([base], { header: true });
    expect(text.startsWith("\uFEFFcreated_at,kind,status,model,conversation_id,")).toBe(true);
    expect(text.split("\r\n")[1]).toBe(
      "2026-11-22T04:05:06.789Z,chat,settled,gpt-5-mini,conv_1,Plan,12345,0,678,0,0.004442,4442,false,false," +
        "0.250000,0.025000,2.000000,2025-08-07,0,0,0,0,0,,,,,,,web",
    );
    expect(ledgerCsv([base], { header: false }).startsWith("2026-11-22T04:05:06.789Z,")).toBe(true);
    expect(ledgerCsv([], { header: true })).toBe(`\uFEFF${LEDGER_CSV_COLUMNS.join(",")}\r\n`);
  });

  it("quotes titles with commas, quotes, line breaks and keeps Chinese intact, round-tripping through a parser", () => {
    const titles = ['a, "quoted" title', "line one\nline two", "carriage\rreturn", "预算，报告", " padded "];
    const text = ledgerCsv(
      titles.map((conversationTitle) => ({ ...base, conversationTitle })),
      { header: true },
    );
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.conversation_title)).toEqual(titles);
  });

  it("defuses spreadsheet formulas with a leading apostrophe and leaves other text alone", () => {
    expect(guardCsvFormula('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(guardCsvFormula("+1")).toBe("'+1");
    expect(guardCsvFormula("-2+3")).toBe("'-2+3");
    expect(guardCsvFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(guardCsvFormula("\tx")).toBe("'\tx");
    expect(guardCsvFormula("plain = text")).toBe("plain = text");
    const text = ledgerCsv([{ ...base, conversationTitle: "=1+1", model: "@model" }], { header: true });
    const [row] = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(row?.conversation_title).toBe("'=1+1");
    expect(row?.model).toBe("'@model");
  });

  it("leaves the cost empty when it is unknown (unpriced, or reserved and not settled yet), never $0", () => {
    const unpriced = {
      ...base,
      isUnpriced: true,
      costMicros: 0n,
      inputPer1M: null,
      cachedInputPer1M: null,
      outputPer1M: null,
      priceDate: null,
    };
    const rows = parse(
      ledgerCsv(
        [
          unpriced,
          { ...base, status: "reserved", costMicros: 0n },
          { ...base, status: "released", costMicros: 0n },
          { ...base, conversationId: null, conversationTitle: null },
        ],
        { header: true },
      ),
      { bom: true, columns: true },
    ) as Record<string, string>[];
    expect(rows.map((r) => [r.cost_usd, r.cost_micros, r.is_unpriced, r.price_input_per_1m_usd])).toEqual([
      ["", "", "true", ""],
      ["", "", "false", "0.250000"],
      ["0.000000", "0", "false", "0.250000"],
      ["0.004442", "4442", "false", "0.250000"],
    ]);
    expect(rows[3]?.conversation_id).toBe("");
  });

  it("appends each media call's units and unit prices, exact, after the columns that were there before", () => {
    expect(LEDGER_CSV_COLUMNS.slice(0, 18).at(-1)).toBe("price_date");
    expect(LEDGER_CSV_COLUMNS.slice(18, 29).join(",")).toBe(
      "audio_seconds,audio_tokens,image_input_tokens,image_output_tokens,images,image_variant," +
        "price_audio_input_per_1m_usd,price_image_input_per_1m_usd,price_image_output_per_1m_usd," +
        "price_audio_per_minute_usd,price_per_image_usd",
    );
    const whisper = {
      ...base,
      kind: "transcription",
      model: "whisper-1",
      promptTokens: 0,
      completionTokens: 0,
      costMicros: 1200n,
      inputPer1M: null,
      cachedInputPer1M: null,
      outputPer1M: null,
      priceDate: "0001-01-01",
      audioSeconds: 12,
      audioPerMinute: 6000,
    };
    const dallE = {
      ...whisper,
      kind: "image",
      model: "dall-e-3",
      costMicros: 160_000n,
      audioSeconds: 0,
      audioPerMinute: null,
      images: 2,
      imageVariant: "1024x1024/hd",
      perImageMicros: 80_000,
    };
    const gptImage = {
      ...base,
      kind: "image",
      model: "gpt-image-1",
      promptTokens: 50,
      completionTokens: 0,
      costMicros: 166_650n,
      inputPer1M: 5_000_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 40_000_000,
      imageInputPer1M: 10_000_000,
      imageOutputPer1M: 40_000_000,
      imageOutputTokens: 4160,
      images: 1,
      imageVariant: "1024x1024/high",
    };
    const lines = ledgerCsv([whisper, dallE, gptImage], { header: false }).split("\r\n");
    expect(lines[0]).toBe(
      "2026-11-22T04:05:06.789Z,transcription,settled,whisper-1,conv_1,Plan,0,0,0,0,0.001200,1200,false,false,,,," +
        "0001-01-01,12,0,0,0,0,,,,,0.006000,,web",
    );
    expect(lines[1]).toBe(
      "2026-11-22T04:05:06.789Z,image,settled,dall-e-3,conv_1,Plan,0,0,0,0,0.160000,160000,false,false,,,," +
        "0001-01-01,0,0,0,0,2,1024x1024/hd,,,,,0.080000,web",
    );
    expect(lines[2]).toBe(
      "2026-11-22T04:05:06.789Z,image,settled,gpt-image-1,conv_1,Plan,50,0,0,0,0.166650,166650,false,false," +
        "5.000000,1.250000,40.000000,2025-08-07,0,0,0,4160,1,1024x1024/high,,10.000000,40.000000,,,web",
    );
  });

  it("ends each row with where the call was asked for: the web app or a messaging channel", () => {
    expect(LEDGER_CSV_COLUMNS.at(-1)).toBe("source");
    const rows = parse(ledgerCsv([base, { ...base, source: "telegram" }], { header: true }), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(rows.map((row) => row.source)).toEqual(["web", "telegram"]);
  });
});
