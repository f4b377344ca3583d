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
 * tooltip (useExactAmountNote), so every figure can be checked to the micro-dollar. Undefined when nothing was rounded.
 */
export function exactAmount(micros: number): string | undefined {
  const exact = formatUsd(micros, { precision: 6 });
  return formatUsd(micros) === exact ? undefined : exact;
}

/** Tooltip lines, skipping the empty ones; undefined when there are none. */
export function tooltip(...lines: (string | undefined)[]): string | undefined {
  return lines.filter(Boolean).join("\n") || undefined;
}

/** A chart axis's ticks from 0 to at least `max` (micro-USD), at a round step (1, 2, 2.5 or 5 × 10ⁿ) about 4 apart. */
export function axisTicks(max: number): number[] {
  if (max <= 0) return [0];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const factor = [1, 2, 2.5, 5].find((candidate) => candidate * power >= rough) ?? 10;
  // Whole micro-dollars: an axis never shows a fraction of one.
  const step = Math.max(1, Math.ceil(factor * power));
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}
