import { type ExchangeRate, formatMoney, formatUsd } from "@/lib/billing/money";

/** An axis label: chart scales compute in floats, so a tick is rounded to a whole micro-dollar for its label only. */
export function usdTick(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  // "$0.006500" → "$0.0065": axis labels need no trailing zeros past the cents.
  return formatUsd(Math.round(value)).replace(/(\.\d\d\d*?)0+$/, "$1");
}

/** "$0.004442" or "$0.004442 (¥0.0316)" for a tooltip. */
export function moneyText(micros: unknown, currency: ExchangeRate | null): string {
  if (typeof micros !== "number" || !Number.isSafeInteger(micros)) return "";
  return currency ? `${formatUsd(micros)} (${formatMoney(micros, currency)})` : formatUsd(micros);
}

/**
 * formatUsd shows amounts from $0.01 rounded to 4 decimals; the usage page then gives the exact amount in the
 * tooltip, so every figure can be checked to the micro-dollar. Undefined when nothing was rounded.
 */
export function exactAmountNote(micros: number): string | undefined {
  const exact = formatUsd(micros, { precision: 6 });
  return formatUsd(micros) === exact ? undefined : `Exactly ${exact}`;
}

/** Tooltip lines, skipping the empty ones; undefined when there are none. */
export function tooltip(...lines: (string | undefined)[]): string | undefined {
  return lines.filter(Boolean).join("\n") || undefined;
}

export const CHART_COLOR = "#059669";
export const GRID_COLOR = "#e4e4e7";
export const TICK_STYLE = { fontSize: 11, fill: "#71717a" };
