// The large user the benchmarks share (issue 10): 10,000 conversations, 500,000 messages and 500,000 settled ledger
// entries, seeded in bulk with multi-row inserts around the app, then the usage rollup and the budget's running totals
// rebuilt by the app's own maintenance function (recountSpendCounters), as after a restore.
//
//   conversations  the first is the long one: 1,000 messages (Markdown replies ~2 kB, every 50th reply regenerated, so
//                  its branch is a real tree), the most recently active; 5 pinned; the rest share the other messages
//                  (short alternating turns), their last activity spread back over a year
//   ledger         one settled entry per assistant reply (the long conversation's first), then entries without a
//                  message; half of them this UTC month (up to a minute ago), half more than 31 days ago, so the
//                  usage page's 30-day and monthly views both hold exactly the half of this month
//
// As a script (`npm run bench:seed -- --db URL --out FILE [--quick]`, with `--conditions=react-server`) it seeds a
// migrated database and writes what it made (LargeUser, JSON) to FILE, for scripts/bench.ts; the benchmarks run alone
// call seedLargeUser themselves on their fresh database.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { openDatabase, type TestDatabase } from "../e2e/db";
import { mulberry32 } from "../test/random-text";
import { insertRows, insertUser } from "./bench-app";

export type SeedSize = {
  conversations: number;
  /** All of the user's messages, the long conversation's included. */
  messages: number;
  /** Settled ledger entries, half of them this month. */
  entries: number;
  /** The long conversation's messages on its branch. */
  longMessages: number;
};

/** The sizes. */
export const FULL_SIZE: SeedSize = { conversations: 10_000, messages: 500_000, entries: 500_000, longMessages: 1_000 };
/** A smoke run's: a tenth, with the same long conversation (it is cheap). */
export const QUICK_SIZE: SeedSize = { conversations: 1_000, messages: 50_000, entries: 50_000, longMessages: 1_000 };

/** What was seeded, as the benchmarks need it (JSON-safe: micro-USD as a decimal string). */
export type LargeUser = {
  id: string;
  email: string;
  size: SeedSize;
  /** The long conversation, and the opening words of its latest reply (what its page must show). */
  longConversationId: string;
  longLatestWords: string;
  /** Messages stored in the long conversation, regenerated versions included. */
  longStoredMessages: number;
  entriesThisMonth: number;
  /** micro-USD settled this month. */
  settledMicrosThisMonth: string;
  seededMs: number;
};

/** micro-USD per 1M tokens; null: an unpriced model (its cost is unknown, not zero). */
export const MODELS = [
  { model: "gpt-5-mini", input: 250_000, cached: 25_000, output: 2_000_000 },
  { model: "gpt-5", input: 1_250_000, cached: 125_000, output: 10_000_000 },
  { model: "gpt-4.1", input: 2_000_000, cached: 500_000, output: 8_000_000 },
  { model: "gpt-4o-mini", input: 150_000, cached: 75_000, output: 600_000 },
  { model: "llama3.2", input: null, cached: null, output: null },
] as const;

/** micro-USD: far above what is seeded, so admission and the meter do their full work. */
export const LARGE_BUDGET_MICROS = 1_000_000_000_000;

const PINNED = 5;
const BATCH_ROWS = 20_000;

const WORDS = (
  "the ledger keeps one entry per call with tokens and cost so history never changes when prices do we planned a " +
  "budget review for next quarter summarise the meeting notes and list the action items generics make a function " +
  "work for many types while keeping them checked a hash map stores keys in buckets chosen by their hash postgres " +
  "and sqlite both speak sql but differ in how they lock rows and how they scale"
).split(" ");

export function sentence(next: () => number, words: number): string {
  const text = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)] ?? "").join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next: () => number): string {
  return Array.from({ length: 2 + Math.floor(next() * 4) }, () => sentence(next, 8 + Math.floor(next() * 14))).join(
    " ",
  );
}

