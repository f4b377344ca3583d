// `npm run bench:money [-- --db sqlite|postgresql] [-- --only stall,load,fit]`: the money path under load, measured
// on the production build in .next (`npm run build` first) against the fake OpenAI upstream, on a fresh database
// (PostgreSQL needs TEST_POSTGRES_URL, a server URL whose user may create databases). A benchmark, not a test: it
// prints figures; it fails only when it cannot run.
//
//   stall  while one user sends three of the largest messages allowed at once (24,000 emoji = 96,000 bytes, 32,000
//          Chinese characters, 30,000 rare ideographs that count ~57,000 tokens), how late the health check answers
//          and how much later than usual another user's first token arrives
//   load   200 chats at once from 20 users (40 words at 50 ms each): answered, refused, failed, replies stored, time
//          to first token, total time
//   fit    40 requests at once on a budget that fits exactly 12 worst cases, five rounds: how many were admitted
import { performance } from "node:perf_hooks";
import type { TestDatabase } from "../e2e/db";
import {
  type BenchUser,
  benchArg,
  type ChatOutcome,
  chat,
  createUser,
  percentile,
  runBench,
  withBenchApp,
} from "./bench-app";

const ROUNDS = 5;

const ms = (value: number) => `${Number.isFinite(value) ? Math.round(value) : "–"} ms`;

function rareCharacters(count: number): string {
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919 + 13) % 20902))).join("");
}

