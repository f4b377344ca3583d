import "server-only";
import { recordChannelUpdate } from "@/lib/db/channels";
import { keepAliveUntil } from "@/lib/keep-alive";
import { inChatOrder } from "../queue";
import { logWechatError, sendWechatText, type WechatApi } from "./api";
import {
  callbackQuery,
  configured,
  messageOf,
  openEncrypted,
  parseXml,
  plainText,
  readCallbackXml,
  requireMsgSignature,
} from "./callback";
import { type WecomConfig, wecomConfig } from "./config";
import { answerWechatMessage } from "./messages";

// The WeCom (企业微信) self-built app's server: encrypted callbacks (the receive id is the CorpID), each message
// handled once (by its MsgId) after the callback has been answered, and the answer sent with message/send — no 5 s
// window to fit in. WeCom accepts message/send only from the app's trusted IPs (errcode 60020; docs/wechat.md).

const CHANNEL = "wecom" as const;

function activeConfig(): WecomConfig {
  return configured(wecomConfig(), "WeCom app");
}

/** GET: the console's URL check — `echostr` is encrypted: checked, decrypted and its plaintext echoed. */
export function verifyWecomUrl(request: Request): Response {
  const config = activeConfig();
  const url = new URL(request.url);
  const echo = openEncrypted(callbackQuery(url), config.cipher, url.searchParams.get("echostr") ?? undefined);
  return plainText(echo);
}

/** POST: a message or event; answered at once (empty), handled after, its answer sent by message/send. */
export async function handleWecomCallback(request: Request): Promise<Response> {
  const config = activeConfig();
  const query = callbackQuery(new URL(request.url));
  requireMsgSignature(query);
  const xml = parseXml(openEncrypted(query, config.cipher, (await readCallbackXml(request)).Encrypt));
  const message = messageOf(xml);
  // Another app of the company signed with the same key is not ours to answer.
  if (xml.AgentID && xml.AgentID !== String(config.agentId)) return new Response("");
  if (await recordChannelUpdate({ channel: CHANNEL, updateId: message.key })) {
    const api: WechatApi = { kind: "work", config };
    keepAliveUntil(
      inChatOrder(`${CHANNEL}:${message.from}`, async () => {
        try {
          const answer = await answerWechatMessage({ api, channel: CHANNEL, message });
          if (answer) {
            await sendWechatText(api, { toUser: message.from, text: answer.text, isMarkdown: answer.isModelAnswer });
          }
        } catch (error) {
          logWechatError(`answering message ${message.key}`, error);
        }
      }),
    );
  }
  return new Response("");
}
