// The environment's shape, shared by the server (lib/env.ts) and the set-up script. No "server-only" here because
// scripts import it; it holds rules, never values.
import { z } from "zod";
import { DEFAULT_MODEL } from "./ai/models";
import { parseExchangeRate, parseUsdPer1M } from "./billing/money";
import { parseModelPricesEnv } from "./billing/prices";
import { DEFAULT_POOL_SIZE, isPostgresUrl, resolveDatabaseUrl, SERVERLESS_POOL_SIZE } from "./db/database-url";
import { parseRateLimitRule } from "./rate-limit-rule";

/** A refinement that runs a throwing parser and reports its message. */
function parsedBy(parse: (value: string) => unknown) {
  return (value: string, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  };
}

/** A USD amount such as "25" or "2.50". */
const usdAmount = z.string().trim().superRefine(parsedBy(parseUsdPer1M));
const megabytes = z.coerce.number().int().min(1, { message: "must be a whole number of MB, at least 1" });
/** A rate limit such as "10/15m": requests per window (lib/rate-limit-rule.ts). */
const rateLimit = z.string().trim().superRefine(parsedBy(parseRateLimitRule));
const seconds = z.coerce.number().int().min(1, { message: "must be a whole number of seconds, at least 1" });

/** "a@example.com, b@example.com" → lower-cased addresses; throws on anything that is not an email. */
export function parseEmailList(value: string): string[] {
  const emails = value
    .split(",")
    .map((email) => email.trim().toLowerCase())
    .filter(Boolean);
  for (const email of emails) {
    if (!z.email().safeParse(email).success) throw new Error(`"${email}" is not an email address`);
  }
  return emails;
}

/** A WeChat or WeCom callback Token (令牌): what the admin console accepts. */
const wechatToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{3,32}$/, { message: "must be 3 to 32 letters or digits, as the admin console accepts" });
/** An EncodingAESKey (消息加解密密钥): 43 letters and digits. */
const encodingAesKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, { message: "must be the 43 letters and digits the admin console generated" });

