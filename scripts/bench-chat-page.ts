// `npm run bench:chat-page [-- --db sqlite|postgresql] [-- --quick] [-- --runs 40]`: the chat page `/` (a new chat:
// the sidebar's first page, the meter, the model picker) for the large user of scripts/bench-seed.ts (10,000
// conversations, 500,000 messages and ledger entries) beside a user with nothing, on the production build in .next
// (`npm run build` first) — what the history adds to the page. Then the page's reads alone (lib/db, in this process)
// for both, to show where a difference comes from. Requests alternate between the two users, so load on the machine
// falls on both alike. A benchmark, not a test: it fails only when it cannot run or the page misses the newest chat.
//
// On a fresh database it seeds the large user first (`--quick`: a tenth); `--seeded FILE` runs on the database
// scripts/bench.ts seeded, `--json FILE` writes the figures for it. Run with `--conditions=react-server`.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  insertUser,
  formatMs as ms,
  percentile,
  readSeeded,
  runBench,
  signIn,
  summarizeTimes as summary,
  withBenchApp,
  writeJson,
} from "./bench-app";
import { FULL_SIZE, LARGE_BUDGET_MICROS, largeUserOf, QUICK_SIZE } from "./bench-seed";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    runs: { type: "string", default: "40" },
    quick: { type: "boolean", default: false },
    seeded: { type: "string" },
    json: { type: "string" },
  },
});
const RUNS = Number(values.runs);
const WARM_UP = 5;

const signed = (value: number) => `${value < 0 ? "−" : "+"}${ms(Math.abs(value))}`;

/** A GET to the end of its body, which it answers with 200. */
async function get(url: string, cookie: string): Promise<string> {
  const response = await fetch(url, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return body;
}

/** RUNS timings of `a` and of `b`, taken in turns (a, b, a, b…) after WARM_UP of each. */
async function alternate(a: () => Promise<unknown>, b: () => Promise<unknown>) {
  for (let i = 0; i < WARM_UP; i++) {
    await a();
    await b();
  }
  const times = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    for (const [call, into] of [
      [a, times.a],
      [b, times.b],
    ] as const) {
      const start = performance.now();
      await call();
      into.push(performance.now() - start);
    }
  }
  return times;
}

async function main() {
  const seeded = readSeeded(values.seeded);
  const kind = seeded?.kind ?? values.db;
  await withBenchApp({ kind, name: "bench-chat-page", seeded }, async ({ app, db, databaseUrl }) => {
    const large = await largeUserOf({ seeded, databaseUrl, size: values.quick ? QUICK_SIZE : FULL_SIZE });
    const largeUser = await signIn(app.url, large);
    const fresh = await signIn(app.url, await insertUser(db, { budgetMicros: LARGE_BUDGET_MICROS }));
    console.log(
      `bench:chat-page on ${kind}: a user with ${large.size.conversations.toLocaleString("en-US")} conversations, ${large.size.messages.toLocaleString("en-US")} messages and ${large.size.entries.toLocaleString("en-US")} ledger entries (seeded in ${(large.seededMs / 1000).toFixed(1)} s) beside a new user; ${RUNS} requests each, in turns, after ${WARM_UP} to warm up`,
    );
    const page = await get(`${app.url}/`, largeUser.cookie);
    if (!page.includes("A long conversation")) throw new Error("the chat page's sidebar lacks the newest conversation");
    const html = { fresh: Buffer.byteLength(await get(`${app.url}/`, fresh.cookie)), large: Buffer.byteLength(page) };

    const http = await alternate(
      () => get(`${app.url}/`, fresh.cookie),
      () => get(`${app.url}/`, largeUser.cookie),
    );
    const added = (p: number) => signed(percentile(http.b, p) - percentile(http.a, p));
    const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    console.log(`\n  GET / new user             ${summary(http.a).padEnd(24)} HTML ${kB(html.fresh)}`);
    console.log(`  GET / large user           ${summary(http.b).padEnd(24)} HTML ${kB(html.large)}`);
    console.log(`  added by the history       p50 ${added(50)}, p99 ${added(99)}`);

    // The page's reads, as app/(chat)/layout.tsx and page.tsx make them.
    process.env.DATABASE_URL = databaseUrl;
    const { listConversations } = await import("../lib/db/conversations");
    const { getBudgetStatus } = await import("../lib/db/ledger");
    const { getActiveUser } = await import("../lib/db/users");
    const { prisma } = await import("../lib/db/client");
    const { CONVERSATION_PAGE_SIZE } = await import("../lib/validations");
    const policy = { defaultMicros: null, maxUserMicros: null, globalMicros: null };
    const reads: [string, (userId: string) => Promise<unknown>][] = [
      ["the account (getActiveUser)", (userId) => getActiveUser(userId, 0)],
      ["sidebar (listConversations)", (userId) => listConversations({ userId, limit: CONVERSATION_PAGE_SIZE })],
      ["meter (getBudgetStatus)", (userId) => getBudgetStatus({ userId, policy })],
    ];
    const queries: Record<string, { fresh: number[]; large: number[] }> = {};
    console.log("\n  the reads alone (lib/db, in this process)      new user              large user");
    for (const [label, read] of reads) {
      const times = await alternate(
        () => read(fresh.id),
        () => read(largeUser.id),
      );
      queries[label] = { fresh: times.a, large: times.b };
      console.log(`    ${label.padEnd(44)} ${summary(times.a).padEnd(21)} ${summary(times.b)}`);
    }
    await prisma.$disconnect();
    writeJson(values.json, {
      bench: "chat-page",
      kind,
      conversations: large.size.conversations,
      runs: RUNS,
      html,
      freshMs: http.a,
      largeMs: http.b,
      queries,
    });
  });
}

runBench(main);
