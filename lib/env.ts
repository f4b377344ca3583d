import "server-only";
import { type Env, formatEnvError, parseEnv } from "./env-schema";

let cached: Env | undefined;

/** The validated environment; throws a message naming each wrong variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.success) throw new Error(formatEnvError(result.error));
  cached = result.data;
  return cached;
}

/**
 * Every configured secret, verbatim, to redact from what is shown or logged (redactSecrets). Read straight from
 * process.env so it works even while the environment is invalid; a database URL contributes its password.
 */
export function configuredSecrets(): string[] {
  const {
    OPENAI_API_KEY,
    AUTH_SECRET,
    AUTH_GITHUB_SECRET,
    AUTH_GOOGLE_SECRET,
    DATABASE_URL,
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    WECHAT_MP_TOKEN,
    WECHAT_MP_APP_SECRET,
    WECHAT_MP_ENCODING_AES_KEY,
    WECOM_SECRET,
    WECOM_TOKEN,
    WECOM_ENCODING_AES_KEY,
  } = process.env;
  let databasePassword = "";
  try {
    databasePassword = decodeURIComponent(new URL(DATABASE_URL ?? "").password);
  } catch {
    // Not a URL (a SQLite file path): no password.
  }
  return [
    OPENAI_API_KEY,
    AUTH_SECRET,
    AUTH_GITHUB_SECRET,
    AUTH_GOOGLE_SECRET,
    databasePassword,
    TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    WECHAT_MP_TOKEN,
    WECHAT_MP_APP_SECRET,
    WECHAT_MP_ENCODING_AES_KEY,
    WECOM_SECRET,
    WECOM_TOKEN,
    WECOM_ENCODING_AES_KEY,
  ].filter((secret): secret is string => Boolean(secret));
}