const baseEnvSchema = z.object({
  OPENAI_API_KEY: z.string().trim().optional(),
  OPENAI_BASE_URL: z
    .url({ message: "must be a URL such as https://api.openai.com/v1 or http://localhost:11434/v1" })
    .optional(),
  OPENAI_MODEL: z.string().trim().min(1).default(DEFAULT_MODEL),
  OPENAI_MODELS: z.string().trim().optional(),
  AUTH_SECRET: z
    .string({ message: "is missing: run `npm run setup` to generate one into .env.local" })
    .min(32, { message: "must be at least 32 characters: generate one with `openssl rand -base64 33`" }),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:|postgres(ql)?:\/\/)/i, {
      message: 'must start with "file:" (embedded SQLite) or "postgres://" (PostgreSQL)',
    })
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Price overrides for custom or OpenAI-compatible models, JSON (docs/pricing.md).
  MODEL_PRICES: z.string().trim().superRefine(parsedBy(parseModelPricesEnv)).optional(),
  // Second currency shown beside USD: CODE:RATE_PER_USD:YYYY-MM-DD, e.g. CNY:7.1234:2026-11-01.
  DISPLAY_CURRENCY: z.string().trim().superRefine(parsedBy(parseExchangeRate)).optional(),
  // Monthly budget for users who have not chosen one: USD amount or "unlimited".
  DEFAULT_MONTHLY_BUDGET_USD: z
    .string()
    .trim()
    .default("10")
    .superRefine(parsedBy((value) => (value.toLowerCase() === "unlimited" ? null : parseUsdPer1M(value)))),
  // The most a user may choose as their own monthly budget (administrators may grant more); unset: no cap.
  MAX_USER_MONTHLY_BUDGET_USD: usdAmount.optional(),
  // A ceiling on all users' spend together per UTC month, enforced in the same reservation; unset: none.
  GLOBAL_MONTHLY_BUDGET_USD: usdAmount.optional(),
  // Who may create an account: "open", "invite" (links issued by an administrator) or "closed". The first account
  // of a new installation can always be created, and becomes an administrator.
  SIGNUP_MODE: z
    .enum(["open", "invite", "closed"], { message: 'must be "open", "invite" or "closed"' })
    .default("invite"),
  // Comma-separated emails that are administrators (besides the first account).
  ADMIN_EMAILS: z.string().trim().superRefine(parsedBy(parseEmailList)).optional(),
  // SIGNUP_MODE=open: at most this many new accounts per hour, server-wide.
  SIGNUP_MAX_PER_HOUR: z.coerce
    .number({ message: "must be a whole number of accounts, at least 1" })
    .int({ message: "must be a whole number of accounts, at least 1" })
    .min(1, { message: "must be a whole number of accounts, at least 1" })
    .default(20),
  // PostgreSQL connections per server process (pg pool size); by default 20, or 5 per function instance on Vercel,
  // where many instances share the database (through its pooler: docs/deploy-vercel.md).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).optional(),
  // The unpooled connection string migrations use when DATABASE_URL goes through a transaction pooler (PgBouncer,
  // Neon's "-pooler" host, Supabase's port 6543); Vercel's Neon integration sets DATABASE_URL_UNPOOLED, read too.
  DIRECT_DATABASE_URL: z
    .string()
    .trim()
    .refine(isPostgresUrl, { message: 'must start with "postgres://" (PostgreSQL)' })
    .optional(),
  // Set by Vercel on its builds and functions: the hosted defaults below apply, and the embedded database is refused.
  VERCEL: z.string().optional(),
  // Upstream timeouts: until the first token, between two chunks, and for the whole reply.
  UPSTREAM_FIRST_TOKEN_TIMEOUT_SECONDS: seconds.default(120),
  UPSTREAM_IDLE_TIMEOUT_SECONDS: seconds.default(60),
  // On Vercel the whole reply must end, be settled and stored within the chat function's maxDuration: there the
  // default is 270 s and at most 285 s are accepted (app/(chat)/api/chat/route.ts, docs/deploy-vercel.md).
  UPSTREAM_TOTAL_TIMEOUT_SECONDS: seconds.optional(),
  // Voice input: the transcription model (whisper-1 for servers that only have it).
  OPENAI_TRANSCRIBE_MODEL: z.string().trim().min(1).default("gpt-4o-mini-transcribe"),
  // Image generation: the images model, by default OpenAI's current one (gpt-image-1, gpt-image-1-mini, dall-e-3,
  // dall-e-2 where the upstream still serves them).
  OPENAI_IMAGE_MODEL: z.string().trim().min(1).default("gpt-image-2"),
  // The Completions playground (/playground, docs/playground.md): comma-separated models offered for the legacy
  // POST /v1/completions (OpenAI's gpt-3.5-turbo-instruct; a vLLM, llama.cpp or LM Studio model's id).
  OPENAI_COMPLETION_MODELS: z
    .string()
    .trim()
    .default("gpt-3.5-turbo-instruct")
    .transform((value) => [...new Set(value.split(",").map((name) => name.trim()))].filter(Boolean))
    .refine((models) => models.length > 0, { message: 'must name at least one model, e.g. "gpt-3.5-turbo-instruct"' })
    .refine((models) => models.every((model) => model.length <= 100), {
      message: "must list model ids of at most 100 characters each",
    }),
  // Stored files (generated and attached images, lib/storage): the largest one file may be, and what one user may
  // keep in all, in MB.
  STORAGE_MAX_FILE_MB: megabytes.default(20),
  STORAGE_USER_QUOTA_MB: megabytes.default(500),
  // Vision: model ids (comma-separated) that accept images besides OpenAI's own vision models, for OpenAI-compatible
  // servers (docs/vision.md).
  OPENAI_VISION_MODELS: z.string().trim().optional(),
  // Rate limits, <requests>/<window> with s, m or h (docs/auth.md). Where the counts live: "memory" (this process;
  // no query on the chat path) or "database" (shared by every instance on the same database).
  // The default is "database" on Vercel, whose requests are spread over many function instances.
  RATE_LIMIT_STORE: z.enum(["memory", "database"], { message: 'must be "memory" or "database"' }).optional(),
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: rateLimit.default("10/15m"),
  RATE_LIMIT_SIGN_IN_PER_IP: rateLimit.default("50/15m"),
  RATE_LIMIT_SIGN_UP_PER_IP: rateLimit.default("10/1h"),
  RATE_LIMIT_PASSWORD_CHANGE: rateLimit.default("10/15m"),
  RATE_LIMIT_CHAT: rateLimit.default("60/1m"),
  RATE_LIMIT_UPLOAD: rateLimit.default("30/1m"),
  // The Telegram bot (docs/telegram.md); without a token the app has no bot. The token from @BotFather.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: 'must be the token @BotFather gave, like "123456:ABC-DEF…"' })
    .optional(),
  // Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update; required with the token.
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, {
      message: "must be 16 to 256 letters, digits, _ or - (e.g. the output of `openssl rand -hex 32`)",
    })
    .optional(),
  // The Bot API server: Telegram's, or a self-hosted one (telegram-bot-api).
  TELEGRAM_API_BASE_URL: z
    .url({ message: "must be a URL like https://api.telegram.org" })
    .default("https://api.telegram.org"),
  // Monthly budget of each unlinked Telegram user (a guest of the bot); 0: unlinked users are refused.
  TELEGRAM_GUEST_MONTHLY_BUDGET_USD: usdAmount.default("0"),
  // The WeChat official account (公众号, docs/wechat.md): set all of token, AppID and AppSecret, or none (no route).
  // The Token of the account's server configuration (服务器配置 → 令牌): letters and digits, 3 to 32.
  WECHAT_MP_TOKEN: wechatToken.optional(),
  WECHAT_MP_APP_ID: z
    .string()
    .trim()
    .regex(/^wx[0-9a-f]{16}$/i, { message: 'must be the account\'s AppID, like "wx1234567890abcdef"' })
    .optional(),
  WECHAT_MP_APP_SECRET: z
    .string()
    .trim()
    .regex(/^[0-9a-zA-Z]{16,64}$/, { message: "must be the account's AppSecret (letters and digits)" })
    .optional(),
  // The EncodingAESKey (消息加解密密钥), for the compatible and safe modes; without it only plaintext mode works.
  WECHAT_MP_ENCODING_AES_KEY: encodingAesKey.optional(),
  // true: a verified service account sends a slow answer through the customer-service API (客服消息); false: an
  // unverified subscription account keeps it for the user's next message.
  WECHAT_MP_ACTIVE_REPLY: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
  WECHAT_API_BASE_URL: z
    .url({ message: "must be a URL like https://api.weixin.qq.com" })
    .default("https://api.weixin.qq.com"),
  // The WeCom (企业微信) self-built app (docs/wechat.md): set all five, or none (no route).
  WECOM_CORP_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{6,64}$/, { message: 'must be the company\'s CorpID, like "ww1234567890abcdef"' })
    .optional(),
  WECOM_AGENT_ID: z.coerce
    .number({ message: "must be the app's AgentId, a number" })
    .int({ message: "must be the app's AgentId, a number" })
    .positive({ message: "must be the app's AgentId, a number" })
    .optional(),
  WECOM_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, { message: "must be the app's Secret" })
    .optional(),
  WECOM_TOKEN: wechatToken.optional(),
  WECOM_ENCODING_AES_KEY: encodingAesKey.optional(),
  WECOM_API_BASE_URL: z
    .url({ message: "must be a URL like https://qyapi.weixin.qq.com" })
    .default("https://qyapi.weixin.qq.com"),
  // Monthly budget of each unlinked WeChat or WeCom user (a guest); 0: unlinked users are refused.
  WECHAT_GUEST_MONTHLY_BUDGET_USD: usdAmount.default("0"),
  // How many reverse proxies in front of the app append to X-Forwarded-For; 0 (none): the socket's address is the
  // client's, and a client's own X-Forwarded-For is ignored.
  TRUST_PROXY: z.coerce
    .number({ message: "must be the number of proxies in front of the app, 0 for none" })
    .int({ message: "must be the number of proxies in front of the app, 0 for none" })
    .min(0, { message: "must be the number of proxies in front of the app, 0 for none" })
    .default(0),
});

