// `npm run bench:usage [-- --db sqlite|postgresql] [-- --quick] [-- --runs 20]`: the usage page and the other money
// reads for the large user of scripts/bench-seed.ts: 500,000 settled ledger entries, 250,000 of them this month (5
// models, spread over the month's days so far, 1 in 20 estimated, one model unpriced), on a fresh database
// (`--quick`: a tenth; PostgreSQL needs TEST_POSTGRES_URL, a server URL whose user may create databases, and a build
// for PostgreSQL) or with `--seeded FILE` on the one scripts/bench.ts seeded (`--json FILE`: the figures for it). Each
// figure twice: the query alone (lib/db, in this process) and the whole request over HTTP to the production build in
// .next (`npm run build` first), from the request to the last byte of the response. A benchmark, not a test: it
// prints figures; it fails only when it cannot run, or when a page does not show what was seeded.
//
// `--profile DIR` writes the server's V8 CPU profile there when it stops (scripts/cpu-profile.ts reads it).
//
// Run with `--conditions=react-server` (as npm run bench:usage does): lib/db modules are server-only.
import { parseArgs } from "node:util";
import { LEDGER_PAGE_SIZE } from "../lib/billing/report";
import {
  readSeeded,
  runBench,
  signIn,
  summarizeTimes as summary,
  timeCalls,
  withBenchApp,
  writeJson,
} from "./bench-app";
import { FULL_SIZE, largeUserOf, MODELS, QUICK_SIZE } from "./bench-seed";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    runs: { type: "string", default: "20" },
    quick: { type: "boolean", default: false },
    seeded: { type: "string" },
    json: { type: "string" },
    profile: { type: "string" },
  },
});
const RUNS = Number(values.runs);

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
  const seeded = readSeeded(values.seeded);
  const kind = seeded?.kind ?? values.db;
  await withBenchApp(
    { kind, name: "bench-usage", seeded, profileDir: values.profile },
    async ({ app, databaseUrl }) => {
      const large = await largeUserOf({ seeded, databaseUrl, size: values.quick ? QUICK_SIZE : FULL_SIZE });
      const user = await signIn(app.url, large);
      const ENTRIES = large.entriesThisMonth;
      const settledMicros = BigInt(large.settledMicrosThisMonth);
      // The app's own modules, on the same database, in this process.
      process.env.DATABASE_URL = databaseUrl;
      const { getBudgetStatus, getConversationSpend } = await import("../lib/db/ledger");
      const { listLedgerEntries, monthlyTotals, spendByDay, spendByModel } = await import("../lib/db/usage");
      const { prisma } = await import("../lib/db/client");
      console.log(
        `bench:usage on ${kind}: ${ENTRIES.toLocaleString("en-US")} settled entries this month for one user, ${large.size.entries.toLocaleString("en-US")} in all (${MODELS.length} models, ${large.size.conversations.toLocaleString("en-US")} conversations), seeded in ${(large.seededMs / 1000).toFixed(1)} s; ${RUNS} runs each after 2 warm-up runs`,
      );

      const userId = user.id;
      const policy = { defaultMicros: null, maxUserMicros: null, globalMicros: null };
      const budget = await getBudgetStatus({ userId, policy });
      if (BigInt(budget.spentMicros) !== settledMicros) {
        throw new Error(`the month's spend is ${budget.spentMicros}, the ledger says ${settledMicros}`);
      }
      const conversationId = large.longConversationId;
      const lastPage = Math.ceil(ENTRIES / LEDGER_PAGE_SIZE);

      console.log("\nthe query alone (lib/db, in this process)");
      const queries: [string, () => Promise<unknown>][] = [
        ["month spend (getBudgetStatus)", () => getBudgetStatus({ userId, policy })],
        ["a chat's spend (getConversationSpend)", () => getConversationSpend({ userId, conversationId })],
        ["30-day chart (spendByDay)", () => spendByDay({ userId })],
        ["per model, 30 days (spendByModel)", () => spendByModel({ userId, range: "30d" })],
        ["per model, all time (spendByModel)", () => spendByModel({ userId, range: "all" })],
        ["monthly totals (monthlyTotals)", () => monthlyTotals({ userId })],
        ["ledger page 1 (listLedgerEntries)", () => listLedgerEntries({ userId, range: "30d", page: 1 })],
        [
          `ledger page ${lastPage.toLocaleString("en-US")} (listLedgerEntries)`,
          () => listLedgerEntries({ userId, range: "month", page: lastPage }),
        ],
      ];
      const figures: Record<string, number[]> = {};
      for (const [label, call] of queries) {
        figures[label] = (await time(call)).times;
        console.log(`  ${label.padEnd(40)} ${summary(figures[label])}`);
      }

      console.log("\nover HTTP (request to the last byte of the response)");
      // What every signed-in request costs on this machine now (session, account check, one indexed read).
      const baseline = await measure(`${app.url}/api/conversations/no-such-conversation`, user.cookie, 404);
      console.log(`  ${"baseline: a 404 API request".padEnd(40)} ${summary(baseline.times)}`);
      figures["baseline: a 404 API request"] = baseline.times;
      // Each page with the count of calls it must show (null: none).
      const pages: [string, string, number | null][] = [
        ["GET /usage", "/usage", ENTRIES],
        ["GET /usage?range=all", "/usage?range=all", large.size.entries],
        [`GET /usage?range=month&page=${lastPage}`, `/usage?range=month&page=${lastPage}`, ENTRIES],
        ["GET /api/usage/summary (meter)", `/api/usage/summary?conversationId=${conversationId}`, null],
        ["GET / (chat page with the meter)", "/", null],
      ];
      for (const [label, path, calls] of pages) {
        const { times, result } = await measure(`${app.url}${path}`, user.cookie);
        if (calls !== null && !result.includes(calls.toLocaleString("en-US"))) {
          throw new Error(`${path} does not show ${calls.toLocaleString("en-US")} calls`);
        }
        figures[label] = times;
        console.log(`  ${label.padEnd(40)} ${summary(times)}`);
      }
      await prisma.$disconnect();
      writeJson(values.json, {
        bench: "usage",
        kind,
        entriesThisMonth: ENTRIES,
        usageMs: figures["GET /usage"],
        figures,
      });
    },
  );
}

runBench(main);
