// Starts what every spec talks to, on ports picked free (never assuming 3000): the fake OpenAI upstream and the fake
// Telegram Bot API and the fake Tencent APIs (WeChat, WeCom), in this process so they live exactly as long as the run, and the production app (`next start`,
// built beforehand by scripts/test.ts or `npm run build`) on a fresh database with its schema migrated
// (e2e/app-server.ts), its Telegram bot pointed at the fake. Hands them to the specs through process.env, which
// Playwright passes on to the workers it starts after this: E2E_BASE_URL, FAKE_OPENAI_URL, FAKE_TELEGRAM_URL,
// FAKE_WECHAT_URL and
// E2E_DATABASE_URL (the bot's token and webhook secret are already there: E2E_TELEGRAM_* from e2e/app-server.ts).
// Returns the teardown, which stops only what this file started.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  type AppServer,
  startApp,
  TEST_SECRETS,
  telegramEnv,
  UNLIMITED_RATES,
  WECHAT_IDS,
  wechatEnv,
} from "./app-server";
import { startFakeOpenAI } from "./fake-openai/server";
import { type FakeTelegram, startFakeTelegram } from "./fake-telegram/server";
import { type FakeWechat, startFakeWechat } from "./fake-wechat/server";

/** Settings of the shared server that differ from a default installation, and why. */
export const SHARED_APP_ENV = {
  // Every spec signs up its own users, many within the hour; invitations and the hourly limit have specs of their own.
  SIGNUP_MODE: "open",
  SIGNUP_MAX_PER_HOUR: "100000",
  ...UNLIMITED_RATES,
  // Short enough that the timeout specs finish quickly, long enough for any reply a spec scripts as slow.
  UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS: "10",
  UPSTREAM_IDLE_TIMEOUT_SECONDS: "10",
};

export default async function globalSetup(): Promise<() => Promise<void>> {
  const runName = process.env.E2E_RUN_NAME ?? "e2e";
  let tempDir: string | null = null;
  let app: AppServer | null = null;
  // The upstream's GET /v1/models also lists gpt-4, an OpenAI model with a small (8,192-token) context window that the
  // catalog does not offer: the picker shows it, and a spec fills its window quickly.
  const fake = await startFakeOpenAI({ port: 0, models: ["gpt-4"] });
  let telegram: FakeTelegram | null = null;
  let wechat: FakeWechat | null = null;

  async function teardown() {
    await app?.stop();
    await telegram?.close();
    await wechat?.close();
    await fake.close();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }

  try {
    let databaseUrl = process.env.E2E_DATABASE_URL;
    if (!databaseUrl) {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-e2e-"));
      databaseUrl = `file:${path.join(tempDir, "e2e.db")}`;
    }
    telegram = await startFakeTelegram({ port: 0, token: TEST_SECRETS.TELEGRAM_BOT_TOKEN });
    wechat = await startFakeWechat({
      port: 0,
      mp: { appId: WECHAT_IDS.mpAppId, appSecret: TEST_SECRETS.WECHAT_MP_APP_SECRET },
      work: { corpId: WECHAT_IDS.corpId, secret: TEST_SECRETS.WECOM_SECRET, agentId: WECHAT_IDS.agentId },
    });
    app = await startApp({
      name: runName,
      databaseUrl,
      upstreamUrl: fake.url,
      env: { ...SHARED_APP_ENV, ...telegramEnv(telegram.url), ...wechatEnv(wechat.url) },
    });
    process.env.E2E_BASE_URL = app.url;
    process.env.FAKE_OPENAI_URL = fake.url;
    process.env.FAKE_TELEGRAM_URL = telegram.url;
    process.env.FAKE_WECHAT_URL = wechat.url;
    process.env.E2E_DATABASE_URL = databaseUrl;
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
