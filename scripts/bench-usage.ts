// `npm run bench:usage [-- --db sqlite|postgresql] [-- --entries 250000] [-- --runs 20]`: the usage page and the other
// money reads for one user with 250,000 settled ledger entries this month (5 models, spread over the month's days so
// far, 1 in 20 estimated, one model unpriced), on a fresh database (PostgreSQL needs TEST_POSTGRES_URL, a server URL
// whose user may create databases, and a build for PostgreSQL). Each figure twice: the query alone (lib/db, in this
// process) and the whole request over HTTP to the production build in .next (`npm run build` first), from the request
// to the last byte of the response. A benchmark, not a test: it prints figures; it fails only when it cannot run, or
// when a page does not show what was seeded.
//
// Run with `--conditions=react-server` (as npm run bench:usage does): lib/db modules are server-only.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { TestDatabase } from "../e2e/db";
import { createUser, insertRows, percentile, runBench, timeCalls, withBenchApp } from "./bench-app";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    entries: { type: "string", default: "250000" },
    runs: { type: "string", default: "20" },
  },
});
const ENTRIES = Number(values.entries);
const RUNS = Number(values.runs);
const CONVERSATIONS = 1000;
/** micro-USD: far above what is seeded, so admission and the meter do their full work. */
const BUDGET_MICROS = 1_000_000_000_000;

/** gpt-5-mini's and others' rates (micro-USD per 1M tokens); null: unpriced. */
const MODELS = [
  { model: "gpt-5-mini", input: 250_000, cached: 25_000, output: 2_000_000 },
  { model: "gpt-5", input: 1_250_000, cached: 125_000, output: 10_000_000 },
  { model: "gpt-4.1", input: 2_000_000, cached: 500_000, output: 8_000_000 },
  { model: "gpt-4o-mini", input: 150_000, cached: 75_000, output: 600_000 },
  { model: "llama3.2", input: null, cached: null, output: null },
] as const;