/**
 * The longest a function serving a reply may run on Vercel (its `maxDuration`, the most the Hobby plan allows; the
 * chat routes declare this number), and how long a reply may take there: the rest is for settling and storing it.
 */
export const CHAT_MAX_DURATION_SECONDS = 300;
const VERCEL_MAX_REPLY_SECONDS = 285;
const VERCEL_REPLY_SECONDS = 270;

/** Why the embedded database is refused on Vercel, shown by the build (npm run build → scripts/setup.ts). */
export const VERCEL_NEEDS_POSTGRES =
  "must be a PostgreSQL connection string on Vercel: the embedded SQLite database would be lost on every deploy and " +
  "is not shared by the functions that serve the app. Create a database (Neon, Supabase, Vercel's Postgres " +
  "integration…), set DATABASE_URL to its connection string and deploy again (README, Deploy to Vercel).";

export const envSchema = baseEnvSchema
  .superRefine((env, ctx) => {
    if (env.VERCEL && !isPostgresUrl(resolveDatabaseUrl(env.DATABASE_URL))) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: VERCEL_NEEDS_POSTGRES });
    }
    if (env.VERCEL && (env.UPSTREAM_TOTAL_TIMEOUT_SECONDS ?? 0) > VERCEL_MAX_REPLY_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTREAM_TOTAL_TIMEOUT_SECONDS"],
        message: `must be at most ${VERCEL_MAX_REPLY_SECONDS} on Vercel, where the chat function lives at most ${CHAT_MAX_DURATION_SECONDS} s (a reply must end, be settled and stored before that)`,
      });
    }
    if (env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["TELEGRAM_WEBHOOK_SECRET"],
        message:
          "is required with TELEGRAM_BOT_TOKEN: it proves an update came from Telegram. Set it to a random string (`openssl rand -hex 32`)",
      });
    }
    requireTogether(env, ctx, ["WECHAT_MP_TOKEN", "WECHAT_MP_APP_ID", "WECHAT_MP_APP_SECRET"]);
    if (env.WECHAT_MP_ENCODING_AES_KEY && !env.WECHAT_MP_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["WECHAT_MP_TOKEN"],
        message: "is required with WECHAT_MP_ENCODING_AES_KEY (with WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET)",
      });
    }
    requireTogether(env, ctx, [
      "WECOM_CORP_ID",
      "WECOM_AGENT_ID",
      "WECOM_SECRET",
      "WECOM_TOKEN",
      "WECOM_ENCODING_AES_KEY",
    ]);
    checkBudgetCeiling(env, ctx);
  })
  .transform((env) => ({
    ...env,
    DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? (env.VERCEL ? SERVERLESS_POOL_SIZE : DEFAULT_POOL_SIZE),
    RATE_LIMIT_STORE: env.RATE_LIMIT_STORE ?? (env.VERCEL ? "database" : "memory"),
    UPSTREAM_TOTAL_TIMEOUT_SECONDS: env.UPSTREAM_TOTAL_TIMEOUT_SECONDS ?? (env.VERCEL ? VERCEL_REPLY_SECONDS : 600),
  }));

