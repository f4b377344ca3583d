// `npm run bench:search [-- --db sqlite|postgresql] [-- --conversations 10000] [-- --runs 30]`: history search and
// the sidebar for one user with 10,000 conversations (English and Chinese, four messages each), on a fresh database
// (PostgreSQL needs TEST_POSTGRES_URL, a server URL whose user may create databases, and a build for PostgreSQL). Each
// figure twice: the query alone (lib/db, in this process) and the whole request over HTTP to the production build in
// .next (`npm run build` first), whose fixed part (session, account check) the baseline line shows. A benchmark, not
// a test: it prints figures; it fails only when it cannot run, or when a query finds other than what was seeded.
//
//   search     GET /api/conversations/search: p50/p95 per query, and over all 3+ character and all 2-character ones
//   sidebar    GET /api/conversations (the first page, and a page 5,000 conversations down), and the whole chat page
//              (/, server-rendered with the sidebar's first page)
//
// Run with `--conditions=react-server` (as npm run bench:search does): lib/db modules are server-only.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { request } from "@playwright/test";
import { createAccount, signInAs } from "../e2e/accounts";
import type { TestDatabase } from "../e2e/db";
import { cookieHeader } from "../e2e/sessions";
import { insertRows, formatMs as ms, percentile, runBench, timeCalls, withBenchApp } from "./bench-app";

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

const summary = (times: number[]) => `p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`;

/** Times RUNS calls (after two unmeasured ones); returns the durations and the last result. */
const time = <T>(call: () => Promise<T>) => timeCalls(call, { runs: RUNS });

/** Times RUNS GET requests; returns the durations and the last body. */
async function measure(url: string, cookie: string, { status = 200 } = {}) {
  const { times, result } = await time(async () => {
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.text();
    if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
    return body;
  });
  return { times, body: result };
}

const QUERIES = [
  // 3+ characters: the index
  { q: "invoice 4711", kind: "3+", share: "1 in 100" },
  { q: "Kyoto", kind: "3+", share: "1 in 20" },
  { q: "项目预算", kind: "3+", share: "1 in 50" },
  { q: "the", kind: "3+", share: "nearly all" },
  { q: "没有这个词", kind: "3+", share: "none" },
  { q: "nonexistent", kind: "3+", share: "none" },
  // 1–2 characters: the bounded scan
  { q: "周报", kind: "2", share: "1 in 10" },
  { q: "会议", kind: "2", share: "most" },
  { q: "zq", kind: "2", share: "none: the whole window is scanned" },
] as const;

async function main() {
  const kind = values.db;
  await withBenchApp({ kind, name: "bench-search" }, async ({ app, db, databaseUrl }) => {
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

      // The app's own queries, on the same database, in this process.
      process.env.DATABASE_URL = databaseUrl;
      const { searchConversations } = await import("../lib/db/search");
      const { listConversations } = await import("../lib/db/conversations");
      const { prisma } = await import("../lib/db/client");

      const baseline = await measure(`${app.url}/api/conversations/no-such-conversation`, cookie, { status: 404 });
      console.log(`\nbaseline over HTTP (session, account check, one indexed read: a 404): ${summary(baseline.times)}`);

      console.log("\nsearch: the query alone (lib/db) | GET /api/conversations/search; up to 30 results");
      const byKind: Record<string, { query: number[]; http: number[] }> = {
        "3+": { query: [], http: [] },
        "2": { query: [], http: [] },
      };
      for (const { q, kind: length, share } of QUERIES) {
        const query = await time(() => searchConversations({ userId: account.id, query: q, limit: 30 }));
        const http = await measure(`${app.url}/api/conversations/search?q=${encodeURIComponent(q)}`, cookie);
        const { results, window } = JSON.parse(http.body) as { results: unknown[]; window: number | null };
        const isAbsent = share.startsWith("none");
        if (isAbsent !== (results.length === 0) || query.result.hits.length !== results.length) {
          throw new Error(`"${q}" found ${results.length} conversations (${query.result.hits.length} in lib/db)`);
        }
        byKind[length]?.query.push(...query.times);
        byKind[length]?.http.push(...http.times);
        const scope = window === null ? "" : `, searched the ${window} most recent`;
        console.log(
          `  ${JSON.stringify(q).padEnd(14)} ${summary(query.times).padEnd(24)} | ${summary(http.times).padEnd(24)} ${results.length} results (in ${share}${scope})`,
        );
      }
      for (const [length, { query, http }] of Object.entries(byKind)) {
        console.log(`  all ${`${length}-character`.padEnd(12)}  ${summary(query).padEnd(24)} | ${summary(http)}`);
      }

      console.log("\nsidebar: the query alone (lib/db) | over HTTP");
      const firstQuery = await time(() => listConversations({ userId: account.id, limit: 50 }));
      const first = await measure(`${app.url}/api/conversations`, cookie);
      console.log(`  first page (50)             ${summary(firstQuery.times).padEnd(24)} | ${summary(first.times)}`);
      let cursor = firstQuery.result.nextCursor ?? "";
      for (let page = 1; page < CONVERSATIONS / 2 / 100; page++) {
        cursor = (await listConversations({ userId: account.id, cursor, limit: 100 })).nextCursor ?? "";
      }
      const deepQuery = await time(() => listConversations({ userId: account.id, cursor, limit: 50 }));
      const deep = await measure(`${app.url}/api/conversations?cursor=${encodeURIComponent(cursor)}`, cookie);
      console.log(
        `  a page ~${(CONVERSATIONS / 2).toLocaleString("en-US")} down         ${summary(deepQuery.times).padEnd(24)} | ${summary(deep.times)}`,
      );
      const chatPage = await measure(`${app.url}/`, cookie);
      console.log(`  the chat page (/, HTML with the sidebar's first page) over HTTP: ${summary(chatPage.times)}`);
      await prisma.$disconnect();
    } finally {
      await api.dispose();
    }
  });
}

runBench(main);
