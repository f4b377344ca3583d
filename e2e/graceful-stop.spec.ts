// A clean stop (SIGTERM: a redeploy, `docker stop`, a serverless function's instance being retired) waits for the
// replies still being written, also those whose browser has gone: each is settled and stored before the process
// exits. lib/keep-alive.ts hands every reply to Next's `after`, which `next start` waits for on SIGTERM and Vercel
// keeps its function alive for (waitUntil). Without it the process exited at once, and the reply was lost with its
// reservation left open until the sweep charged an estimate. Runs its own server, which it stops.
import { startOwnApp } from "./app-server";
import { num } from "./db";
import { expect, test } from "./fixtures";
import { createApiUser, startChat, wordsIn } from "./sessions";

// 30 words, one every 100 ms: about 3 s, well within the 10 s a stop waits before it kills.
const REPLY = "[[words:30]][[slow:100]][[usage:1000/500]]";
// gpt-5-mini: 1,000 × $0.25/1M + 500 × $2.00/1M = 250 + 1,000 micro-USD.
const REPLY_MICROS = 1_250;

test("a clean stop waits for a reply whose browser has gone, and settles and stores it", async ({ upstream }) => {
  test.setTimeout(120_000);
  const own = await startOwnApp("graceful-stop");
  try {
    const user = await createApiUser({ baseURL: own.app.url, db: own.db, prefix: "graceful" });
    const marker = `graceful-${Date.now()}`;
    const chat = await startChat(own.app.url, user, { text: `${marker} ${REPLY}` });
    expect(chat.response.status).toBe(200);
    await chat.readUntil((body) => wordsIn(body) >= 3);
    await chat.cancel();
    // SIGTERM; resolves once the server has exited.
    await own.app.stop();

    const [reply] = await own.db.query<{ content: string; status: string }>(
      `SELECT "content", "status" FROM "Message" WHERE "conversationId" = $1 AND "role" = 'assistant'`,
      [chat.conversationId],
    );
    expect(reply?.status).toBe("complete");
    expect(reply?.content).toMatch(/^word1 word2 .* word30$/);
    const entries = await own.db.query(
      `SELECT "status", "costMicros", "isEstimated" FROM "LedgerEntry" WHERE "userId" = $1`,
      [user.id],
    );
    expect(entries.map((entry) => entry.status)).toEqual(["settled"]);
    expect(num(entries[0]?.costMicros)).toBe(REPLY_MICROS);
    expect(Boolean(num(entries[0]?.isEstimated))).toBe(false);
    const [sent] = await upstream.requests({ containing: marker });
    expect(sent?.deltasSent).toBe(30);
  } finally {
    await own.stop();
  }
});
