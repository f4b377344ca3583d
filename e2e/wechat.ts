// Helpers for the WeChat specs: users no other test has, callbacks signed (and encrypted) the way WeChat's servers do
// it — Tencent's published algorithm (lib/channels/wechat/crypto.ts, checked against Tencent's own sample vectors in
// its unit test) — posted to the shared app, and what the app sent to the fake Tencent APIs (e2e/fake-wechat) that
// global setup started. The fake is shared by all workers and both database runs: find calls by your own user.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { decryptWechat, encryptWechat, wechatCipher, wechatSignature } from "../lib/channels/wechat/crypto";
import { buildWechatXml, parseWechatXml } from "../lib/channels/wechat/xml";
import { type Account, createAccount } from "./accounts";
import { TEST_SECRETS, WECHAT_IDS } from "./app-server";
import type { TestDatabase } from "./db";
import type { RecordedCall } from "./fake-wechat/server";
import { waitForRecordedCall } from "./recorded-calls";

export type { RecordedCall } from "./fake-wechat/server";

export const MP_CIPHER = wechatCipher({
  token: TEST_SECRETS.WECHAT_MP_TOKEN,
  encodingAesKey: TEST_SECRETS.WECHAT_MP_ENCODING_AES_KEY,
  receiveId: WECHAT_IDS.mpAppId,
});
export const WECOM_CIPHER = wechatCipher({
  token: TEST_SECRETS.WECOM_TOKEN,
  encodingAesKey: TEST_SECRETS.WECOM_ENCODING_AES_KEY,
  receiveId: WECHAT_IDS.corpId,
});
/** The official account's own id, the ToUserName of every message to it. */
const MP_ACCOUNT = "gh_0e2e0e2e0e2e";

/** An OpenID of the official account's: "o" and 27 base64url characters, as WeChat's look. */
export const newOpenId = () => `o${randomBytes(21).toString("base64url").slice(0, 27)}`;
/** A WeCom UserID (the member's account in the company's directory). */
export const newWecomUser = () => `e2e_${randomBytes(6).toString("hex")}`;

// MsgIds are 64-bit numbers, written in decimal; random, so workers and runs never meet.
const newMsgId = () => `${randomInt(1_000_000_000, 2_000_000_000)}${randomInt(100_000_000, 999_999_999)}`;
const now = () => Math.floor(Date.now() / 1000);

export type Fields = Record<string, string | number>;

/** A text message from `from` to the official account (or, with `toUser`, the WeCom app), with a new MsgId. */
export function textMessage(from: string, content: string, { toUser = MP_ACCOUNT } = {}): Fields {
  return {
    ToUserName: toUser,
    FromUserName: from,
    CreateTime: now(),
    MsgType: "text",
    Content: content,
    MsgId: newMsgId(),
  };
}

/** A voice message: its MediaId, and the official account's recognition when given. */
export function voiceMessage(
  from: string,
  { mediaId, recognition, toUser = MP_ACCOUNT }: { mediaId: string; recognition?: string; toUser?: string },
): Fields {
  return {
    ToUserName: toUser,
    FromUserName: from,
    CreateTime: now(),
    MsgType: "voice",
    MediaId: mediaId,
    Format: "amr",
    ...(recognition === undefined ? {} : { Recognition: recognition }),
    MsgId: newMsgId(),
  };
}

export function eventMessage(from: string, event: string, { toUser = MP_ACCOUNT } = {}): Fields {
  return { ToUserName: toUser, FromUserName: from, CreateTime: now(), MsgType: "event", Event: event };
}

function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run the specs through `playwright test`");
  return url;
}

export type MpMode = "plaintext" | "compatible" | "safe";

export type Posted = {
  status: number;
  body: string /** The reply's fields, decrypted when it was encrypted. */;
  reply: Fields | null;
};

/**
 * POSTs `message` to the official account's callback as WeChat does in `mode`: plaintext (signature over the token,
 * timestamp and nonce), compatible (the plaintext and its ciphertext) or safe (the ciphertext only, msg_signature).
 * `timestamp` and `signature` override the real ones (a replay, a forgery).
 */
export async function postMp(
  message: Fields,
  {
    mode = "safe",
    timestamp = String(now()),
    signature,
    url = baseUrl(),
  }: { mode?: MpMode; timestamp?: string; signature?: string; url?: string } = {},
): Promise<Posted> {
  const nonce = String(randomInt(1_000_000_000));
  const plain = buildWechatXml(message);
  const query = new URLSearchParams({
    timestamp,
    nonce,
    openid: String(message.FromUserName),
    signature: signature ?? wechatSignature(TEST_SECRETS.WECHAT_MP_TOKEN, timestamp, nonce),
  });
  let body = plain;
  if (mode !== "plaintext") {
    const encrypted = encryptWechat(MP_CIPHER, plain);
    query.set("encrypt_type", "aes");
    query.set("msg_signature", signature ?? wechatSignature(MP_CIPHER.token, timestamp, nonce, encrypted));
    body = buildWechatXml(
      mode === "safe"
        ? { ToUserName: String(message.ToUserName), Encrypt: encrypted }
        : { ...message, Encrypt: encrypted },
    );
  }
  const response = await fetch(`${url}/api/wechat/mp?${query}`, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text, reply: readReply(text) };
}

/** A passive reply's fields: decrypted (after checking its signature) when encrypted; null for "success" or "". */
function readReply(text: string): Fields | null {
  if (!text.startsWith("<xml>")) return null;
  const xml = parseWechatXml(text);
  if (!xml.Encrypt) return xml;
  const expected = wechatSignature(MP_CIPHER.token, xml.TimeStamp ?? "", xml.Nonce ?? "", xml.Encrypt);
  if (xml.MsgSignature !== expected) throw new Error(`the reply's MsgSignature is wrong: ${text}`);
  return parseWechatXml(decryptWechat(MP_CIPHER, xml.Encrypt));
}

