// `npm run bench:search [-- --db sqlite|postgresql] [-- --conversations 10000] [-- --runs 30]`: history search and
// the sidebar for one user with 10,000 conversations (English and Chinese, four messages each), measured over HTTP on
// the production build in .next (`npm run build` first) with a fresh database (PostgreSQL needs TEST_POSTGRES_URL, a
// server URL whose user may create databases). A benchmark, not a test: it prints figures; it fails only when it
// cannot run, or when a query finds other than what was seeded for it.
//
//   search     GET /api/conversations/search: p50/p95 per query, and over all 3+ character and all 2-character ones
//   sidebar    GET /api/conversations (the first page, and a page 5,000 conversations down), and the whole chat page
//              (/, server-rendered with the sidebar's first page)
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { request } from "@playwright/test";
import { createAccount, signInAs } from "../e2e/accounts";
import { freshDatabase, startApp } from "../e2e/app-server";
import { openDatabase, type TestDatabase } from "../e2e/db";
import { startFakeOpenAI } from "../e2e/fake-openai/server";
import { cookieHeader } from "../e2e/sessions";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    conversations: { type: "string", default: "10000" },
    runs: { type: "string", default: "30" },
  },
});
const CONVERSATIONS = Number(values.conversations);
const RUNS = Number(values.runs);
const MESSAGES_PER_CONVERSATION = 4;

const ENGLISH = (
  "the ledger keeps one entry per call with tokens and cost so history never changes when prices do we planned " +
  "a budget review for next quarter please summarise the meeting notes and list the action items what is the best " +
  "way to learn typescript generics write a short poem about autumn leaves explain how a hash map works compare " +
  "postgres and sqlite for a small team the report is due on friday morning"
).split(" ");
const CHINESE = (
  "我们 明天 讨论 项目 进度 请 帮我 写 一封 邮件 给 客户 说明 延期 的 原因 今天 天气 很好 适合 出去 走走 这个 函数 " +
  "为什么 会 报错 如何 提高 代码 质量 总结 一下 会议 内容 并 列出 待办 事项 学习 英语 的 好 方法 有 哪些"
).split(" ");

/** Deterministic pseudo-random numbers, so every run seeds the same text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Words the queries look for, each in a known share of conversations. */
const PLANTED = [
  { text: "invoice 4711", every: 100 },
  { text: "Kyoto", every: 20 },
  { text: "项目预算", every: 50 },
  { text: "周报", every: 10 },
];

function message(next: () => number, conversation: number, index: number): string {
  const isChinese = (conversation + index) % 2 === 1;
  const words = isChinese ? CHINESE : ENGLISH;
  const length = 20 + Math.floor(next() * 100);
  const parts = Array.from({ length }, () => words[Math.floor(next() * words.length)] ?? "");
  if (index === 1) {
    for (const { text, every } of PLANTED) {
      if (conversation % every === 0) parts.splice(Math.floor(next() * parts.length), 0, text);
    }
  }
  return parts.join(isChinese ? "" : " ");
}

/** Multi-row inserts, a few hundred rows per statement: 50,000 rows in a minute rather than an hour. */
async function insertRows(db: TestDatabase, table: string, columns: string[], rows: unknown[][]) {
  const perStatement = 200;
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const placeholders = batch.map(
      (_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(", ")})`,
    );
    await db.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${placeholders.join(", ")}`,
      batch.flat(),
    );
  }
}

async function seed(db: TestDatabase, userId: string) {
  const next = random(42);
  const now = Date.now();
  const stamp = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");
  const conversations: unknown[][] = [];
  const messages: unknown[][] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const id = `bench-conversation-${String(c).padStart(6, "0")}`;
    // Two years of history, one conversation every ~100 minutes; every 500th pinned.
    const updatedAt = now - c * 100 * 60_000;
    const title =
      c % 2 === 0
        ? `Question about ${ENGLISH[c % ENGLISH.length]} ${c}`
        : `关于${CHINESE[c % CHINESE.length]}的问题 ${c}`;
    conversations.push([
      id,
      userId,
      title,
      "gpt-5-mini",
      stamp(updatedAt),
      stamp(updatedAt),
      c % 500 === 0 ? stamp(now) : null,
    ]);
    for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
      const createdAt = updatedAt - (MESSAGES_PER_CONVERSATION - m) * 1000;
      messages.push([`${id}-m${m}`, id, m % 2 === 0 ? "user" : "assistant", message(next, c, m), stamp(createdAt)]);
    }
  }
  await insertRows(
    db,
    "Conversation",
    ["id", "userId", "title", "model", "createdAt", "updatedAt", "pinnedAt"],
    conversations,
  );
  await insertRows(db, "Message", ["id", "conversationId", "role", "content", "createdAt"], messages);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const summary = (times: number[]) => `p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`;