const LEDGER_COLUMNS = [
  "id",
  "userId",
  "kind",
  "status",
  "conversationId",
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

/** A timestamp as the app stores it (Prisma's SQLite adapter writes ISO 8601 with "+00:00"; PostgreSQL reads it). */
const stamp = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

/** The user's conversations and ENTRIES settled entries, evenly from the start of this UTC month to a minute ago. */
async function seed(db: TestDatabase, userId: string, now: number) {
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const span = now - 60_000 - monthStart;
  const conversations = Array.from({ length: CONVERSATIONS }, (_, c) => [
    `bench-usage-conversation-${c}`,
    userId,
    `Conversation ${c}`,
    "gpt-5-mini",
    stamp(monthStart),
    stamp(monthStart),
  ]);
  await insertRows(db, "Conversation", ["id", "userId", "title", "model", "createdAt", "updatedAt"], conversations);
  let settledMicros = 0n;
  const rows: unknown[][] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const { model, input, cached, output } = MODELS[i % MODELS.length] ?? MODELS[0];
    const createdAt = monthStart + Math.floor((span * i) / ENTRIES);
    const promptTokens = 200 + (i % 1800);
    const completionTokens = 20 + (i % 900);
    const cachedTokens = i % 3 === 0 ? Math.floor(promptTokens / 2) : 0;
    const costMicros =
      input === null
        ? 0
        : Math.ceil(((promptTokens - cachedTokens) * input + cachedTokens * cached + completionTokens * output) / 1e6);
    settledMicros += BigInt(costMicros);
    rows.push([
      `bench-usage-entry-${String(i).padStart(7, "0")}`,
      userId,
      "chat",
      "settled",
      `bench-usage-conversation-${i % CONVERSATIONS}`,
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
    if (rows.length === 20_000) await insertRows(db, "LedgerEntry", LEDGER_COLUMNS, rows.splice(0));
  }
  await insertRows(db, "LedgerEntry", LEDGER_COLUMNS, rows);
  return { settledMicros };
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const summary = (times: number[]) => `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`;

const time = <T>(call: () => Promise<T>) => timeCalls(call, { runs: RUNS });

/** Times RUNS GET requests, from sending each to the last byte of its body; returns the durations and the last body. */
function measure(url: string, cookie: string, status = 200) {
  return time(async () => {
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.text();
    if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
    return body;
  });
}

async function main() {
  const kind = values.db;
  await withBenchApp({ kind, name: "bench-usage" }, async ({ app, db, databaseUrl }) => {
    const user = await createUser(app.url, db, BUDGET_MICROS);
    const now = Date.now();
    const seeding = performance.now();
    const { settledMicros } = await seed(db, user.id, now);
    // The app's own modules, on the same database, in this process. The ledger was written around the app, so its
    // running totals are rebuilt from it, as after a restore.
    process.env.DATABASE_URL = databaseUrl;
    const { recountSpendCounters, getBudgetStatus, getConversationSpend } = await import("../lib/db/ledger");
    const { listLedgerEntries, monthlyTotals, spendByDay, spendByModel } = await import("../lib/db/usage");
    const { prisma } = await import("../lib/db/client");
    await recountSpendCounters({ userIds: [user.id] });
    if (kind === "postgresql") await db.query(`ANALYZE`);
    console.log(
      `bench:usage on ${kind}: ${ENTRIES.toLocaleString("en-US")} settled entries this month for one user (${MODELS.length} models, ${CONVERSATIONS} conversations), seeded in ${ms(performance.now() - seeding)}; ${RUNS} runs each after 2 warm-up runs`,
    );

    const userId = user.id;
    const policy = { defaultMicros: null, maxUserMicros: null, globalMicros: null };
    const budget = await getBudgetStatus({ userId, policy });
    if (BigInt(budget.spentMicros) !== settledMicros) {
      throw new Error(`the month's spend is ${budget.spentMicros}, the ledger says ${settledMicros}`);
    }
    const conversationId = "bench-usage-conversation-7";

    console.log("\nthe query alone (lib/db, in this process)");
    const queries: [string, () => Promise<unknown>][] = [
      ["month spend (getBudgetStatus)", () => getBudgetStatus({ userId, policy })],
      ["a chat's spend (getConversationSpend)", () => getConversationSpend({ userId, conversationId })],
      ["30-day chart (spendByDay)", () => spendByDay({ userId })],
      ["per model, 30 days (spendByModel)", () => spendByModel({ userId, range: "30d" })],
      ["per model, all time (spendByModel)", () => spendByModel({ userId, range: "all" })],
      ["monthly totals (monthlyTotals)", () => monthlyTotals({ userId })],
      ["ledger page 1 (listLedgerEntries)", () => listLedgerEntries({ userId, range: "30d", page: 1 })],
      ["ledger page 2,500 (listLedgerEntries)", () => listLedgerEntries({ userId, range: "all", page: 2500 })],
    ];
    for (const [label, call] of queries) console.log(`  ${label.padEnd(40)} ${summary((await time(call)).times)}`);

    console.log("\nover HTTP (request to the last byte of the response)");
    // What every signed-in request costs on this machine now (session, account check, one indexed read).
    const baseline = await measure(`${app.url}/api/conversations/no-such-conversation`, user.cookie, 404);
    console.log(`  ${"baseline: a 404 API request".padEnd(40)} ${summary(baseline.times)}`);
    const pages: [string, string][] = [
      ["GET /usage", "/usage"],
      ["GET /usage?range=all", "/usage?range=all"],
      ["GET /usage?range=month&page=2500", "/usage?range=month&page=2500"],
      ["GET /api/usage/summary (meter)", `/api/usage/summary?conversationId=${conversationId}`],
      ["GET / (chat page with the meter)", "/"],
    ];
    for (const [label, path] of pages) {
      const { times, result } = await measure(`${app.url}${path}`, user.cookie);
      if (path.startsWith("/usage") && !result.includes(ENTRIES.toLocaleString("en-US"))) {
        throw new Error(`${path} does not show ${ENTRIES.toLocaleString("en-US")} calls`);
      }
      console.log(`  ${label.padEnd(40)} ${summary(times)}`);
    }
    await prisma.$disconnect();
  });
}

runBench(main);