/** A reply as a model writes one: a heading, paragraphs, a list, and now and then code or a table (~1.5–3 kB). */
export function markdownReply(next: () => number, index: number): string {
  const parts = [`## ${sentence(next, 4).slice(0, -1)}`, paragraph(next)];
  parts.push(
    Array.from({ length: 3 + Math.floor(next() * 3) }, () => `- **${sentence(next, 2)}** ${sentence(next, 10)}`).join(
      "\n",
    ),
  );
  if (index % 3 === 0) {
    parts.push(
      [
        "```ts",
        `export function total${index}(entries: { costMicros: bigint }[]): bigint {`,
        "  // micro-USD, summed exactly",
        "  return entries.reduce((sum, entry) => sum + entry.costMicros, 0n);",
        "}",
        "```",
      ].join("\n"),
    );
  }
  if (index % 5 === 0) {
    parts.push(
      [
        "| model | input | output |",
        "| --- | ---: | ---: |",
        "| gpt-5-mini | 0.25 | 2.00 |",
        "| gpt-5 | 1.25 | 10.00 |",
      ].join("\n"),
    );
  }
  parts.push(paragraph(next));
  return parts.join("\n\n");
}

/** A timestamp as the app stores it (Prisma's SQLite adapter writes ISO 8601 with "+00:00"; PostgreSQL reads it). */
export const stamp = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

const MESSAGE_COLUMNS = [
  "id",
  "conversationId",
  "parentId",
  "role",
  "content",
  "model",
  "promptTokens",
  "completionTokens",
  "finishReason",
  "createdAt",
];

const LEDGER_COLUMNS = [
  "id",
  "userId",
  "kind",
  "status",
  "conversationId",
  "messageId",
  "model",
  "promptTokens",
  "cachedTokens",
  "completionTokens",
  "costMicros",
  "isEstimated",
  "isUnpriced",
  "inputPer1M",
  "cachedInputPer1M",
  "outputPer1M",
  "priceDate",
  "createdAt",
  "settledAt",
];

/** Rows inserted BATCH_ROWS at a time, so half a million never sit in memory at once; `before` runs before each. */
function batcher(db: TestDatabase, table: string, columns: string[], before?: () => Promise<void>) {
  const rows: unknown[][] = [];
  const flush = async () => {
    await before?.();
    await insertRows(db, table, columns, rows.splice(0));
  };
  return {
    async add(row: unknown[]) {
      rows.push(row);
      if (rows.length >= BATCH_ROWS) await flush();
    },
    flush,
  };
}

/** The assistant replies the ledger entries pay for, in seeding order. */
type Reply = { id: string; conversationId: string };

/**
 * Seeds the large user on a migrated database whose URL is `databaseUrl` (`db` opened on it), then rebuilds the usage
 * rollup and running totals through the app's modules (so the caller runs with `--conditions=react-server`, with the
 * Prisma client generated for this database's kind).
 */
