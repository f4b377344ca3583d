import "server-only";
import { MAX_AUDIO_BYTES } from "@/lib/audio/upload";
import { budgetPolicy } from "@/lib/config";
import { type ChannelUser, getChannelUser } from "@/lib/db/channels";
import { getUserProfile } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { enforceRateLimits, enforceUserRateLimit } from "@/lib/rate-limit";
import { answerInChat, channelUserOf, chatState, redeemLinkToken, startNewConversation } from "../conversations";
import { type Asker, collectedText, collectingWriter, modelText, refusalText, statsText } from "../replies";
import { botTexts, channelLocale } from "../texts";
import { downloadWechatMedia, logWechatError, type WechatApi } from "./api";
import { parseWechatCommand } from "./commands";

// What the WeChat channels (the official account and WeCom) answer a message, the same for both: the commands in
// Chinese and English, linking with a code from Settings, and the model's answer in the chat's conversation — on the
// linked account's ledger and budget (or a guest's, when the operator gives guests a budget). Each channel's adapter
// (mp.ts, wecom.ts) reads the message off its callback and delivers what this returns.

export type WechatChannel = "wechat_mp" | "wecom";

/** A message as both channels deliver it (the callback XML's fields). */
export type WechatMessage = {
  /** The sender: the official account's OpenID, or the WeCom UserID. */
  from: string;
  /** MsgType: text, voice, event, image… */
  type: string;
  /** A text message's Content. */
  content?: string;
  /** The official account's own recognition of a voice message (when enabled in the console). */
  recognition?: string;
  /** A voice message's media, to download and transcribe. */
  mediaId?: string;
  /** An event's name: subscribe, unsubscribe, CLICK… */
  event?: string;
};

/** What to send back: the text, and whether it is a model's answer (WeCom shows those as markdown). */
export type WechatAnswer = { text: string; isModelAnswer: boolean };

/** The reply to a message, or null for one that gets none (an event other than a follow). */
export async function answerWechatMessage({
  api,
  channel,
  message,
}: {
  api: WechatApi;
  channel: WechatChannel;
  message: WechatMessage;
}): Promise<WechatAnswer | null> {
  const command = message.type === "text" ? parseWechatCommand(message.content ?? "") : null;
  const say = (text: string): WechatAnswer => ({ text, isModelAnswer: false });
  // An event other than a follow gets no reply. A follow gets a welcome; WeCom's enter_agent (sent each time the app is
  // opened, when reported) would make one a visit, so it gets none.
  if (message.type === "event" && message.event !== "subscribe") return null;
  // Linking and help need no ChatLedger user: no guest is made for them (one about to link would be left behind).
  if (command?.name === "link" || command?.name === "help" || command?.name === "unknown") {
    const known = await getChannelUser({ channel, externalId: message.from });
    const locale = wechatLocale(known);
    const t = botTexts(locale, "wechat");
    if (command.name === "link") return say(await link({ channel, message, code: command.arg, locale }));
    if (command.name === "help") return say(t("help"));
    return say(t("unknownCommand", { command: command.word }));
  }
  const user = await channelUserOf({ channel, externalId: message.from, displayName: null });
  const locale = wechatLocale(user);
  const t = botTexts(locale, "wechat");
  if (message.type === "event" && !user) return say(`${t("welcome", { model: "ChatGPT" })}\n\n${t("notLinked")}`);
  if (!user) return say(t("notLinked"));
  const asker: Asker = { userId: user.userId, locale, t, chat: { channel, chatId: message.from, userId: user.userId } };

  if (message.type === "event") return say(t("welcome", { model: (await chatState(asker.chat)).model }));
  if (command?.name === "new") {
    await startNewConversation(asker.chat);
    return say(t("newConversation"));
  }
  if (command?.name === "stats") return say(await statsText(asker));
  if (command?.name === "model") return say(await modelText(asker, command.arg));
  if (message.type === "text") return answer(asker, message.content ?? "");
  if (message.type === "voice") return answerVoice({ api, asker, user, message });
  return say(t("unsupported"));
}

