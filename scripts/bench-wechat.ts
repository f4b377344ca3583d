// `npm run bench:wechat [-- --db sqlite|postgresql]`: how fast the WeChat channels answer, measured on the production
// build in .next (`npm run build` first) with the fake Tencent APIs and the fake OpenAI upstream. A benchmark, not a
// test: it prints figures; it fails only when it cannot run.
//
//   passive   time until POST /api/wechat/mp answers (safe mode) with the passive reply holding the model's answer:
//             p50, p99 of 30 messages one after another (WeChat allows 5 s)
//   crowd     30 messages of 30 linked users at once: the same time's p50, p99, and how many got their answer in the
//             reply (the rest would be delivered on WeChat's retries)
//   wecom     time from posting a WeCom message to the app's message/send of the answer: p50, p99 of 30
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { TEST_SECRETS, WECHAT_IDS, wechatEnv } from "../e2e/app-server";
import { startFakeWechat } from "../e2e/fake-wechat/server";
import {
  linkedMpUser,
  linkedWecomUser,
  postMp,
  postWecom,
  sentText,
  textMessage,
  waitForWechatCall,
  wechatSeq,
} from "../e2e/wechat";
import { benchArg, runBench, summarizeTimes, withBenchApp } from "./bench-app";

const SEQUENTIAL = 30;
const CROWD = 30;

runBench(async () => {
  const kind = benchArg("db") ?? "sqlite";
  const fake = await startFakeWechat({
    port: 0,
    mp: { appId: WECHAT_IDS.mpAppId, appSecret: TEST_SECRETS.WECHAT_MP_APP_SECRET },
    work: { corpId: WECHAT_IDS.corpId, secret: TEST_SECRETS.WECOM_SECRET, agentId: WECHAT_IDS.agentId },
  });
  process.env.FAKE_WECHAT_URL = fake.url;
  try {
    await withBenchApp({ kind, name: "bench-wechat", env: wechatEnv(fake.url) }, async ({ app, db }) => {
      const url = app.url;
      process.env.E2E_BASE_URL = url;
      const { openId } = await linkedMpUser(db);
      const passive: number[] = [];
      for (let run = 0; run < SEQUENTIAL + 2; run++) {
        const marker = `bench ${randomUUID()}`;
        const before = performance.now();
        const { reply } = await postMp(textMessage(openId, marker), { url });
        const took = performance.now() - before;
        if (reply?.Content !== `Echo: ${marker}`) throw new Error(`no answer in the reply: ${JSON.stringify(reply)}`);
        if (run >= 2) passive.push(took); // after a warm-up
      }
      console.log(`passive  ${summarizeTimes(passive)}`);

      const users = await Promise.all(Array.from({ length: CROWD }, () => linkedMpUser(db)));
      const crowd = await Promise.all(
        users.map(async ({ openId: own }) => {
          const marker = `crowd ${randomUUID()}`;
          const before = performance.now();
          const { reply } = await postMp(textMessage(own, marker), { url });
          return { took: performance.now() - before, isAnswered: reply?.Content === `Echo: ${marker}` };
        }),
      );
      const answered = crowd.filter((result) => result.isAnswered).length;
      console.log(
        `crowd    ${CROWD} at once: ${summarizeTimes(crowd.map((result) => result.took))}; ${answered}/${CROWD} answered in the reply`,
      );

      const { userId } = await linkedWecomUser(db);
      const wecom: number[] = [];
      for (let run = 0; run < SEQUENTIAL + 2; run++) {
        const marker = `bench ${randomUUID()}`;
        const since = await wechatSeq();
        const before = performance.now();
        await postWecom(textMessage(userId, marker, { toUser: WECHAT_IDS.corpId }), { url });
        await waitForWechatCall({ since, touser: userId, where: (call) => sentText(call) === `Echo: ${marker}` });
        if (run >= 2) wecom.push(performance.now() - before);
      }
      console.log(`wecom    ${summarizeTimes(wecom)} (polled every 100 ms)`);
    });
  } finally {
    await fake.close();
  }
});
