import "server-only";
import { randomBytes } from "node:crypto";
import {
  claimReply,
  getReply,
  getWaitingReply,
  handOffReply,
  recordReplyDelivery,
  storeReplyText,
  storeWaitingReply,
} from "@/lib/db/channel-replies";
import { getChannelUser } from "@/lib/db/channels";
import { keepAliveUntil } from "@/lib/keep-alive";
import { inChatOrder } from "../queue";
import { botTexts, channelLocale } from "../texts";
import { logWechatError, sendWechatText, splitByBytes, WECHAT_TEXT_LIMIT_BYTES, type WechatApi } from "./api";
import {
  CallbackRefusal,
  callbackQuery,
  checkSignature,
  configured,
  messageOf,
  openEncrypted,
  parseXml,
  plainText,
  readCallbackXml,
  requireMsgSignature,
} from "./callback";
import { type WechatMpConfig, wechatMpConfig } from "./config";
import { answerWechatMessage } from "./messages";
import { encryptedReplyXml, textReplyXml } from "./xml";

// The official account's (公众号) server: WeChat's callbacks in plaintext, compatible or safe mode, answered with a
// passive reply in the callback's own response. WeChat waits 5 s for it and, getting none, delivers the same message
// again, three deliveries in all. The first delivery starts the answer (one upstream call however many deliveries
// come), and whichever delivery is waiting when it is ready replies with it. When the last delivery cannot wait any
// longer the answer is handed off: a verified service account sends it through the customer-service API when ready
// (WECHAT_MP_ACTIVE_REPLY=true); an unverified subscription account says it is thinking and gives it with the user's
// next message. State lives in the database (ChannelReply), so any instance can take any delivery.

const CHANNEL = "wechat_mp" as const;

/** A delivery replies with the answer if it is ready this soon: WeChat stops waiting at 5 s. */
const REPLY_WINDOW_MS = 4_500;
/** A delivery that is not the last is held past WeChat's 5 s, so WeChat delivers the message again. */
const HOLD_MS = 5_500;
/** WeChat delivers a message three times at most. */
const LAST_DELIVERY = 3;
/** How often a delivery looks for an answer written by another instance. */
const POLL_MS = 200;

/** The answers being written in this process, by message key: a delivery here wakes as soon as its answer is written. */
const writing = new Map<string, Promise<void>>();

function mpApi(config: WechatMpConfig): WechatApi {
  return { kind: "mp", config };
}

function activeConfig(): WechatMpConfig {
  return configured(wechatMpConfig(), "WeChat official account");
}

/** GET: the console's URL check — the signature, then `echostr` echoed. */
export function verifyMpUrl(request: Request): Response {
  const config = activeConfig();
  const url = new URL(request.url);
  const query = callbackQuery(url);
  checkSignature(query, config.token);
  return plainText(url.searchParams.get("echostr") ?? "");
}

/** POST: a message or event, answered with a passive reply (encrypted when the callback was). */
export async function handleMpCallback(request: Request): Promise<Response> {
  const started = Date.now();
  const config = activeConfig();
  const url = new URL(request.url);
  const query = callbackQuery(url);
  const isEncrypted = url.searchParams.get("encrypt_type") === "aes";
  let xml: ReturnType<typeof parseXml>;
  if (isEncrypted) {
    requireMsgSignature(query);
    if (!config.cipher) {
      throw new CallbackRefusal(400, "an encrypted message, but WECHAT_MP_ENCODING_AES_KEY is not set");
    }
    xml = parseXml(openEncrypted(query, config.cipher, (await readCallbackXml(request)).Encrypt));
  } else {
    checkSignature(query, config.token);
    xml = await readCallbackXml(request);
  }
  const message = messageOf(xml);
  const reply = (text: string) => {
    if (!text) return plainText("success");
    const plain = textReplyXml({
      toUser: message.from,
      fromUser: message.to,
      createTime: Math.floor(Date.now() / 1000),
      content: text,
    });
    if (!isEncrypted || !config.cipher) return xmlResponse(plain);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return xmlResponse(encryptedReplyXml(config.cipher, plain, { timestamp, nonce: randomBytes(8).toString("hex") }));
  };
  const { isFirst, attempts } = await recordReplyDelivery({ channel: CHANNEL, key: message.key, chatId: message.from });
  if (isFirst) {
    const waiting = config.isActiveReply ? null : await takeWaitingReply(message.key, message.from);
    if (waiting !== null) return reply(waiting);
    startAnswer(config, message);
  }
  const text = await waitForAnswer(message.key, started + REPLY_WINDOW_MS);
  if (text !== null) return reply(await deliver(config, message.key, message.from, text));
  if (attempts < LAST_DELIVERY) {
    await sleep(started + HOLD_MS - Date.now());
    return plainText("success");
  }
  if (await handOffReply({ channel: CHANNEL, key: message.key })) {
    return config.isActiveReply ? plainText("success") : reply((await textsOf(message.from))("thinking"));
  }
  // Written at the last moment after all.
  const row = await getReply({ channel: CHANNEL, key: message.key });
  return reply(row?.text ? await deliver(config, message.key, message.from, row.text) : "");
}