/** POSTs `message` to the WeCom app's callback, encrypted and signed as WeCom does; returns the status and body. */
export async function postWecom(
  message: Fields,
  {
    timestamp = String(now()),
    signature,
    url = baseUrl(),
  }: { timestamp?: string; signature?: string; url?: string } = {},
) {
  const nonce = String(randomInt(1_000_000_000));
  const encrypted = encryptWechat(WECOM_CIPHER, buildWechatXml({ ...message, AgentID: WECHAT_IDS.agentId }));
  const query = new URLSearchParams({
    msg_signature: signature ?? wechatSignature(WECOM_CIPHER.token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  });
  const response = await fetch(`${url}/api/wechat/work?${query}`, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body: buildWechatXml({ ToUserName: WECHAT_IDS.corpId, AgentID: WECHAT_IDS.agentId, Encrypt: encrypted }),
  });
  return { status: response.status, body: await response.text() };
}

function fakeUrl(): string {
  const url = process.env.FAKE_WECHAT_URL;
  if (!url)
    throw new Error("FAKE_WECHAT_URL is not set: run the specs through `playwright test` (e2e/global-setup.ts)");
  return url;
}

async function hook<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fakeUrl()}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export type CallFilter = { since?: number; touser?: string; path?: string };

/** The API calls the fake recorded, oldest first. */
export function wechatCalls({ since, touser, path }: CallFilter = {}): Promise<RecordedCall[]> {
  const query = new URLSearchParams();
  if (since !== undefined) query.set("since", String(since));
  if (touser) query.set("touser", touser);
  if (path) query.set("path", path);
  return hook(`/__calls?${query}`);
}

export async function wechatSeq(): Promise<number> {
  return (await hook<{ seq: number }>("/__seq")).seq;
}

/** What a sent message said (a customer-service message's or message/send's content). */
export function sentText(call: RecordedCall): string {
  const body = call.body as { text?: { content?: string }; markdown?: { content?: string } } | null;
  return body?.text?.content ?? body?.markdown?.content ?? "";
}

/**
 * The first call matching `filter` and `where`, polled every 100 ms. The default timeout is a model reply's on a
 * loaded machine: pass less when waiting for less.
 */
export async function waitForWechatCall(
  filter: CallFilter & { where?: (call: RecordedCall) => boolean },
  { timeout = 30_000 }: { timeout?: number } = {},
): Promise<RecordedCall> {
  const { where, ...query } = filter;
  return waitForRecordedCall({
    read: () => wechatCalls(query),
    where,
    timeout,
    what: `WeChat call matching ${JSON.stringify(query)}`,
    describe: (call) => `${call.path} ${call.status} ${JSON.stringify(call.body).slice(0, 200)}`,
  });
}

/** Makes `bytes` downloadable from both APIs' media/get under `mediaId`. */
export async function registerMedia({
  mediaId,
  bytes,
  contentType = "audio/amr",
}: {
  mediaId: string;
  bytes: Buffer;
  contentType?: string;
}) {
  await hook("/__media", { mediaId, contentType, base64: bytes.toString("base64") });
}

/** Every access token the API issued so far is expired from now on (42001). */
export async function expireTokens(api: "mp" | "work") {
  await hook("/__expire-tokens", { api });
}

/** A link code as Settings makes one, stored by its hash (the normalized code's SHA-256) for `account`. */
export async function storeLinkCode(db: TestDatabase, account: Account, channel: "wechat_mp" | "wecom") {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("");
  const code = `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  await db.query(
    `INSERT INTO "ChannelLinkToken" ("tokenHash", "channel", "userId", "expiresAt", "createdAt") VALUES ($1, $2, $3, $4, $5)`,
    [
      createHash("sha256").update(chars).digest("hex"),
      channel,
      account.id,
      new Date(Date.now() + 600_000).toISOString(),
      new Date().toISOString(),
    ],
  );
  return code;
}

/** A new user linked to a new official-account OpenID with "#绑定 <code>", as a user does (the reply says 已关联). */
export async function linkedMpUser(db: TestDatabase, { budgetMicros = null }: { budgetMicros?: number | null } = {}) {
  const account = await createAccount(db, { prefix: "wx", budgetMicros });
  const code = await storeLinkCode(db, account, "wechat_mp");
  const openId = newOpenId();
  const { reply } = await postMp(textMessage(openId, `#绑定 ${code}`));
  if (!String(reply?.Content ?? "").startsWith("已关联")) {
    throw new Error(`linking answered ${JSON.stringify(reply)}`);
  }
  return { account, openId };
}

/** A new user linked to a new WeCom member with "/link <code>"; waits for the app's "已关联" message. */
export async function linkedWecomUser(
  db: TestDatabase,
  { budgetMicros = null }: { budgetMicros?: number | null } = {},
) {
  const account = await createAccount(db, { prefix: "wecom", budgetMicros });
  const code = await storeLinkCode(db, account, "wecom");
  const userId = newWecomUser();
  const since = await wechatSeq();
  const { status } = await postWecom(textMessage(userId, `/link ${code}`, { toUser: WECHAT_IDS.corpId }));
  if (status !== 200) throw new Error(`the WeCom callback answered ${status}`);
  await waitForWechatCall({ since, touser: userId, where: (call) => sentText(call).startsWith("已关联") });
  return { account, userId };
}
