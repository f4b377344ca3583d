// `npm run bench:page [-- --db sqlite|postgresql] [-- --messages 1000] [-- --runs 20] [-- --profile DIR]`: opening a
// long conversation, GET /c/[id] of a chat of 1,000 messages (Markdown replies with lists, code and tables, each with
// its ledger entry; a few regenerated replies, so the branch is a real tree), on a fresh database (PostgreSQL needs
// TEST_POSTGRES_URL and a build for PostgreSQL) against the production build in .next (`npm run build` first). Prints
// the server's time to the whole HTML (p50/p99 after warm-up), the HTML's size, and the same for the older messages'
// route when there is one; then the storage reads alone (lib/db, in this process): the page's, and the whole branch's
// that the page read before it was paged. A benchmark, not a test: it fails only when it cannot run or the page misses
// the latest message. Run with `--conditions=react-server` (as npm run bench:page does): lib/db modules are
// server-only. `--profile DIR` writes the server's V8 CPU profile there when it stops (read it with
// scripts/cpu-profile.ts); the times are then the profiled server's.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { request } from "@playwright/test";
import { createAccount, signInAs } from "../e2e/accounts";
import type { TestDatabase } from "../e2e/db";
import { cookieHeader } from "../e2e/sessions";
import { mulberry32 } from "../test/random-text";
import { insertRows, percentile, runBench, timeCalls, withBenchApp } from "./bench-app";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    messages: { type: "string", default: "1000" },
    runs: { type: "string", default: "20" },
    profile: { type: "string" },
  },
});
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const WARM_UP = 3;

const WORDS = (
  "the ledger keeps one entry per call with tokens and cost so history never changes when prices do we planned a " +
  "budget review for next quarter summarise the meeting notes and list the action items generics make a function " +
  "work for many types while keeping them checked a hash map stores keys in buckets chosen by their hash postgres " +
  "and sqlite both speak sql but differ in how they lock rows and how they scale"
).split(" ");

function sentence(next: () => number, words: number): string {
  const text = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)] ?? "").join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next: () => number): string {
  return Array.from({ length: 2 + Math.floor(next() * 4) }, () => sentence(next, 8 + Math.floor(next() * 14))).join(
    " ",
  );
}

