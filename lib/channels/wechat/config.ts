import "server-only";
import { getEnv } from "@/lib/env";
import { type WechatCipher, wechatCipher } from "./crypto";

// The WeChat channels' settings (docs/wechat.md): the official account (公众号) and the WeCom (企业微信) app. Each is
// on only when its settings are all set (the environment's schema refuses half of them); its route is a 404 otherwise.

export type WechatMpConfig = {
  token: string;
  appId: string;
  appSecret: string;
  /** For the compatible and safe modes; null: only plaintext messages can be read. */
  cipher: WechatCipher | null;
  /** Whether a slow answer goes out through the customer-service API (a verified service account). */
  isActiveReply: boolean;
  apiRoot: string;
};

export type WecomConfig = {
  corpId: string;
  agentId: number;
  secret: string;
  cipher: WechatCipher;
  apiRoot: string;
};

/** The official account's settings, or null when the server has none. */
export function wechatMpConfig(): WechatMpConfig | null {
  const env = getEnv();
  if (!env.WECHAT_MP_TOKEN || !env.WECHAT_MP_APP_ID || !env.WECHAT_MP_APP_SECRET) return null;
  return {
    token: env.WECHAT_MP_TOKEN,
    appId: env.WECHAT_MP_APP_ID,
    appSecret: env.WECHAT_MP_APP_SECRET,
    cipher: env.WECHAT_MP_ENCODING_AES_KEY
      ? wechatCipher({
          token: env.WECHAT_MP_TOKEN,
          encodingAesKey: env.WECHAT_MP_ENCODING_AES_KEY,
          receiveId: env.WECHAT_MP_APP_ID,
        })
      : null,
    isActiveReply: env.WECHAT_MP_ACTIVE_REPLY,
    apiRoot: env.WECHAT_API_BASE_URL.replace(/\/+$/, ""),
  };
}

/** The WeCom app's settings, or null when the server has none. */
export function wecomConfig(): WecomConfig | null {
  const env = getEnv();
  if (
    !env.WECOM_CORP_ID ||
    !env.WECOM_AGENT_ID ||
    !env.WECOM_SECRET ||
    !env.WECOM_TOKEN ||
    !env.WECOM_ENCODING_AES_KEY
  ) {
    return null;
  }
  return {
    corpId: env.WECOM_CORP_ID,
    agentId: env.WECOM_AGENT_ID,
    secret: env.WECOM_SECRET,
    cipher: wechatCipher({
      token: env.WECOM_TOKEN,
      encodingAesKey: env.WECOM_ENCODING_AES_KEY,
      receiveId: env.WECOM_CORP_ID,
    }),
    apiRoot: env.WECOM_API_BASE_URL.replace(/\/+$/, ""),
  };
}
