import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import type { TestDatabase } from "./db";
import { expect, test } from "./fixtures";

// One ledger for every kind of spend: a user's chat, transcription and image entries (seeded in the database as the
// app writes them, with their units and price copies, and the usage rollup and running totals that sum them), seen by
// the usage page's By-kind breakdown, its ledger rows and the CSV. The transcription and image routes have specs of
// their own; this one needs none of them.

type Entry = {
  kind: "chat" | "transcription" | "image";
  model: string;
  costMicros: number;
  isEstimated?: boolean;
  isUnpriced?: boolean;
  /** The entry's other columns as the app writes them: tokens and other units, the unit prices it was charged. */
  units: Record<string, number | string>;
};

// Newest first, as the ledger lists them; costs in micro-USD, each as its unit prices make it.
const ENTRIES: Entry[] = [
  // No known price: its cost is unknown, not zero.
  {
    kind: "image",
    model: "my-image-model",
    costMicros: 0,
    isUnpriced: true,
    units: { promptTokens: 9, images: 1, imageVariant: "1024x1024/standard" },
  },
  // $0.08 per 1024x1024 hd image.
  {
    kind: "image",
    model: "dall-e-3",
    costMicros: 80_000,
    units: {
      promptTokens: 9,
      images: 1,
      imageVariant: "1024x1024/hd",
      perImageMicros: 80_000,
      priceDate: "2023-11-06",
    },
  },
  // 50 text tokens × $5 + 8,320 image tokens × $40 per 1M = 250 + 332,800.
  {
    kind: "image",
    model: "gpt-image-1",
    costMicros: 333_050,
    units: {
      promptTokens: 50,
      imageOutputTokens: 8320,
      images: 2,
      imageVariant: "1024x1024/high",
      inputPer1M: 5_000_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 40_000_000,
      imageInputPer1M: 10_000_000,
      imageOutputPer1M: 40_000_000,
      priceDate: "0001-01-01",
    },
  },
  // 61 s measured (no usage reported) at $0.006 a minute: estimated.
  {
    kind: "transcription",
    model: "whisper-1",
    costMicros: 6100,
    isEstimated: true,
    units: { audioSeconds: 61, audioPerMinute: 6000, priceDate: "0001-01-01" },
  },
  // 12 text × $1.25 + 157 audio × $3 + 33 transcript × $5 per 1M = 15 + 471 + 165.
  {
    kind: "transcription",
    model: "gpt-4o-mini-transcribe",
    costMicros: 651,
    units: {
      promptTokens: 12,
      completionTokens: 33,
      audioSeconds: 12,
      audioTokens: 157,
      inputPer1M: 1_250_000,
      cachedInputPer1M: 1_250_000,
      outputPer1M: 5_000_000,
      audioInputPer1M: 3_000_000,
      priceDate: "0001-01-01",
    },
  },
  {
    kind: "chat",
    model: "gpt-5-mini",
    costMicros: 4442,
    units: {
      promptTokens: 12_345,
      completionTokens: 678,
      inputPer1M: 250_000,
      cachedInputPer1M: 25_000,
      outputPer1M: 2_000_000,
      priceDate: "2025-08-07",
    },
  },
];

/** A timestamp as the app stores it (Prisma's SQLite adapter writes ISO 8601 with "+00:00"; PostgreSQL reads it). */
const timestamp = (date: Date) => date.toISOString().replace("Z", "+00:00");