/** WeChat says nothing of its user's language: Chinese, unless a linked user chose otherwise in the app. */
function wechatLocale(user: ChannelUser | null) {
  return channelLocale({ chosen: user?.locale, hint: "zh" });
}

async function link({
  channel,
  message,
  code,
  locale,
}: {
  channel: WechatChannel;
  message: WechatMessage;
  code: string;
  locale: ReturnType<typeof channelLocale>;
}): Promise<string> {
  const t = botTexts(locale, "wechat");
  if (!code) return t("linkUsage");
  try {
    // A code is a password of sorts: its tries count against the sign-in limit of the WeChat account.
    await enforceRateLimits([{ name: "signInAccount", subject: `${channel}:${message.from}` }]);
  } catch (error) {
    return refusalText(error, { locale, t }, "wechat");
  }
  const linked = await redeemLinkToken({ channel, token: code, externalId: message.from, displayName: null });
  if (!linked) return t("linkInvalid");
  const [{ email }, user] = await Promise.all([
    getUserProfile({ userId: linked.userId }),
    getChannelUser({ channel, externalId: message.from }),
  ]);
  return botTexts(wechatLocale(user), "wechat")("linked", { email });
}

/** The model's answer to `text` in the chat's conversation, whole; a refusal (budget, rate limit…) in words. */
async function answer(asker: Asker, text: string): Promise<WechatAnswer> {
  if (!text.trim()) return { text: asker.t("help"), isModelAnswer: false };
  const { reply, writer } = collectingWriter();
  try {
    await answerInChat({ chat: asker.chat, text, writer });
  } catch (error) {
    return { text: refusalText(error, asker, "wechat"), isModelAnswer: false };
  }
  return { text: collectedText(reply, asker), isModelAnswer: !reply.failure };
}

/**
 * A voice message: the official account's own recognition when it sent one (free), else the audio downloaded and
 * transcribed (WeChat's AMR converted to WAV first), metered like the web's voice input; then answered.
 */
async function answerVoice({
  api,
  asker,
  user,
  message,
}: {
  api: WechatApi;
  asker: Asker;
  user: ChannelUser;
  message: WechatMessage;
}): Promise<WechatAnswer> {
  let text = message.recognition?.trim() ?? "";
  if (!text) {
    if (!message.mediaId) return { text: asker.t("noVoice"), isModelAnswer: false };
    try {
      text = await transcribe({ api, asker, user, mediaId: message.mediaId });
    } catch (error) {
      if (error instanceof AppError) return { text: refusalText(error, asker, "wechat"), isModelAnswer: false };
      logWechatError("a voice message", error);
      return { text: asker.t("noVoice"), isModelAnswer: false };
    }
    if (!text) return { text: asker.t("noWords"), isModelAnswer: false };
  }
  const answered = await answer(asker, text);
  return { ...answered, text: `${asker.t("transcript", { text })}\n\n${answered.text}` };
}

async function transcribe({
  api,
  asker,
  user,
  mediaId,
}: {
  api: WechatApi;
  asker: Asker;
  user: ChannelUser;
  mediaId: string;
}): Promise<string> {
  await enforceUserRateLimit("upload", user.userId);
  const downloaded = await downloadWechatMedia(api, mediaId, MAX_AUDIO_BYTES);
  // The decoder is WebAssembly of some 240 KB: loaded on the first voice message, not with the route.
  const { amrToWav, isAmr } = await import("@/lib/audio/amr");
  const audio = isAmr(downloaded)
    ? { bytes: await amrToWav(downloaded), fileName: "voice.wav" }
    : { bytes: downloaded, fileName: undefined };
  const { conversationId } = await chatState(asker.chat);
  const { transcribeAudio } = await import("@/lib/audio/transcribe");
  const transcript = await transcribeAudio({
    userId: user.userId,
    conversationId,
    audio,
    language: asker.locale === "zh-CN" ? "zh" : undefined,
    policy: budgetPolicy(),
    now: new Date(),
    source: asker.chat.channel,
  });
  return transcript.text.trim();
}