export async function seedLargeUser(
  db: TestDatabase,
  databaseUrl: string,
  { size = FULL_SIZE, now = Date.now() }: { size?: SeedSize; now?: number } = {},
): Promise<LargeUser> {
  const started = performance.now();
  if (!/^postgres/i.test(databaseUrl)) {
    // As the app runs it (WAL); and this connection need not wait for the disk at each of its hundreds of inserts.
    await db.query("PRAGMA journal_mode = WAL");
    await db.query("PRAGMA synchronous = OFF");
  }
  const { id: userId, email } = await insertUser(db, { budgetMicros: LARGE_BUDGET_MICROS, prefix: "bench-large" });
  const next = mulberry32(7);
  const replies: Reply[] = [];
  const conversations = batcher(db, "Conversation", [
    "id",
    "userId",
    "title",
    "model",
    "createdAt",
    "updatedAt",
    "pinnedAt",
    "activeLeafId",
  ]);
  // A message's conversation is a foreign key: the conversations go in before each batch of messages.
  const messages = batcher(db, "Message", MESSAGE_COLUMNS, conversations.flush);
  const addMessage = async (
    conversationId: string,
    parentId: string | null,
    role: string,
    content: string,
    at: number,
    id: string = randomUUID(),
  ) => {
    const isReply = role === "assistant";
    await messages.add([
      id,
      conversationId,
      parentId,
      role,
      content,
      isReply ? "gpt-5-mini" : null,
      isReply ? 900 : null,
      isReply ? Math.round(content.length / 4) : null,
      isReply ? "stop" : null,
      stamp(at),
    ]);
    if (isReply) replies.push({ id, conversationId });
    return id;
  };

  // The long conversation: the latest activity, a minute ago. Its leaf's id is known up front, as the row goes first.
  const longConversationId = randomUUID();
  const longStart = now - 60_000 - size.longMessages * 60_000;
  const longLeaf = randomUUID();
  await conversations.add([
    longConversationId,
    userId,
    "A long conversation",
    "gpt-5-mini",
    stamp(longStart),
    stamp(now - 60_000),
    null,
    size.longMessages > 0 ? longLeaf : null,
  ]);
  let parentId: string | null = null;
  let longLatest = "";
  let longStored = 0;
  for (let index = 0; index < size.longMessages; index++) {
    const at = longStart + index * 60_000;
    const id = index === size.longMessages - 1 ? longLeaf : randomUUID();
    if (index % 2 === 0) {
      parentId = await addMessage(
        longConversationId,
        parentId,
        "user",
        sentence(next, 6 + Math.floor(next() * 30)),
        at,
        id,
      );
      longStored++;
      continue;
    }
    // Every 50th reply was regenerated: its older version is a sibling off the branch.
    if (index % 50 === 1) {
      await addMessage(longConversationId, parentId, "assistant", markdownReply(next, index), at - 30_000);
      longStored++;
    }
    longLatest = markdownReply(next, index);
    parentId = await addMessage(longConversationId, parentId, "assistant", longLatest, at, id);
    longStored++;
  }

  // The others share the remaining messages, short turns; one every ~50 minutes back over a year for 10,000.
  const others = size.conversations - 1;
  const remaining = Math.max(0, size.messages - longStored);
  const spacing = Math.floor((365 * 24 * 3_600_000) / Math.max(1, others));
  for (let c = 1; c <= others; c++) {
    const id = randomUUID();
    const count = Math.floor((remaining * c) / others) - Math.floor((remaining * (c - 1)) / others);
    const updatedAt = now - 120_000 - c * spacing;
    const leaf = randomUUID();
    const title = `${sentence(next, 3 + Math.floor(next() * 4)).slice(0, -1)} ${c}`;
    const pinnedAt = c <= PINNED ? stamp(now - c * 86_400_000) : null;
    await conversations.add([
      id,
      userId,
      title,
      "gpt-5-mini",
      stamp(updatedAt - count * 30_000),
      stamp(updatedAt),
      pinnedAt,
      count > 0 ? leaf : null,
    ]);
    let previous: string | null = null;
    for (let index = 0; index < count; index++) {
      const role = index % 2 === 0 ? "user" : "assistant";
      const content = sentence(next, role === "user" ? 6 + Math.floor(next() * 10) : 12 + Math.floor(next() * 20));
      const at = updatedAt - (count - index) * 30_000;
      previous = await addMessage(id, previous, role, content, at, index === count - 1 ? leaf : randomUUID());
    }
  }
  await conversations.flush();
  await messages.flush();

  const { entriesThisMonth, settledMicrosThisMonth } = await seedLedger(db, { userId, replies, size, now });

  // The app's own rebuild of the rollup and the running totals, on this database.
  process.env.DATABASE_URL = databaseUrl;
  const { recountSpendCounters } = await import("../lib/db/ledger");
  await recountSpendCounters({ userIds: [userId] });
  // PostgreSQL's autovacuum would have analyzed tables this size by now; SQLite has no statistics unless asked for,
  // and the app never asks, so it plans without them.
  if (/^postgres/i.test(databaseUrl)) await db.query("ANALYZE");

  return {
    id: userId,
    email,
    size,
    longConversationId,
    longLatestWords: longLatest.split("\n")[0]?.slice(3) ?? "",
    longStoredMessages: longStored,
    entriesThisMonth,
    settledMicrosThisMonth: String(settledMicrosThisMonth),
    seededMs: Math.round(performance.now() - started),
  };
}