/** A reply as a model writes one: a heading, paragraphs, a list, and now and then code or a table (~1.5–3 kB). */
function reply(next: () => number, index: number): string {
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

const stamp = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

/**
 * One conversation of MESSAGES messages on its active branch, alternating user and assistant; every 25th reply was
 * regenerated (its older version is a sibling off the branch). Returns its id and the latest reply's opening words.
 */
async function seed(db: TestDatabase, userId: string) {
  const next = mulberry32(7);
  const conversationId = randomUUID();
  const start = Date.now() - MESSAGES * 60_000;
  const messages: unknown[][] = [];
  const entries: unknown[][] = [];
  let parentId: string | null = null;
  let latest = "";
  const addReply = (content: string, parent: string | null, time: number) => {
    const id = randomUUID();
    const completionTokens = Math.round(content.length / 4);
    messages.push([
      id,
      conversationId,
      parent,
      "assistant",
      content,
      "gpt-5-mini",
      900,
      completionTokens,
      "stop",
      stamp(time),
    ]);
    const costMicros = 900 * 0.25 + completionTokens * 2;
    entries.push([
      randomUUID(),
      userId,
      "chat",
      "settled",
      conversationId,
      id,
      "gpt-5-mini",
      900,
      completionTokens,
      Math.round(costMicros),
      250_000,
      2_000_000,
      "2025-08-07",
      stamp(time),
    ]);
    return id;
  };
  for (let index = 0; index < MESSAGES; index++) {
    const time = start + index * 60_000;
    if (index % 2 === 0) {
      const id = randomUUID();
      messages.push([
        id,
        conversationId,
        parentId,
        "user",
        sentence(next, 6 + Math.floor(next() * 30)),
        null,
        null,
        null,
        null,
        stamp(time),
      ]);
      parentId = id;
      continue;
    }
    if (index % 50 === 1) addReply(reply(next, index), parentId, time - 30_000);
    latest = reply(next, index);
    parentId = addReply(latest, parentId, time);
  }
  await db.query(
    `INSERT INTO "Conversation" ("id", "userId", "title", "model", "createdAt", "updatedAt", "activeLeafId") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [conversationId, userId, "A long conversation", "gpt-5-mini", stamp(start), stamp(Date.now()), parentId],
  );
  await insertRows(
    db,
    "Message",
    [
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
    ],
    messages,
  );
  await insertRows(
    db,
    "LedgerEntry",
    [
      "id",
      "userId",
      "kind",
      "status",
      "conversationId",
      "messageId",
      "model",
      "promptTokens",
      "completionTokens",
      "costMicros",
      "inputPer1M",
      "outputPer1M",
      "priceDate",
      "createdAt",
    ],
    entries,
  );
  return { conversationId, messageCount: messages.length, latestWords: latest.split("\n")[0]?.slice(3) ?? "" };
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

/** p50 and p99 of RUNS calls after WARM_UP unmeasured ones, and the last call's result. */
async function measure<T>(call: () => Promise<T>) {
  const { times, result } = await timeCalls(call, { runs: RUNS, warmUp: WARM_UP });
  return { result, summary: `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}` };
}

/** A GET request to the end of its body, which it answers. */
async function get(url: string, cookie: string): Promise<string> {
  const response = await fetch(url, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return body;
}

async function main() {
  const kind = values.db;
  const nodeArgs = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : undefined;
  await withBenchApp({ kind, name: "bench-page", nodeArgs }, async ({ app, db, databaseUrl }) => {
    const api = await request.newContext({ baseURL: app.url });
    try {
      const account = await createAccount(db, { prefix: "bench-page" });
      await signInAs(api, account);
      const cookie = await cookieHeader(api);
      const { conversationId, messageCount, latestWords } = await seed(db, account.id);
      if (kind === "postgresql") await db.query("ANALYZE");
      console.log(
        `bench:page on ${kind}: one conversation of ${MESSAGES.toLocaleString("en-US")} messages on its branch (${messageCount} stored, with versions), ${RUNS} requests after ${WARM_UP} to warm up`,
      );
      const page = await measure(() => get(`${app.url}/c/${conversationId}`, cookie));
      if (!page.result.includes(latestWords)) throw new Error(`the page lacks the latest reply ("${latestWords}")`);
      const shown = page.result.match(/data-role="(user|assistant)"/g)?.length ?? 0;
      console.log(
        `  GET /c/[id]     ${page.summary.padEnd(24)} HTML ${size(Buffer.byteLength(page.result))}, ${shown} messages rendered`,
      );
      // The page's oldest message, as the browser asks for the page before it when the reader scrolls up.
      const oldest = /data-message-id="([^"]+)"/.exec(page.result)?.[1];
      const older = `${app.url}/api/conversations/${conversationId}/messages?before=${oldest}`;
      if (oldest && (await fetch(older, { headers: { cookie } })).status === 200) {
        const { result, summary } = await measure(() => get(older, cookie));
        const { messages } = JSON.parse(result) as { messages: unknown[] };
        console.log(
          `  older messages  ${summary.padEnd(24)} JSON ${size(Buffer.byteLength(result))}, ${messages.length} messages`,
        );
      }

      process.env.DATABASE_URL = databaseUrl;
      const { FIRST_PAGE_TEXT_LENGTH, getBranchPage, getConversationWithMessages } = await import(
        "../lib/db/conversations"
      );
      const { prisma } = await import("../lib/db/client");
      const query = async (call: () => Promise<unknown>) => (await measure(call)).summary;
      const userId = account.id;
      console.log(
        `  the latest page alone (lib/db getBranchPage)          ${await query(() => getBranchPage({ id: conversationId, userId, maxTextLength: FIRST_PAGE_TEXT_LENGTH }))}`,
      );
      console.log(
        `  the whole branch alone (getConversationWithMessages)  ${await query(() => getConversationWithMessages({ id: conversationId, userId }))}`,
      );
      await prisma.$disconnect();
    } finally {
      await api.dispose();
    }
  });
}

runBench(main);