/** The entries, settled, and what the app keeps beside them: the usage rollup's rows and the month's running total. */
async function seedLedger(db: TestDatabase, userId: string, now: Date) {
  const rollup = new Map<
    string,
    { day: string; entry: Entry; calls: number; prompt: number; completion: number; cost: number }
  >();
  for (const [index, entry] of ENTRIES.entries()) {
    const createdAt = new Date(now.getTime() - (index + 1) * 1000);
    const { kind, model, costMicros, isEstimated = false, isUnpriced = false, units } = entry;
    const columns = Object.keys(units);
    await db.query(
      `INSERT INTO "LedgerEntry" ("id", "userId", "kind", "status", "model", "costMicros", "isEstimated", "isUnpriced",
        "createdAt", "settledAt"${columns.map((column) => `, "${column}"`).join("")})
       VALUES ($1, $2, $3, 'settled', $4, $5, $6, $7, $8, $8${columns.map((_, i) => `, $${i + 9}`).join("")})`,
      [
        randomUUID(),
        userId,
        kind,
        model,
        costMicros,
        isEstimated,
        isUnpriced,
        timestamp(createdAt),
        ...Object.values(units),
      ],
    );
    const day = createdAt.toISOString().slice(0, 10);
    const key = [day, kind, model, isEstimated, isUnpriced].join(" ");
    const row = rollup.get(key) ?? { day, entry, calls: 0, prompt: 0, completion: 0, cost: 0 };
    row.calls += 1;
    row.prompt += Number(units.promptTokens ?? 0);
    row.completion += Number(units.completionTokens ?? 0);
    row.cost += costMicros;
    rollup.set(key, row);
  }
  for (const { day, entry, calls, prompt, completion, cost } of rollup.values()) {
    await db.query(
      `INSERT INTO "UsageDay" ("userId", "day", "kind", "model", "isEstimated", "isUnpriced", "calls", "promptTokens",
        "completionTokens", "costMicros") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        userId,
        day,
        entry.kind,
        entry.model,
        entry.isEstimated ?? false,
        entry.isUnpriced ?? false,
        calls,
        prompt,
        completion,
        cost,
      ],
    );
  }
  const spent = ENTRIES.reduce((sum, entry) => sum + entry.costMicros, 0);
  await db.query(
    `INSERT INTO "SpendCounter" ("scope", "month", "settledMicros", "reservedMicros") VALUES ($1, $2, $3, 0)`,
    [`user:${userId}`, now.toISOString().slice(0, 7), spent],
  );
}

function ledgerRows(page: Page) {
  return page
    .getByRole("region", { name: /^Ledger|^账目/ })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
}

test("the usage page, its CSV and settings show every kind of spend with its units, exactly", async ({
  page,
  db,
  account,
}) => {
  // A second before the seeded entries' first, so they are all in today's 30 days whatever the hour.
  const now = new Date();
  await seedLedger(db, account.id, now);
  // 0.5 MB of images kept for this user.
  const image = randomBytes(512 * 1024);
  await db.query(
    `INSERT INTO "StoredFile" ("id", "userId", "origin", "mimeType", "size", "sha256", "data", "createdAt")
     VALUES ($1, $2, 'generated', 'image/png', $3, $4, $5, $6)`,
    [randomBytes(18).toString("base64url"), account.id, image.byteLength, "0".repeat(64), image, timestamp(now)],
  );

  await page.goto("/usage");
  // By kind: every kind's calls, exact spend and share of the priced spend (424,243 micro-USD), flags as in totals.
  const byKind = page.getByRole("region", { name: "Spend by kind, last 30 days" });
  const kindRow = (name: string) => byKind.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(kindRow("Chat").getByRole("cell")).toHaveText(["1", "$0.004442", "1%"]);
  await expect(kindRow("Voice").getByRole("cell")).toHaveText(["2", "$0.006751estimated", "1.6%"]);
  await expect(kindRow("Images").getByRole("cell")).toHaveText(["3", "$0.4131+unpriced", "97.4%"]);
  // Per model, each model's spend as before, media models among them.
  const perModel = page.getByRole("figure", { name: "Spend per model, last 30 days" });
  await expect(perModel).toContainText("the most on gpt-image-1 ($0.3331)");

  // The ledger: each entry's kind with its units in words, its cost and flags, its unit prices in the tooltip.
  const rows = ledgerRows(page);
  await expect(rows).toHaveCount(ENTRIES.length);
  await expect(rows.getByRole("cell").nth(1)).toHaveText("image · 1 × 1024x1024 standard");
  const kindCells = await Promise.all(
    ENTRIES.map((_, index) => rows.nth(index).getByRole("cell").nth(1).textContent()),
  );
  expect(kindCells).toEqual([
    "image · 1 × 1024x1024 standard",
    "image · 1 × 1024x1024 hd",
    "image · 2 × 1024x1024 high · 8,320 image tokens",
    "voice · 1:01",
    "voice · 0:12 · 157 audio tokens",
    "chat",
  ]);
  const costCell = (index: number) => rows.nth(index).getByRole("cell").last();
  await expect(costCell(0)).toHaveText("unpriced");
  await expect(costCell(1)).toHaveText("$0.08");
  await expect(costCell(3)).toHaveText("$0.006100estimated");
  await expect(costCell(2).getByText("$0.3331")).toHaveAttribute(
    "title",
    "Exactly $0.333050\ngpt-image-1: $5.00 / 1M text in, $10.00 / 1M image in, $40.00 / 1M image out, undated prices",
  );
  await expect(costCell(1).getByText("$0.08")).toHaveAttribute(
    "title",
    "Exactly $0.080000\ndall-e-3: $0.08 / image 1024x1024 hd, prices of 2023-11-06",
  );
  await expect(costCell(3).getByText("$0.006100")).toHaveAttribute(
    "title",
    /whisper-1: \$0\.006 \/ minute, undated prices$/,
  );

  // The CSV: the columns that were there, then the media units and unit prices, exact decimals.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = fs.readFileSync(await download.path(), "utf8");
  const [headerLine = ""] = text.replace(/^\uFEFF/, "").split("\r\n");
  const header = headerLine.split(",");
  expect(header.slice(17).join(",")).toBe(
    "price_date,audio_seconds,audio_tokens,image_input_tokens,image_output_tokens,images,image_variant," +
      "price_audio_input_per_1m_usd,price_image_input_per_1m_usd,price_image_output_per_1m_usd," +
      "price_audio_per_minute_usd,price_per_image_usd,source",
  );
  const csv = parse(text, { bom: true, columns: true }) as Record<string, string>[];
  // Kind, model, cost, the appended columns, flags: one line per entry, oldest first.
  const media = (row: Record<string, string>) =>
    [
      row.kind,
      row.model,
      row.cost_usd,
      ...header.slice(18).map((column) => row[column]),
      row.is_estimated,
      row.is_unpriced,
    ].join(",");
  expect(csv.map(media)).toEqual([
    "chat,gpt-5-mini,0.004442,0,0,0,0,0,,,,,,,web,false,false",
    "transcription,gpt-4o-mini-transcribe,0.000651,12,157,0,0,0,,3.000000,,,,,web,false,false",
    "transcription,whisper-1,0.006100,61,0,0,0,0,,,,,0.006000,,web,true,false",
    "image,gpt-image-1,0.333050,0,0,0,8320,2,1024x1024/high,,10.000000,40.000000,,,web,false,false",
    "image,dall-e-3,0.080000,0,0,0,0,1,1024x1024/hd,,,,,0.080000,web,false,false",
    "image,my-image-model,,0,0,0,0,1,1024x1024/standard,,,,,,web,false,true",
  ]);
  expect(csv[3]).toMatchObject({
    prompt_tokens: "50",
    price_input_per_1m_usd: "5.000000",
    price_output_per_1m_usd: "40.000000",
  });

  // Settings: the images kept against the quota.
  await page.goto("/settings");
  await expect(page.getByText("Images stored: 0.5 MB of 500 MB")).toBeVisible();

  // Once in Chinese.
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: page.url() }]);
  await page.goto("/usage");
  const byKindZh = page.getByRole("region", { name: "各类型花费，最近 30 天" });
  await expect(byKindZh.getByRole("rowheader")).toHaveText(["对话", "语音", "图像", "补全"]);
  await expect(ledgerRows(page).nth(2).getByRole("cell").nth(1)).toHaveText(
    "图像 · 2 × 1024x1024 高 · 8,320 图像 tokens",
  );
  await expect(ledgerRows(page).nth(4).getByRole("cell").nth(1)).toHaveText("语音 · 0:12 · 157 音频 tokens");
});