/**
 * The large user of the database `npm run bench` seeded (`--seeded`), or, for a benchmark run alone, seeded now into
 * its fresh database at `size`.
 */
export async function largeUserOf({
  seeded,
  databaseUrl,
  size,
}: {
  seeded: { user: LargeUser } | undefined;
  databaseUrl: string;
  size: SeedSize;
}): Promise<LargeUser> {
  if (seeded) return seeded.user;
  const db = openDatabase(databaseUrl);
  try {
    return await seedLargeUser(db, databaseUrl, { size });
  } finally {
    await db.close();
  }
}

async function seedLedger(
  db: TestDatabase,
  { userId, replies, size, now }: { userId: string; replies: Reply[]; size: SeedSize; now: number },
) {
  const entries = batcher(db, "LedgerEntry", LEDGER_COLUMNS);
  const day = new Date(now);
  const monthStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1);
  const thisMonth = Math.floor(size.entries / 2);
  const past = size.entries - thisMonth;
  // Older than 31 days (so the 30-day view holds only this month's), spread over the year before that.
  const pastEnd = Math.min(monthStart, now - 31 * 86_400_000) - 3_600_000;
  const pastStart = pastEnd - 365 * 86_400_000;
  const recentSpan = now - 60_000 - monthStart;
  let settledMicrosThisMonth = 0n;
  for (let i = 0; i < size.entries; i++) {
    const { model, input, cached, output } = MODELS[i % MODELS.length] ?? MODELS[0];
    const isThisMonth = i >= past;
    const createdAt = isThisMonth
      ? monthStart + Math.floor((recentSpan * (i - past)) / Math.max(1, thisMonth))
      : pastStart + Math.floor(((pastEnd - pastStart) * i) / Math.max(1, past));
    const promptTokens = 200 + (i % 1800);
    const completionTokens = 20 + (i % 900);
    const cachedTokens = i % 3 === 0 ? Math.floor(promptTokens / 2) : 0;
    const costMicros =
      input === null
        ? 0
        : Math.ceil(((promptTokens - cachedTokens) * input + cachedTokens * cached + completionTokens * output) / 1e6);
    if (isThisMonth) settledMicrosThisMonth += BigInt(costMicros);
    const reply = replies[i];
    await entries.add([
      randomUUID(),
      userId,
      "chat",
      "settled",
      reply?.conversationId ?? replies[i % Math.max(1, replies.length)]?.conversationId ?? null,
      reply?.id ?? null,
      model,
      promptTokens,
      cachedTokens,
      completionTokens,
      costMicros,
      i % 20 === 0,
      input === null,
      input,
      cached,
      output,
      input === null ? null : "2025-08-07",
      stamp(createdAt),
      stamp(createdAt + 5_000),
    ]);
  }
  await entries.flush();
  return { entriesThisMonth: thisMonth, settledMicrosThisMonth };
}

/** `bench:seed`: seeds a migrated database and writes the LargeUser to --out. */
async function main() {
  const { values } = parseArgs({
    options: {
      db: { type: "string" },
      out: { type: "string" },
      quick: { type: "boolean", default: false },
    },
  });
  if (!values.db || !values.out) throw new Error("usage: bench-seed.ts --db URL --out FILE [--quick]");
  const db = openDatabase(values.db);
  try {
    const user = await seedLargeUser(db, values.db, { size: values.quick ? QUICK_SIZE : FULL_SIZE });
    fs.writeFileSync(values.out, `${JSON.stringify(user, null, 2)}\n`);
    console.log(
      `seeded ${user.size.conversations.toLocaleString("en-US")} conversations, ${user.size.messages.toLocaleString("en-US")} messages, ${user.size.entries.toLocaleString("en-US")} ledger entries in ${(user.seededMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await db.close();
    const { prisma } = await import("../lib/db/client");
    await prisma.$disconnect();
  }
}

if (process.argv[1] && /bench-seed\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
