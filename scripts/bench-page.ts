// `npm run bench:page [-- --db sqlite|postgresql] [-- --messages 1000] [-- --runs 20]`: opening a long conversation,
// GET /c/[id] of a chat of 1,000 messages (Markdown replies with lists, code and tables, each with its ledger entry; a
// few regenerated replies, so the branch is a real tree), on a fresh database (PostgreSQL needs TEST_POSTGRES_URL and
// a build for PostgreSQL) against the production build in .next (`npm run build` first). Prints the server's time to
// the whole HTML (p50/p99 after warm-up), the HTML's size, and the same for the older messages' route when there is
// one; then the storage reads alone (lib/db, in this process): the page's, and the whole branch's that the page read
// before it was paged. A benchmark, not a test: it fails only when it cannot run or the page misses the latest
// message. The conversation is the long one of scripts/bench-seed.ts; `--seeded FILE` opens it among the large user's
// other conversations in the database scripts/bench.ts seeded, and one of those too (the 100th in the sidebar),
// `--json FILE` writes the figures for it. Run with
// `--conditions=react-server` (as npm run bench:page does): lib/db modules are server-only. `--profile DIR` writes the
// server's V8 CPU profile there when it stops (read it with scripts/cpu-profile.ts); the times are then the profiled
// server's.
import { parseArgs } from "node:util";
import { readSeeded, runBench, signIn, summarizeTimes, timeCalls, withBenchApp, writeJson } from "./bench-app";
import { largeUserOf } from "./bench-seed";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    messages: { type: "string", default: "1000" },
    runs: { type: "string", default: "20" },
    seeded: { type: "string" },
    json: { type: "string" },
    profile: { type: "string" },
  },
});
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const WARM_UP = 3;

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

/** p50 and p99 of RUNS calls after WARM_UP unmeasured ones, and the last call's result. */
async function measure<T>(call: () => Promise<T>) {
  const { times, result } = await timeCalls(call, { runs: RUNS, warmUp: WARM_UP });
  return { result, times, summary: summarizeTimes(times) };
}

/** A GET request to the end of its body, which it answers. */
async function get(url: string, cookie: string): Promise<string> {
  const response = await fetch(url, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  return body;
}

async function main() {
  const seeded = readSeeded(values.seeded);
  const kind = seeded?.kind ?? values.db;
  await withBenchApp(
    { kind, name: "bench-page", seeded, profileDir: values.profile },
    async ({ app, db, databaseUrl }) => {
      // Alone: the large user of scripts/bench-seed.ts reduced to its long conversation, each reply with its entry (one
      // reply in 50 regenerated: an entry for each version).
      const replies = Math.ceil(MESSAGES / 2) + Math.ceil(MESSAGES / 50);
      const alone = { conversations: 1, messages: MESSAGES, entries: replies, longMessages: MESSAGES };
      const user = await largeUserOf({ seeded, databaseUrl, size: alone });
      const { cookie } = await signIn(app.url, user);
      const conversationId = user.longConversationId;
      console.log(
        `bench:page on ${kind}: one conversation of ${user.size.longMessages.toLocaleString("en-US")} messages on its branch (${user.longStoredMessages} stored, with versions)${seeded ? `, its user's ${user.size.conversations.toLocaleString("en-US")} conversations around it` : ""}, ${RUNS} requests after ${WARM_UP} to warm up`,
      );
      const page = await measure(() => get(`${app.url}/c/${conversationId}`, cookie));
      if (!page.result.includes(user.longLatestWords)) {
        throw new Error(`the page lacks the latest reply ("${user.longLatestWords}")`);
      }
      const shown = page.result.match(/data-role="(user|assistant)"/g)?.length ?? 0;
      const htmlBytes = Buffer.byteLength(page.result);
      console.log(`  GET /c/[id]     ${page.summary.padEnd(24)} HTML ${size(htmlBytes)}, ${shown} messages rendered`);
      // The page's oldest message, as the browser asks for the page before it when the reader scrolls up.
      const oldest = /data-message-id="([^"]+)"/.exec(page.result)?.[1];
      const older = `${app.url}/api/conversations/${conversationId}/messages?before=${oldest}`;
      let olderTimes: number[] | null = null;
      if (oldest && (await fetch(older, { headers: { cookie } })).status === 200) {
        const { result, summary, times } = await measure(() => get(older, cookie));
        olderTimes = times;
        const { messages } = JSON.parse(result) as { messages: unknown[] };
        console.log(
          `  older messages  ${summary.padEnd(24)} JSON ${size(Buffer.byteLength(result))}, ${messages.length} messages`,
        );
      }

      if (seeded) {
        // One of the user's older chats, the 100th in the sidebar: the long one is the latest, whose ledger entries are
        // among the newest, so reads that walk the user's ledger from its newest entry find them at once.
        const [other] = await db.query<{ id: string }>(
          `SELECT "id" FROM "Conversation" WHERE "userId" = $1 ORDER BY "updatedAt" DESC LIMIT 1 OFFSET 99`,
          [user.id],
        );
        if (other) {
          const { summary } = await measure(() => get(`${app.url}/c/${other.id}`, cookie));
          console.log(`  an older chat    ${summary.padEnd(24)} GET /c/[id] of the user's 100th conversation`);
        }
      }

      process.env.DATABASE_URL = databaseUrl;
      const { FIRST_PAGE_TEXT_LENGTH, getBranchPage, getConversationWithMessages } = await import(
        "../lib/db/conversations"
      );
      const { prisma } = await import("../lib/db/client");
      const query = async (call: () => Promise<unknown>) => (await measure(call)).summary;
      const userId = user.id;
      console.log(
        `  the latest page alone (lib/db getBranchPage)          ${await query(() => getBranchPage({ id: conversationId, userId, maxTextLength: FIRST_PAGE_TEXT_LENGTH }))}`,
      );
      console.log(
        `  the whole branch alone (getConversationWithMessages)  ${await query(() => getConversationWithMessages({ id: conversationId, userId }))}`,
      );
      await prisma.$disconnect();
      writeJson(values.json, {
        bench: "page",
        kind,
        messages: user.size.longMessages,
        pageMs: page.times,
        htmlBytes,
        rendered: shown,
        olderMs: olderTimes,
      });
    },
  );
}

runBench(main);
