"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { BudgetFormState } from "@/components/settings/budget-form";
import type { TelegramLinkState, TelegramUnlinkState } from "@/components/settings/telegram-section";
import type { WechatChannel, WechatCodeState, WechatUnlinkState } from "@/components/settings/wechat-section";
import { requireUserId } from "@/lib/auth";
import { budgetFormValues, ownBudgetRefusal } from "@/lib/billing/budget";
import { createLinkToken } from "@/lib/channels/conversations";
import { telegramBotUsername, telegramConfig } from "@/lib/channels/telegram/bot";
import { logTelegramError } from "@/lib/channels/telegram/reply";
import { wechatMpConfig, wecomConfig } from "@/lib/channels/wechat/config";
import { maxUserMonthlyBudgetMicros } from "@/lib/config";
import { deleteChannelAccount, LINK_TOKEN_TTL_MS } from "@/lib/db/channels";
import { getBudgetSetting, updateBudget } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { appError, requestErrorMessage, requestErrorText } from "@/lib/i18n/errors";
import { formText } from "@/lib/utils";
import { budgetChoiceMicros, budgetFormSchema, firstIssue } from "@/lib/validations";

/**
 * Saves the user's own budget; answers with what is now saved, or with what was submitted and why it was refused
 * (signed out included: a refusal is the form's message, never a thrown error, which would be a 500).
 */
export async function saveBudget(formData: FormData): Promise<BudgetFormState> {
  const submitted = { mode: formText(formData, "mode"), amountUsd: formText(formData, "amountUsd") };
  try {
    return await saveBudgetOf({ userId: await requireUserId(), submitted });
  } catch (error) {
    if (error instanceof AppError) return { ...submitted, error: await requestErrorMessage(error) };
    throw error;
  }
}

async function saveBudgetOf({
  userId,
  submitted,
}: {
  userId: string;
  submitted: { mode: string; amountUsd: string };
}): Promise<BudgetFormState> {
  const parsed = budgetFormSchema.safeParse(submitted);
  if (!parsed.success) return { ...submitted, error: await requestErrorText(firstIssue(parsed.error)) };
  const choice = parsed.data;
  if (choice.mode === "admin") {
    // "Keep what the administrator set": nothing to save, unless there is no such budget (any more).
    const setting = await getBudgetSetting({ userId });
    if (!setting.isBudgetSetByAdmin)
      return { ...budgetFormValues(setting), error: await requestErrorText({ key: "validation.budgetChoose" }) };
    return { ...budgetFormValues(setting), isSaved: true };
  }
  const monthlyBudgetMicros = budgetChoiceMicros(choice);
  const refusal = ownBudgetRefusal({
    mode: choice.mode,
    monthlyBudgetMicros,
    maxUserMicros: maxUserMonthlyBudgetMicros(),
  });
  if (refusal) return { ...submitted, error: await requestErrorText(refusal) };
  await updateBudget({ userId, mode: choice.mode, monthlyBudgetMicros });
  revalidatePath("/", "layout");
  return { ...budgetFormValues(await getBudgetSetting({ userId })), isSaved: true };
}

/** Runs a settings action for the signed-in user; a refusal (signed out included) is the answer's error message. */
async function asUser<State>(work: (userId: string) => Promise<State>): Promise<State | { error: string }> {
  try {
    return await work(await requireUserId());
  } catch (error) {
    if (error instanceof AppError) return { error: await requestErrorMessage(error) };
    throw error;
  }
}

/**
 * A one-time link that links the user's Telegram account when opened (the bot's /start with the token). The token is
 * made only once the bot's username is known: when Telegram cannot be reached, nothing is made and the user is told.
 */
export async function createTelegramLink(): Promise<TelegramLinkState> {
  return asUser(async (userId) => {
    if (!telegramConfig()) throw appError("not_configured", "errors.telegramNotConfigured");
    let username: string;
    try {
      username = await telegramBotUsername();
    } catch (error) {
      logTelegramError("getMe, for a link in Settings", error);
      throw appError("upstream", "errors.telegramUnreachable");
    }
    const { token, expiresAt } = await createLinkToken({ channel: "telegram", userId });
    // The only time the token exists outside the link: only its hash is stored.
    return {
      link: {
        url: `https://t.me/${username}?start=${token}`,
        expiresAt: expiresAt.toISOString(),
        validMinutes: LINK_TOKEN_TTL_MS / 60_000,
      },
    };
  });
}

/** Unlinks the user's Telegram account: the bot no longer acts as them. Their conversations from Telegram stay. */
export async function unlinkTelegram(): Promise<TelegramUnlinkState> {
  return asUser(async (userId) => {
    await deleteChannelAccount({ channel: "telegram", userId });
    revalidatePath("/settings");
    return { isUnlinked: true };
  });
}

const wechatChannelSchema = z.enum(["wechat_mp", "wecom"]) satisfies z.ZodType<WechatChannel>;

/**
 * The channel a WeChat action was called for, checked (an action's arguments are whatever the request carried):
 * anything but "wechat_mp" or "wecom" is refused as a malformed call. Extra arguments are ignored: the user is always
 * the signed-in one.
 */
function wechatChannelOf(value: unknown): WechatChannel {
  const parsed = wechatChannelSchema.safeParse(value);
  if (!parsed.success) throw appError("bad_request", "errors.inputMalformedAction");
  return parsed.data;
}

/**
 * A one-time code that links the user's account on the official account or WeCom when sent there ("#绑定 CODE"): only
 * on a server that has that channel. Making one replaces the user's earlier code on the channel.
 */
export async function createWechatLinkCode(channel: WechatChannel): Promise<WechatCodeState> {
  return asUser(async (userId) => {
    const checked = wechatChannelOf(channel);
    const config = checked === "wechat_mp" ? wechatMpConfig() : wecomConfig();
    if (!config) throw appError("not_configured", { key: "errors.wechatNotConfigured", params: { channel: checked } });
    const { token, expiresAt } = await createLinkToken({ channel: checked, userId });
    // The only time the code exists: only its hash is stored.
    return {
      code: { code: token, expiresAt: expiresAt.toISOString(), validMinutes: LINK_TOKEN_TTL_MS / 60_000 },
    };
  });
}

/**
 * Unlinks the user's account on the official account or WeCom: it no longer acts as them. Their conversations from
 * there stay. Allowed on a server that no longer has the channel too (nothing can use the link then).
 */
export async function unlinkWechat(channel: WechatChannel): Promise<WechatUnlinkState> {
  return asUser(async (userId) => {
    await deleteChannelAccount({ channel: wechatChannelOf(channel), userId });
    revalidatePath("/settings");
    return { isUnlinked: true };
  });
}
