// `npm run bench:telegram [-- --db sqlite|postgresql]`: how fast the Telegram webhook answers and the bot replies,
// measured on the production build in .next (`npm run build` first) with the fake Bot API server and the fake OpenAI
// upstream. A benchmark, not a test: it prints figures; it fails only when it cannot run.
//
//   webhook    time until POST /api/telegram/webhook answers 200 (the update recorded, its handling detached): p50,
//              p99 of 30 updates one after another, each a message the model answers
//   first word time from posting an update to the bot's first sendMessage in that chat (the reply's first words):
//              the same 30
//   crowd      30 updates of 30 linked users at once: the webhook's p50, p99, and the time until all 30 replies ended
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { telegramEnv } from "../e2e/app-server";
import { startFakeTelegram } from "../e2e/fake-telegram/server";
import { linkedTelegram, postUpdate, telegramCalls, telegramSeq, textUpdate, waitForCall } from "../e2e/telegram";
import { benchArg, runBench, summarizeTimes, withBenchApp } from "./bench-app";

const SEQUENTIAL = 30;
const CROWD = 30;

runBench(async () => {
  const kind = benchArg("db") ?? "sqlite";
  const fake = await startFakeTelegram({ token: telegramEnv("").TELEGRAM_BOT_TOKEN });
  process.env.FAKE_TELEGRAM_URL = fake.url;
  try {
    await withBenchApp({ kind, name: "bench-telegram", env: telegramEnv(fake.url) }, async ({ app, db }) => {
      const baseUrl = app.url;
      const { ids } = await linkedTelegram(db, { baseUrl });
      const answered = async (chatId: number, marker: string) =>
        waitForCall({ chatId, where: (call) => JSON.stringify(call.params).includes(`Echo: ${marker}`) });
      const webhook: number[] = [];
      const firstWord: number[] = [];
      for (let run = 0; run < SEQUENTIAL + 2; run++) {
        const marker = `bench ${randomUUID()}`;
        const since = await telegramSeq();
        const start = Date.now();
        const before = performance.now();
        await postUpdate({ update: textUpdate({ user: ids.user, text: marker }), baseUrl });
        const took = performance.now() - before;
        await answered(ids.chatId, marker);
        const [first] = await telegramCalls({ chatId: ids.chatId, method: "sendMessage", since });
        if (run < 2) continue; // warm-up
        webhook.push(took);
        firstWord.push(new Date(first?.time ?? Number.NaN).getTime() - start);
      }
      console.log(`webhook     ${summarizeTimes(webhook)}`);
      console.log(`first word  ${summarizeTimes(firstWord)}`);

      const users = await Promise.all(Array.from({ length: CROWD }, () => linkedTelegram(db, { baseUrl })));
      const crowdStart = performance.now();
      const crowd = await Promise.all(
        users.map(async ({ ids: own }) => {
          const marker = `crowd ${randomUUID()}`;
          const before = performance.now();
          const status = await postUpdate({ update: textUpdate({ user: own.user, text: marker }), baseUrl });
          const took = performance.now() - before;
          await answered(own.chatId, marker);
          return { status, took };
        }),
      );
      const all = performance.now() - crowdStart;
      const statuses = [...new Set(crowd.map((result) => result.status))].join(", ");
      console.log(
        `crowd       ${CROWD} at once: webhook ${summarizeTimes(crowd.map((result) => result.took))}, statuses ${statuses}; all replied in ${Math.round(all)} ms`,
      );
    });
  } finally {
    await fake.close();
  }
});
