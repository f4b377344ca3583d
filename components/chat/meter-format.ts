import { type ExchangeRate, formatMoney, formatUsd } from "@/lib/billing/money";
import type { MeterChat } from "@/lib/chat/ui-message";
import { formatTokens } from "@/lib/utils";

/** An amount in USD in the interface's locale, with the second display currency beside it when one is set. */
export function formatMeterMoney({
  micros,
  currency,
  locale,
}: {
  micros: number;
  currency: ExchangeRate | null;
  locale: string;
}): string {
  const usd = formatUsd(micros, { locale });
  return currency ? `${usd} (${formatMoney(micros, { ...currency, locale })})` : usd;
}

/**
 * The folded meter's figures for this chat, formatted for the `meter.compact` message: tokens in and out, and its cost
 * (null when only unpriced models answered, which the message says in words).
 */
export function compactMeterFigures({
  chat,
  currency,
  locale,
}: {
  chat: MeterChat | null;
  currency: ExchangeRate | null;
  locale: string;
}): { input: string; output: string; cost: string | null } {
  return {
    input: formatTokens(chat?.promptTokens ?? 0, locale),
    output: formatTokens(chat?.completionTokens ?? 0, locale),
    cost:
      chat?.hasUnpriced && chat.costMicros === 0
        ? null
        : formatMeterMoney({ micros: chat?.costMicros ?? 0, currency, locale }),
  };
}