async function stall(baseUrl: string, db: TestDatabase) {
  const sender = await createUser(baseUrl, db, null);
  const other = await createUser(baseUrl, db, null);
  // Baseline: the other user's first token, and the health check, on an idle server.
  const idleTtft: number[] = [];
  for (let i = 0; i < 10; i++) idleTtft.push((await chat(baseUrl, other, "[[words:3]] hi")).firstTokenMs ?? Number.NaN);
  const idleHealth: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await (await fetch(`${baseUrl}/api/health`)).text();
    idleHealth.push(performance.now() - start);
  }

  let isRunning = true;
  const health: number[] = [];
  const ttft: number[] = [];
  let healthFailures = 0;
  const probeHealth = (async () => {
    while (isRunning) {
      const start = performance.now();
      try {
        await (await fetch(`${baseUrl}/api/health`)).text();
        health.push(performance.now() - start);
      } catch {
        healthFailures++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const probeChat = (async () => {
    while (isRunning) {
      const outcome = await chat(baseUrl, other, "[[words:3]] still there?");
      if (outcome.firstTokenMs !== null) ttft.push(outcome.firstTokenMs);
    }
  })();
  const monsters: ChatOutcome[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    monsters.push(
      ...(await Promise.all([
        chat(baseUrl, sender, `[[words:3]] ${"😀".repeat(23_990)}`),
        chat(baseUrl, sender, `[[words:3]] ${"预算".repeat(15_990)}`),
        chat(baseUrl, sender, `[[words:3]] ${rareCharacters(30_000)}`),
      ])),
    );
  }
  isRunning = false;
  await Promise.all([probeHealth, probeChat]);
  const idle = percentile(idleTtft, 50);
  console.log(`\nstall: three of the largest messages from one user at once, ${ROUNDS} rounds`);
  const answers = new Map<string, number[]>();
  for (const m of monsters) {
    const key = m.ok ? "200" : `${m.status} ${(m.error ?? "").replace(/.*"message":"/, "").slice(0, 40)}`;
    answers.set(key, [...(answers.get(key) ?? []), m.totalMs]);
  }
  for (const [key, times] of answers)
    console.log(`  ${times.length} × ${key}: answered in p50 ${ms(percentile(times, 50))}`);
  console.log(
    `  health check: idle p50 ${ms(percentile(idleHealth, 50))}; meanwhile p50 ${ms(percentile(health, 50))}, p99 ${ms(percentile(health, 99))}, max ${ms(Math.max(...health))} (${health.length} probes, ${healthFailures} failed)`,
  );
  console.log(
    `  another user's first token: idle p50 ${ms(idle)}; meanwhile p50 ${ms(percentile(ttft, 50))}, max ${ms(Math.max(...ttft))}: added at most ${ms(Math.max(...ttft) - idle)} (${ttft.length} chats)`,
  );
}

async function load(baseUrl: string, db: TestDatabase) {
  const users: BenchUser[] = [];
  for (let i = 0; i < 20; i++) users.push(await createUser(baseUrl, db, null));
  const start = performance.now();
  const outcomes = await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: 10 }, (_, i) => chat(baseUrl, user, `[[words:40]][[slow:50]] load ${i}`)),
    ),
  );
  const totalMs = performance.now() - start;
  const ids = users.map((user) => user.id);
  const list = ids.map((_, i) => `$${i + 1}`).join(", ");
  const [stored] = await db.query<{ count: unknown }>(
    `SELECT COUNT(*) AS "count" FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId"
      WHERE c."userId" IN (${list}) AND m."role" = 'assistant' AND m."status" = 'complete'`,
    ids,
  );
  const [open] = await db.query<{ count: unknown }>(
    `SELECT COUNT(*) AS "count" FROM "LedgerEntry" WHERE "userId" IN (${list}) AND "status" = 'reserved'`,
    ids,
  );
  const byStatus = new Map<string, number>();
  for (const outcome of outcomes) {
    const key = outcome.ok ? "ok" : `${outcome.status}${outcome.error ? ` ${outcome.error.slice(0, 80)}` : ""}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }
  const ttft = outcomes.flatMap((o) => (o.firstTokenMs === null ? [] : [o.firstTokenMs]));
  console.log("\nload: 200 chats at once from 20 users (40 words at 50 ms: 2 s of streaming each)");
  console.log(`  outcomes: ${[...byStatus].map(([key, count]) => `${count} × ${key}`).join("; ")}`);
  console.log(
    `  replies stored: ${Number(stored?.count)} of 200; ledger entries left reserved: ${Number(open?.count)}`,
  );
  console.log(
    `  first token p50 ${ms(percentile(ttft, 50))}, p99 ${ms(percentile(ttft, 99))}; all done in ${ms(totalMs)}`,
  );
}

async function admission(baseUrl: string, db: TestDatabase) {
  const probe = await createUser(baseUrl, db, 1);
  const text = (prompt: number) => `[[usage:${prompt}/4096]] does this fit?`;
  const refusal = await chat(baseUrl, probe, text(50));
  const promptTokens = Number(/\(([\d,]+) prompt tokens/.exec(refusal.error ?? "")?.[1]?.replace(/,/g, ""));
  const worstCase = Math.ceil((promptTokens * 250_000 + 4096 * 2_000_000) / 1_000_000);
  const budget = 12 * worstCase + Math.floor(worstCase / 2);
  const admitted: number[] = [];
  for (let round = 0; round < 5; round++) {
    const user = await createUser(baseUrl, db, budget);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => chat(baseUrl, user, text(promptTokens))));
    admitted.push(outcomes.filter((o) => o.status === 200).length);
  }
  console.log("\nfit: 40 requests at once, a budget with room for exactly 12 worst cases, five rounds");
  console.log(`  admitted: ${admitted.join(", ")} (12 is exact)`);
}

async function main() {
  const kind = benchArg("db") ?? "sqlite";
  const only = (benchArg("only") ?? "stall,load,fit").split(",");
  await withBenchApp({ kind, name: "bench", env: { SIGNUP_MODE: "open" } }, async ({ app, db }) => {
    console.log(`bench:money on ${kind}, ${app.url}`);
    if (only.includes("stall")) await stall(app.url, db);
    if (only.includes("load")) await load(app.url, db);
    if (only.includes("fit")) await admission(app.url, db);
  });
}

runBench(main);