/** Starts writing the answer, once per message, after the chat's earlier messages; hands it on when it is written. */
function startAnswer(config: WechatMpConfig, message: ReturnType<typeof messageOf>) {
  const api = mpApi(config);
  const work = inChatOrder(`${CHANNEL}:${message.from}`, async () => {
    let text = "";
    try {
      text = (await answerWechatMessage({ api, channel: CHANNEL, message }))?.text ?? "";
    } catch (error) {
      logWechatError(`answering message ${message.key}`, error);
      text = (await textsOf(message.from))("broke");
    }
    try {
      const isHandedOff = await storeReplyText({ channel: CHANNEL, key: message.key, text });
      // No delivery waits for it: the customer-service API sends it (a service account), else the next message does.
      if (
        isHandedOff &&
        (config.isActiveReply || !text) &&
        (await claimReply({ channel: CHANNEL, key: message.key }))
      ) {
        if (text) await sendWechatText(api, { toUser: message.from, text });
      }
    } catch (error) {
      logWechatError(`delivering the answer to ${message.key}`, error);
    }
  });
  writing.set(message.key, work);
  void work.finally(() => writing.delete(message.key));
  keepAliveUntil(work);
}

/** The answer once written ("" for none), or null when it is not written by `deadline`. */
async function waitForAnswer(key: string, deadline: number): Promise<string | null> {
  for (;;) {
    const row = await getReply({ channel: CHANNEL, key });
    if (row?.text !== null && row?.text !== undefined) return row.text;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return null;
    const pause = sleep(Math.min(POLL_MS, remaining));
    await Promise.race([pause, writing.get(key) ?? pause]);
  }
}

/**
 * Takes the written answer for this delivery's reply: the whole of it when it fits one reply, else — a service account
 * — nothing in the reply and all of it through the customer-service API in order, or — a subscription account — the
 * first part, the rest kept for the next message. "" when another delivery took it.
 */
async function deliver(config: WechatMpConfig, key: string, toUser: string, text: string): Promise<string> {
  if (!text || !(await claimReply({ channel: CHANNEL, key }))) return "";
  if (Buffer.byteLength(text) <= WECHAT_TEXT_LIMIT_BYTES) return text;
  if (config.isActiveReply) {
    keepAliveUntil(
      sendWechatText(mpApi(config), { toUser, text }).catch((error) => logWechatError(`sending ${key}`, error)),
    );
    return "";
  }
  const more = (await textsOf(toUser))("more");
  const [first = "", ...rest] = splitByBytes(text, WECHAT_TEXT_LIMIT_BYTES - Buffer.byteLength(`\n\n${more}`));
  await storeWaitingReply({ channel: CHANNEL, key: `${key}:more`, chatId: toUser, text: rest.join("") });
  return `${first}\n\n${more}`;
}

/**
 * A subscription account's answer kept for this message (the user sent "any message" to fetch it): the answer, or
 * "still thinking" when it is not written yet; null when none is kept. The message itself is not answered.
 */
async function takeWaitingReply(key: string, chatId: string): Promise<string | null> {
  const waiting = await getWaitingReply({ channel: CHANNEL, chatId });
  if (!waiting) return null;
  const text =
    waiting.text === null
      ? (await textsOf(chatId))("stillThinking")
      : await deliver(activeConfig(), waiting.key, chatId, waiting.text);
  if (!text) return null;
  // This message is spent on fetching: its own retries find it delivered.
  await claimReply({ channel: CHANNEL, key });
  return text;
}

async function textsOf(openId: string) {
  const user = await getChannelUser({ channel: CHANNEL, externalId: openId });
  return botTexts(channelLocale({ chosen: user?.locale, hint: "zh" }), "wechat");
}

function xmlResponse(body: string) {
  return new Response(body, { headers: { "content-type": "application/xml; charset=utf-8" } });
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