/** Times RUNS requests (after two unmeasured ones) and returns the durations and the last body. */
async function measure(url: string, cookie: string): Promise<{ times: number[]; body: string }> {
  const times: number[] = [];
  let body = "";
  for (let run = -2; run < RUNS; run++) {
    const start = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    body = await response.text();
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
    if (run >= 0) times.push(performance.now() - start);
  }
  return { times, body };
}

const QUERIES = [
  // 3+ characters: the index
  { q: "invoice 4711", kind: "3+", expect: "1 in 100" },
  { q: "Kyoto", kind: "3+", expect: "1 in 20" },
  { q: "项目预算", kind: "3+", expect: "1 in 50" },
  { q: "the", kind: "3+", expect: "nearly all" },
  { q: "没有这个词", kind: "3+", expect: "none" },
  { q: "nonexistent", kind: "3+", expect: "none" },
  // 1–2 characters: the bounded scan
  { q: "周报", kind: "2", expect: "1 in 10" },
  { q: "会议", kind: "2", expect: "common" },
  { q: "zq", kind: "2", expect: "none: the whole window is scanned" },
] as const;

async function main() {
  const kind = values.db;
  if (kind === "postgresql") {
    if (!process.env.TEST_POSTGRES_URL) throw new Error("--db postgresql needs TEST_POSTGRES_URL");
    process.env.E2E_DATABASE_URL = process.env.TEST_POSTGRES_URL;
  } else {
    delete process.env.E2E_DATABASE_URL;
  }
  const database = await freshDatabase("bench_search");
  const fake = await startFakeOpenAI({ port: 0 });
  const app = await startApp({ name: "bench-search", databaseUrl: database.url, upstreamUrl: fake.url });
  const db = openDatabase(database.url);
  const api = await request.newContext({ baseURL: app.url });
  try {
    const account = await createAccount(db, { prefix: "bench-search" });
    await signInAs(api, account);
    const cookie = await cookieHeader(api);
    const seeding = performance.now();
    await seed(db, account.id);
    if (kind === "postgresql") await db.query(`ANALYZE`);
    console.log(
      `bench:search on ${kind}: ${CONVERSATIONS.toLocaleString("en-US")} conversations × ${MESSAGES_PER_CONVERSATION} messages (English and Chinese) for one user, seeded in ${ms(performance.now() - seeding)}; ${RUNS} requests each`,
    );

    console.log("\nsearch (GET /api/conversations/search, up to 30 results)");
    const byKind: Record<string, number[]> = { "3+": [], "2": [] };
    for (const { q, kind: length, expect } of QUERIES) {
      const { times, body } = await measure(`${app.url}/api/conversations/search?q=${encodeURIComponent(q)}`, cookie);
      const { results, window } = JSON.parse(body) as { results: unknown[]; window: number | null };
      const isAbsent = expect.startsWith("none");
      if (isAbsent !== (results.length === 0)) throw new Error(`"${q}" found ${results.length} conversations`);
      byKind[length]?.push(...times);
      const scope = window === null ? "" : `, searched the ${window} most recent`;
      console.log(
        `  ${JSON.stringify(q).padEnd(16)} (in ${expect}): ${summary(times)}; ${results.length} results${scope}`,
      );
    }
    console.log(`  all 3+ character queries: ${summary(byKind["3+"] ?? [])}`);
    console.log(`  all 2-character queries:  ${summary(byKind["2"] ?? [])}`);

    console.log("\nsidebar");
    const first = await measure(`${app.url}/api/conversations`, cookie);
    console.log(`  first page (GET /api/conversations, 50): ${summary(first.times)}`);
    let cursor = (JSON.parse(first.body) as { nextCursor: string }).nextCursor;
    for (let page = 1; page < CONVERSATIONS / 2 / 100; page++) {
      const response = await fetch(`${app.url}/api/conversations?limit=100&cursor=${encodeURIComponent(cursor)}`, {
        headers: { cookie },
      });
      cursor = ((await response.json()) as { nextCursor: string }).nextCursor;
    }
    const deep = await measure(`${app.url}/api/conversations?cursor=${encodeURIComponent(cursor)}`, cookie);
    console.log(
      `  a page about ${(CONVERSATIONS / 2).toLocaleString("en-US")} conversations down: ${summary(deep.times)}`,
    );
    const chatPage = await measure(`${app.url}/`, cookie);
    console.log(`  the chat page (/, HTML with the sidebar's first page): ${summary(chatPage.times)}`);
  } finally {
    await api.dispose();
    await db.close();
    await app.stop();
    await fake.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
