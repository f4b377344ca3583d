import { describe, expect, it } from "vitest";
import { formatEnvError, parseEnv } from "./env-schema";

const secret = "x".repeat(40);

describe("parseEnv", () => {
  it("accepts a minimal environment and fills the default model", () => {
    const result = parseEnv({ AUTH_SECRET: secret, OPENAI_API_KEY: "" });
    expect(result.success && result.data.OPENAI_MODEL).toBe("gpt-5-mini");
    expect(result.success && result.data.OPENAI_API_KEY).toBeUndefined();
  });

  it("names the wrong variables", () => {
    const result = parseEnv({ AUTH_SECRET: "short", OPENAI_BASE_URL: "not a url", DATABASE_URL: "mysql://x" });
    expect(result.success).toBe(false);
    if (result.success) return;
    const message = formatEnvError(result.error);
    expect(message).toContain("AUTH_SECRET must be at least 32 characters");
    expect(message).toContain("OPENAI_BASE_URL must be a URL");
    expect(message).toContain('DATABASE_URL must start with "file:"');
  });

  it("reads the operator's limits, sign-up mode, pool size and timeouts, with defaults", () => {
    const result = parseEnv({ AUTH_SECRET: secret });
    expect(result.success && result.data).toMatchObject({
      SIGNUP_MODE: "invite",
      SIGNUP_MAX_PER_HOUR: 20,
      DATABASE_POOL_SIZE: 20,
      UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS: 120,
      UPSTREAM_IDLE_TIMEOUT_SECONDS: 60,
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: 600,
    });
    const set = parseEnv({
      AUTH_SECRET: secret,
      SIGNUP_MODE: "open",
      ADMIN_EMAILS: " Boss@Example.com, ops@example.com ",
      MAX_USER_MONTHLY_BUDGET_USD: "20",
      DEFAULT_MONTHLY_BUDGET_USD: "5",
      GLOBAL_MONTHLY_BUDGET_USD: "500",
      DATABASE_POOL_SIZE: "25",
      SIGNUP_MAX_PER_HOUR: "5",
    });
    expect(set.success && set.data).toMatchObject({
      SIGNUP_MODE: "open",
      DATABASE_POOL_SIZE: 25,
      SIGNUP_MAX_PER_HOUR: 5,
    });
  });

  it("reads the playground's completion models: a trimmed list without duplicates, gpt-3.5-turbo-instruct by default", () => {
    const unset = parseEnv({ AUTH_SECRET: secret, OPENAI_COMPLETION_MODELS: "" });
    expect(unset.success && unset.data.OPENAI_COMPLETION_MODELS).toEqual(["gpt-3.5-turbo-instruct"]);
    const listed = parseEnv({
      AUTH_SECRET: secret,
      OPENAI_COMPLETION_MODELS: " llama-3-8b , gpt-3.5-turbo-instruct,llama-3-8b,",
    });
    expect(listed.success && listed.data.OPENAI_COMPLETION_MODELS).toEqual(["llama-3-8b", "gpt-3.5-turbo-instruct"]);
    const empty = parseEnv({ AUTH_SECRET: secret, OPENAI_COMPLETION_MODELS: " , " });
    expect(empty.success).toBe(false);
    if (!empty.success)
      expect(formatEnvError(empty.error)).toContain("OPENAI_COMPLETION_MODELS must name at least one model");
  });

  it("refuses a default budget above the users' maximum, a bad sign-up mode, and bad admin emails", () => {
    const result = parseEnv({
      AUTH_SECRET: secret,
      MAX_USER_MONTHLY_BUDGET_USD: "5",
      SIGNUP_MODE: "sometimes",
      ADMIN_EMAILS: "boss@example.com, nobody",
      UPSTREAM_IDLE_TIMEOUT_SECONDS: "0",
      SIGNUP_MAX_PER_HOUR: "0",
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const message = formatEnvError(result.error);
    expect(message).toContain('SIGNUP_MODE must be "open", "invite" or "closed"');
    expect(message).toContain('ADMIN_EMAILS "nobody" is not an email address');
    expect(message).toContain("UPSTREAM_IDLE_TIMEOUT_SECONDS must be a whole number of seconds");
    expect(message).toContain("SIGNUP_MAX_PER_HOUR must be a whole number of accounts, at least 1");
    const unlimited = parseEnv({ AUTH_SECRET: secret, MAX_USER_MONTHLY_BUDGET_USD: "5" });
    expect(!unlimited.success && formatEnvError(unlimited.error)).toContain(
      "DEFAULT_MONTHLY_BUDGET_USD must not exceed MAX_USER_MONTHLY_BUDGET_USD (5)",
    );
  });
});

describe("on Vercel (VERCEL set)", () => {
  const postgres = "postgresql://app:pw@db.example.com:5432/chatledger";

  it("refuses the embedded database, named or by default, with the way out", () => {
    for (const DATABASE_URL of [undefined, "", "file:./data/chatledger.db"]) {
      const result = parseEnv({ AUTH_SECRET: secret, VERCEL: "1", DATABASE_URL });
      expect(result.success).toBe(false);
      if (result.success) continue;
      const message = formatEnvError(result.error);
      expect(message).toContain("DATABASE_URL must be a PostgreSQL connection string on Vercel");
      expect(message).toContain("would be lost on every deploy");
    }
    // Off Vercel the embedded database is the default.
    expect(parseEnv({ AUTH_SECRET: secret }).success).toBe(true);
  });

  it("takes PostgreSQL, with a small pool, shared rate limits and replies that end within the function", () => {
    const result = parseEnv({ AUTH_SECRET: secret, VERCEL: "1", DATABASE_URL: postgres });
    expect(result.success && result.data).toMatchObject({
      DATABASE_POOL_SIZE: 5,
      RATE_LIMIT_STORE: "database",
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: 270,
    });
    const off = parseEnv({ AUTH_SECRET: secret, DATABASE_URL: postgres });
    expect(off.success && off.data).toMatchObject({
      DATABASE_POOL_SIZE: 20,
      RATE_LIMIT_STORE: "memory",
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: 600,
    });
    const chosen = parseEnv({
      AUTH_SECRET: secret,
      VERCEL: "1",
      DATABASE_URL: postgres,
      DATABASE_POOL_SIZE: "3",
      RATE_LIMIT_STORE: "memory",
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: "285",
    });
    expect(chosen.success && chosen.data).toMatchObject({
      DATABASE_POOL_SIZE: 3,
      RATE_LIMIT_STORE: "memory",
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: 285,
    });
  });

  it("refuses a reply timeout the function would not live to settle", () => {
    const result = parseEnv({
      AUTH_SECRET: secret,
      VERCEL: "1",
      DATABASE_URL: postgres,
      UPSTREAM_TOTAL_TIMEOUT_SECONDS: "600",
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatEnvError(result.error)).toContain("UPSTREAM_TOTAL_TIMEOUT_SECONDS must be at most 285 on Vercel");
    expect(
      parseEnv({ AUTH_SECRET: secret, DATABASE_URL: postgres, UPSTREAM_TOTAL_TIMEOUT_SECONDS: "600" }).success,
    ).toBe(true);
  });

  it("every route that streams or spends declares the maxDuration the timeouts are fitted to", async () => {
    const fs = await import("node:fs");
    const { CHAT_MAX_DURATION_SECONDS } = await import("./env-schema");
    for (const route of [
      "app/(chat)/api/chat/route.ts",
      "app/(chat)/api/chat/[id]/stream/route.ts",
      "app/(chat)/api/images/route.ts",
      "app/(chat)/api/playground/route.ts",
      "app/(chat)/api/audio/transcriptions/route.ts",
      "app/api/telegram/webhook/route.ts",
    ]) {
      expect(fs.readFileSync(route, "utf8"), route).toContain(
        `export const maxDuration = ${CHAT_MAX_DURATION_SECONDS};`,
      );
    }
  });

  it("takes a Telegram bot only with its webhook secret, and checks both", () => {
    const token = "123456789:AAE_abcdefghijklmnopqrstuvwxyz0123";
    const webhookSecret = "a".repeat(32);
    const bot = parseEnv({ AUTH_SECRET: secret, TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: webhookSecret });
    expect(bot.success && bot.data).toMatchObject({
      TELEGRAM_API_BASE_URL: "https://api.telegram.org",
      TELEGRAM_GUEST_MONTHLY_BUDGET_USD: "0",
    });
    const alone = parseEnv({ AUTH_SECRET: secret, TELEGRAM_BOT_TOKEN: token });
    expect(!alone.success && formatEnvError(alone.error)).toContain("TELEGRAM_WEBHOOK_SECRET is required with");
    const bad = parseEnv({
      AUTH_SECRET: secret,
      TELEGRAM_BOT_TOKEN: "not a token",
      TELEGRAM_WEBHOOK_SECRET: "short!",
      TELEGRAM_GUEST_MONTHLY_BUDGET_USD: "-1",
    });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    const message = formatEnvError(bad.error);
    expect(message).toContain("TELEGRAM_BOT_TOKEN must be the token @BotFather gave");
    expect(message).toContain("TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters");
    expect(message).toContain("TELEGRAM_GUEST_MONTHLY_BUDGET_USD");
  });

  it("takes the WeChat official account and the WeCom app whole or not at all, and checks their fields", () => {
    const aesKey = "a".repeat(43);
    const mp = {
      WECHAT_MP_TOKEN: "token123",
      WECHAT_MP_APP_ID: "wx0123456789abcdef",
      WECHAT_MP_APP_SECRET: "0123456789abcdef0123456789abcdef",
    };
    const wecom = {
      WECOM_CORP_ID: "ww0123456789abcdef",
      WECOM_AGENT_ID: "1000002",
      WECOM_SECRET: "secret_of_the_app_0123456789",
      WECOM_TOKEN: "worktoken",
      WECOM_ENCODING_AES_KEY: aesKey,
    };
    const both = parseEnv({ AUTH_SECRET: secret, ...mp, WECHAT_MP_ENCODING_AES_KEY: aesKey, ...wecom });
    expect(both.success && both.data).toMatchObject({
      WECHAT_MP_ACTIVE_REPLY: false,
      WECHAT_API_BASE_URL: "https://api.weixin.qq.com",
      WECOM_AGENT_ID: 1000002,
      WECOM_API_BASE_URL: "https://qyapi.weixin.qq.com",
      WECHAT_GUEST_MONTHLY_BUDGET_USD: "0",
    });
    const half = parseEnv({ AUTH_SECRET: secret, WECHAT_MP_TOKEN: "token123", WECOM_CORP_ID: "ww0123456789abcdef" });
    expect(half.success).toBe(false);
    if (half.success) return;
    const missing = formatEnvError(half.error);
    expect(missing).toContain("WECHAT_MP_APP_ID is required with WECHAT_MP_TOKEN, WECHAT_MP_APP_SECRET");
    expect(missing).toContain("WECOM_SECRET is required with");
    const bad = parseEnv({
      AUTH_SECRET: secret,
      ...mp,
      WECHAT_MP_APP_ID: "not-an-appid",
      WECHAT_MP_ENCODING_AES_KEY: "short",
      WECHAT_MP_ACTIVE_REPLY: "yes",
    });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    const message = formatEnvError(bad.error);
    expect(message).toContain("WECHAT_MP_APP_ID must be the account's AppID");
    expect(message).toContain("WECHAT_MP_ENCODING_AES_KEY must be the 43 letters and digits");
    expect(message).toContain("WECHAT_MP_ACTIVE_REPLY must be true or false");
  });
});