/** A channel's settings are all set or none: one missing names the others it goes with. */
function requireTogether(
  env: z.infer<typeof baseEnvSchema>,
  ctx: z.RefinementCtx,
  names: readonly (keyof z.infer<typeof baseEnvSchema>)[],
) {
  if (!names.some((name) => env[name] !== undefined)) return;
  for (const name of names) {
    if (env[name] !== undefined) continue;
    const others = names.filter((other) => other !== name).join(", ");
    ctx.addIssue({ code: "custom", path: [name], message: `is required with ${others}: set all of them, or none` });
  }
}

function checkBudgetCeiling(env: z.infer<typeof baseEnvSchema>, ctx: z.RefinementCtx) {
  if (env.MAX_USER_MONTHLY_BUDGET_USD === undefined) return;
  const max = parseUsdPer1M(env.MAX_USER_MONTHLY_BUDGET_USD);
  const fallback = env.DEFAULT_MONTHLY_BUDGET_USD;
  if (fallback.toLowerCase() === "unlimited" || parseUsdPer1M(fallback) > max) {
    ctx.addIssue({
      code: "custom",
      path: ["DEFAULT_MONTHLY_BUDGET_USD"],
      message: `must not exceed MAX_USER_MONTHLY_BUDGET_USD (${env.MAX_USER_MONTHLY_BUDGET_USD})`,
    });
  }
}

export type Env = z.infer<typeof envSchema>;

/** Empty strings count as unset, as in most .env files. */
export function parseEnv(source: Record<string, string | undefined>) {
  const raw = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, value === "" ? undefined : value]));
  return envSchema.safeParse(raw);
}

export function formatEnvError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
  return `Invalid environment (see .env.example):\n${lines.join("\n")}`;
}
