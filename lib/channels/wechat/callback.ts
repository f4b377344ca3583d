import "server-only";
import { errorResponse, readText } from "@/lib/http";
import {
  decryptWechat,
  isFreshTimestamp,
  isValidWechatSignature,
  type WechatCipher,
  WechatCryptoError,
} from "./crypto";
import type { WechatMessage } from "./messages";
import { parseWechatXml, type WechatXml, WechatXmlError } from "./xml";

// Reading a callback from WeChat's servers, for both channels: who sent it is proven by the signature over the shared
// Token (and, encrypted, over the ciphertext), a timestamp older than 5 minutes is a replay and refused, and nothing
// of the body is believed before both pass. A refusal is a plain-text 4xx naming what was wrong; nothing is done.

/** A callback body is a few hundred bytes; anything near this is not WeChat's. */
const MAX_BODY_BYTES = 64 * 1024;

/** A refused callback: its status and what to say. */
export class CallbackRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    message: string,
  ) {
    super(message);
    this.name = "CallbackRefusal";
  }

  toResponse(): Response {
    return new Response(`${this.message}\n`, {
      status: this.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
}

/** A channel's settings, or a 404 when the server has none (the channel is off). */
export function configured<T>(config: T | null, what: string): T {
  if (!config) throw new CallbackRefusal(404, `this server has no ${what}`);
  return config;
}

/** A plain-text answer: an echoed check, or "success" (WeChat's "received, nothing to reply"). */
export function plainText(body: string) {
  return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The signature's query parameters (WeChat's names). */
export type CallbackQuery = { timestamp: string; nonce: string; signature: string | null; msgSignature: string | null };

/** The query's timestamp and nonce, refused when the timestamp is missing or more than 5 minutes off. */
export function callbackQuery(url: URL, now = new Date()): CallbackQuery {
  const timestamp = url.searchParams.get("timestamp") ?? "";
  const nonce = url.searchParams.get("nonce") ?? "";
  if (!timestamp || !nonce) throw new CallbackRefusal(400, "timestamp and nonce are required");
  if (!isFreshTimestamp(timestamp, now)) {
    throw new CallbackRefusal(403, "the timestamp is more than 5 minutes off: refused as a replay");
  }
  return {
    timestamp,
    nonce,
    signature: url.searchParams.get("signature"),
    msgSignature: url.searchParams.get("msg_signature"),
  };
}

/** Checks the plaintext-mode signature: SHA-1 of the sorted token, timestamp and nonce. */
export function checkSignature(query: CallbackQuery, token: string) {
  if (!isValidWechatSignature(query.signature, token, query.timestamp, query.nonce)) {
    throw new CallbackRefusal(401, "bad signature");
  }
}

/** Refuses an encrypted callback without `msg_signature` before its body is read. */
export function requireMsgSignature(query: CallbackQuery) {
  if (!query.msgSignature) throw new CallbackRefusal(401, "msg_signature is missing");
}

/** Checks `msg_signature` over the ciphertext, then decrypts it (its receive id checked against the cipher's). */
export function openEncrypted(query: CallbackQuery, cipher: WechatCipher, encrypted: string | undefined): string {
  if (!encrypted) throw new CallbackRefusal(400, "the body has no Encrypt element");
  if (!isValidWechatSignature(query.msgSignature, cipher.token, query.timestamp, query.nonce, encrypted)) {
    throw new CallbackRefusal(401, "bad msg_signature");
  }
  try {
    return decryptWechat(cipher, encrypted);
  } catch (error) {
    if (error instanceof WechatCryptoError) throw new CallbackRefusal(400, `cannot decrypt: ${error.message}`);
    throw error;
  }
}

/** The request's body as the callback XML's fields (a malformed or oversized body is a 400). */
export async function readCallbackXml(request: Request): Promise<WechatXml> {
  return parseXml(await readText(request, MAX_BODY_BYTES));
}

export function parseXml(body: string): WechatXml {
  try {
    return parseWechatXml(body);
  } catch (error) {
    if (error instanceof WechatXmlError) throw new CallbackRefusal(400, `malformed XML: ${error.message}`);
    throw error;
  }
}

/** The message the XML holds; a message without a sender or type is refused. */
export function messageOf(xml: WechatXml): WechatMessage & { key: string; to: string } {
  const from = xml.FromUserName;
  const type = xml.MsgType;
  if (!from || !type) throw new CallbackRefusal(400, "the message has no FromUserName or MsgType");
  return {
    from,
    to: xml.ToUserName ?? "",
    type,
    content: xml.Content,
    recognition: xml.Recognition,
    mediaId: xml.MediaId,
    event: xml.Event?.toLowerCase(),
    // WeChat's retries repeat the MsgId; an event has none, and is known by its sender and time.
    key: xml.MsgId || `${from}:${xml.CreateTime ?? ""}:${xml.Event ?? ""}`,
  };
}

/** A callback route's answer: the handler's, a refusal as its 4xx, anything else as the app's error response. */
export async function answerCallback(context: string, handle: () => Response | Promise<Response>) {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof CallbackRefusal) return error.toResponse();
    return errorResponse(error, context);
  }
}
