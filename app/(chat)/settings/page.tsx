import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/auth/password-form";
import { LocaleSwitch } from "@/components/i18n/locale-switch";
import { AppearanceSection } from "@/components/settings/appearance-section";
import { BudgetForm } from "@/components/settings/budget-form";
import { DataSection } from "@/components/settings/data-section";
import { linkedAccountName } from "@/components/settings/linked-account";
import { StorageUsage } from "@/components/settings/storage-usage";
import { TelegramSection } from "@/components/settings/telegram-section";
import { VoiceSection } from "@/components/settings/voice-section";
import { type WechatChannel, WechatSection } from "@/components/settings/wechat-section";
import { Toaster } from "@/components/ui/toaster";
import { Money } from "@/components/usage/money";
import { requirePageUserId } from "@/lib/auth";
import { budgetFormValues } from "@/lib/billing/budget";
import { formatUsd } from "@/lib/billing/money";
import { telegramConfig } from "@/lib/channels/telegram/bot";
import { wechatMpConfig, wecomConfig } from "@/lib/channels/wechat/config";
import { budgetPolicy, defaultMonthlyBudgetMicros, displayCurrency, maxUserMonthlyBudgetMicros } from "@/lib/config";
import { getChannelAccountOf } from "@/lib/db/channels";
import { getBudgetStatus } from "@/lib/db/ledger";
import { getBudgetSetting } from "@/lib/db/users";
import { storageLimits, storageUsed } from "@/lib/storage/files";
import { changePassword } from "../../(auth)/actions";
import { createTelegramLink, createWechatLinkCode, saveBudget, unlinkTelegram, unlinkWechat } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("settings") };
}

/** `?password=changed`: where a password change lands (app/(auth)/actions.ts changePassword says why). */
export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const userId = await requirePageUserId();
  const defaultMicros = defaultMonthlyBudgetMicros();
  const maxMicros = maxUserMonthlyBudgetMicros();
  // The Telegram section shows only on a server with a bot.
  const hasTelegram = telegramConfig() !== null;
  // The WeChat section, only those of its channels the server has.
  const wechatChannels: WechatChannel[] = [];
  if (wechatMpConfig()) wechatChannels.push("wechat_mp");
  if (wecomConfig()) wechatChannels.push("wecom");
  const [status, setting, storedBytes, telegramAccount, wechatLinks] = await Promise.all([
    getBudgetStatus({ userId, policy: budgetPolicy() }),
    getBudgetSetting({ userId }),
    storageUsed(userId),
    hasTelegram ? getChannelAccountOf({ channel: "telegram", userId }) : null,
    Promise.all(
      wechatChannels.map(async (channel) => {
        const account = await getChannelAccountOf({ channel, userId });
        return {
          channel,
          linked: account && { name: linkedAccountName(account), linkedAt: account.linkedAt.toISOString() },
        };
      }),
    ),
  ]);
  const currency = displayCurrency();
  const t = await getTranslations("settings");
  const format = await getFormatter();
  // What a budget of `micros` reads as: null is no limit at all.
  const limitLabel = (micros: number | null) => (micros === null ? t("budget.unlimited") : formatUsd(micros));
  return (
    <div className="flex-1 overflow-y-auto">
      <Toaster />
      <div className="mx-auto flex max-w-2xl flex-col gap-8 px-6 py-8">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <section className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-6">
          <div>
            <h2 className="text-lg font-semibold">{t("budget.heading")}</h2>
            <p className="mt-1 text-sm text-zinc-600">{t("budget.intro")}</p>
            <p className="mt-2 text-sm">
              {t.rich("budget.thisMonth", {
                spent: () => <Money micros={status.spentMicros + status.reservedMicros} currency={currency} />,
                limit: status.limitMicros === null ? t("budget.noLimit") : formatUsd(status.limitMicros),
                date: format.dateTime(new Date(status.resetsOn), { dateStyle: "long" }),
              })}
            </p>
          </div>
          <BudgetForm
            action={saveBudget}
            initial={budgetFormValues(setting)}
            defaultLabel={limitLabel(defaultMicros)}
            maxLabel={maxMicros === null ? null : formatUsd(maxMicros)}
            adminLabel={
              setting.isBudgetSetByAdmin
                ? limitLabel(setting.budgetMode === "limited" ? setting.monthlyBudgetMicros : null)
                : null
            }
          />
        </section>
        <PasswordForm action={changePassword} isChanged={(await searchParams).password === "changed"} />
        <AppearanceSection />
        <VoiceSection />
        <section
          aria-labelledby="language-title"
          className="flex flex-col gap-3 rounded-2xl border border-zinc-200 p-6 text-sm"
        >
          <div>
            <h2 id="language-title" className="text-lg font-semibold">
              {t("language.heading")}
            </h2>
            <p className="mt-1 text-zinc-600">{t("language.intro")}</p>
          </div>
          <LocaleSwitch className="w-fit rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm" />
        </section>
        {hasTelegram ? (
          <TelegramSection
            linked={
              telegramAccount && {
                displayName: telegramAccount.displayName,
                linkedAt: telegramAccount.linkedAt.toISOString(),
              }
            }
            createLink={createTelegramLink}
            unlink={unlinkTelegram}
          />
        ) : null}
        {wechatLinks.length > 0 ? (
          <WechatSection channels={wechatLinks} createCode={createWechatLinkCode} unlink={unlinkWechat} />
        ) : null}
        <DataSection>
          <StorageUsage usedBytes={storedBytes} quotaBytes={storageLimits().userQuotaBytes} />
        </DataSection>
        <section className="flex flex-col gap-2 rounded-2xl border border-zinc-200 p-6 text-sm text-zinc-600">
          <h2 className="text-lg font-semibold text-zinc-900">{t("currency.heading")}</h2>
          <p>
            {currency
              ? t("currency.shown", {
                  currency: currency.currency,
                  rate: currency.ratePerUsd,
                  date: currency.effectiveFrom,
                })
              : t("currency.usdOnly")}
          </p>
        </section>
      </div>
    </div>
  );
}
