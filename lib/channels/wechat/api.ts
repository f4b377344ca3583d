import "server-only";
import { redactSecrets } from "@/lib/ai/errors";
import { configuredSecrets } from "@/lib/env";
import type { WechatMpConfig, WecomConfig } from "./config";

// Tencent's server APIs, as the two WeChat channels use them: an access token (fetched with the app's secret, cached
// until shortly before it expires, fetched again when Tencent says it is no longer valid), the official account's
// customer-service message (客服消息), WeCom's message/send, and media downloads. Tencent answers errors with HTTP 200
// and a JSON body holding `errcode`, so every answer is read for it.

export type WechatApi = { kind: "mp"; config: WechatMpConfig } | { kind: "work"; config: WecomConfig };

/** Tencent's refusal of a call: its errcode and errmsg. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
    readonly call: string,
  ) {
    super(`${call}: errcode ${errcode} ${errmsg}`);
    this.name = "WechatApiError";
  }
}

/** The errcodes meaning "this access token is not (or no longer) valid": fetch a new one and call again, once. */
const STALE_TOKEN_CODES = new Set([40001, 40014, 42001]);
/** WeCom refuses calls from an IP not on the app's trusted list (docs/wechat.md). */
export const UNTRUSTED_IP_CODE = 60020;
/** A token is fetched again this long before Tencent says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** The most a text message may hold, in UTF-8 bytes (the customer-service message and WeCom's text and markdown). */
export const WECHAT_TEXT_LIMIT_BYTES = 2048;
/** A call to Tencent gives up after this long. */
const CALL_TIMEOUT_MS = 15_000;

type CachedToken = { token: string; expiresAt: number };
const tokens = new Map<string, Promise<CachedToken>>();

function tokenKey(api: WechatApi) {
  return api.kind === "mp" ? `mp:${api.config.appId}` : `work:${api.config.corpId}:${api.config.agentId}`;
}

async function fetchToken(api: WechatApi): Promise<CachedToken> {
  const url =
    api.kind === "mp"
      ? `${api.config.apiRoot}/cgi-bin/token?${new URLSearchParams({
          grant_type: "client_credential",
          appid: api.config.appId,
          secret: api.config.appSecret,
        })}`
      : `${api.config.apiRoot}/cgi-bin/gettoken?${new URLSearchParams({
          corpid: api.config.corpId,
          corpsecret: api.config.secret,
        })}`;
  const answer = await readAnswer(await fetch(url, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }), "gettoken");
  const token = answer.access_token;
  if (typeof token !== "string" || !token) throw new WechatApiError(-1, "no access_token in the answer", "gettoken");
  const expiresIn = typeof answer.expires_in === "number" ? answer.expires_in : 7200;
  return { token, expiresAt: Date.now() + expiresIn * 1000 - TOKEN_MARGIN_MS };
}

/** The cached access token, fetched when there is none, it is about to expire or `isStale` (one fetch at a time). */
async function accessToken(api: WechatApi, isStale = false): Promise<string> {
  const key = tokenKey(api);
  const cached = tokens.get(key);
  if (cached && !isStale) {
    const token = await cached.catch(() => null);
    if (token && token.expiresAt > Date.now()) return token.token;
  }
  const fetching = fetchToken(api);
  tokens.set(key, fetching);
  fetching.catch(() => {
    if (tokens.get(key) === fetching) tokens.delete(key);
  });
  return (await fetching).token;
}

/** Reads Tencent's JSON answer; throws WechatApiError for a non-zero errcode or an answer that is not JSON. */
async function readAnswer(response: Response, call: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new WechatApiError(-1, `HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`, call);
  }
  const errcode = typeof answer.errcode === "number" ? answer.errcode : 0;
  if (errcode !== 0) throw new WechatApiError(errcode, String(answer.errmsg ?? ""), call);
  return answer;
}

/** Calls an API with the access token; a stale token is replaced and the call made again, once. */
async function withToken<T>(api: WechatApi, call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(await accessToken(api));
  } catch (error) {
    if (!(error instanceof WechatApiError && STALE_TOKEN_CODES.has(error.errcode))) throw error;
    return call(await accessToken(api, true));
  }
}

async function postJson(url: string, body: unknown, call: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  return readAnswer(response, call);
}

/**
 * Sends `text` to a user (the official account's OpenID, or a WeCom UserID), split into as many messages as the limit
 * needs, in order. WeCom's are markdown when `isMarkdown` (a model's answer), else text.
 */
export async function sendWechatText(
  api: WechatApi,
  { toUser, text, isMarkdown = false }: { toUser: string; text: string; isMarkdown?: boolean },
) {
  for (const part of splitByBytes(text, WECHAT_TEXT_LIMIT_BYTES)) {
    await withToken(api, (token) => {
      if (api.kind === "mp") {
        return postJson(
          `${api.config.apiRoot}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`,
          { touser: toUser, msgtype: "text", text: { content: part } },
          "message/custom/send",
        );
      }
      const msgtype = isMarkdown ? "markdown" : "text";
      return postJson(
        `${api.config.apiRoot}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`,
        { touser: toUser, msgtype, agentid: api.config.agentId, [msgtype]: { content: part } },
        "message/send",
      );
    });
  }
}

/** Downloads a message's media (a voice message's audio) at most `maxBytes` long; Tencent's refusal throws. */
export async function downloadWechatMedia(api: WechatApi, mediaId: string, maxBytes: number): Promise<Buffer> {
  return withToken(api, async (token) => {
    const response = await fetch(
      `${api.config.apiRoot}/cgi-bin/media/get?${new URLSearchParams({ access_token: token, media_id: mediaId })}`,
      { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
    );
    const type = response.headers.get("content-type") ?? "";
    // An error is JSON, sometimes typed text/plain; media comes with its own type (audio/amr…).
    if (!response.ok || type.startsWith("application/json") || type.startsWith("text/")) {
      await readAnswer(response, "media/get");
      throw new WechatApiError(-1, `HTTP ${response.status} without media`, "media/get");
    }
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > maxBytes) throw new WechatApiError(-1, `media of ${length} bytes is too large`, "media/get");
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > maxBytes)
      throw new WechatApiError(-1, `media of ${bytes.length} bytes is too large`, "media/get");
    return bytes;
  });
}

/** `text` in parts of at most `limit` UTF-8 bytes, cut between characters (preferably at a line break). */
export function splitByBytes(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > limit) {
    let end = 0;
    let bytes = 0;
    for (const char of rest) {
      const size = Buffer.byteLength(char);
      if (bytes + size > limit) break;
      bytes += size;
      end += char.length;
    }
    const lineBreak = rest.lastIndexOf("\n", end);
    const cut = lineBreak > end / 2 ? lineBreak + 1 : end;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}

/** Logs a failed call to Tencent, the untrusted-IP refusal with what to do about it; never a secret. */
export function logWechatError(context: string, error: unknown) {
  if (error instanceof WechatApiError && error.errcode === UNTRUSTED_IP_CODE) {
    console.warn(
      `[wechat] ${context}: WeCom refused this server's IP (60020). Add it to the app's trusted IPs (企业可信IP); on Vercel that needs a static outbound IP (docs/wechat.md).`,
    );
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[wechat] ${context}: ${redactSecrets(message, configuredSecrets())}`);
}

/** Forgets the cached access tokens (tests, and a changed secret). */
export function clearWechatTokens() {
  tokens.clear();
}
