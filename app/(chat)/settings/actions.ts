"use server";

import { revalidatePath } from "next/cache";
import type { BudgetFormState } from "@/components/settings/budget-form";
import type { TelegramLinkState, TelegramUnlinkState } from "@/components/settings/telegram-section";
import { requireUserId } from "@/lib/auth";
import { budgetFormValues, ownBudgetRefusal } from "@/lib/billing/budget";
import { createLinkToken } from "@/lib/channels/conversations";
import { telegramBotUsername, telegramConfig } from "@/lib/channels/telegram/bot";
import { logTelegramError } from "@/lib/channels/telegram/reply";
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
