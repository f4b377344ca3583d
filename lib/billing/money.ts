// Money as text, both ways: parsing amounts and prices from settings and forms, and showing them. Amounts are integer
// micro-USD (1 USD = 1,000,000), prices integer micro-USD per 1M tokens; every conversion is exact (BigInt), and only
// display rounds. Safe on the client.
import { divideRoundHalfUp, formatPlainDecimal, formatScaled, parseScaledDecimal, trimDecimals } from "./decimal";

const MICROS_SCALE = 6;

/** Exact decimal text of USD per 1M tokens → integer micro-USD per 1M tokens: "0.25" → 250000. */
export function parseUsdPer1M(text: string): number {
  const micros = parseScaledDecimal(text, 6);
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`"${text}" is too large a price`);
  return Number(micros);
}

function micros(amount: number): bigint {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`a micro-USD amount must be an integer, got ${amount}`);
  return BigInt(amount);
}

/**
 * Display rule, exact from the integer: amounts under 0.01 show 6 decimals so a cheap message is not "$0.00";
 * larger ones round half-up to 4 decimals and drop trailing zeros down to 2. `precision` fixes the decimals instead.
 */
function formatAmount(value: bigint, scale: number, precision?: number): string {
  if (precision !== undefined) {
    if (!Number.isInteger(precision) || precision < 0 || precision > 12) {
      throw new RangeError(`precision must be 0–12 decimals, got ${precision}`);
    }
    return formatScaled(value, scale, precision);
  }
  if (value === 0n) return "0.00";
  // Decided on the 6-decimal value, so 0.0099996 shows as "0.01", not "0.010000".
  const sixDecimals = scale > 6 ? divideRoundHalfUp(value, 10n ** BigInt(scale - 6)) : value * 10n ** BigInt(6 - scale);
  if (sixDecimals > -10_000n && sixDecimals < 10_000n) return formatScaled(sixDecimals, 6, 6);
  return trimDecimals(formatScaled(value, scale, 4), 2);
}

function withSymbol(amount: string, symbol: string): string {
  return amount.startsWith("-") ? `-${symbol}${amount.slice(1)}` : `${symbol}${amount}`;
}

/** The interface language an amount is shown in (a BCP 47 tag, e.g. "zh-CN"); English by default. */
type LocaleOption = { locale?: string };

const decimalFormats = new Map<string, Intl.NumberFormat>();

/**
 * Decimal text as formatAmount writes it ("1,234.5678", English digits and grouping) in `locale`'s digits, grouping
 * and decimal sign, with the same decimals. Intl formats the decimal string itself, exactly: no float on the way.
 */
function localizeAmount(amount: string, locale: string): string {
  if (locale === "en") return amount;
  const plain = amount.replaceAll(",", "");
  const decimals = plain.includes(".") ? plain.length - plain.indexOf(".") - 1 : 0;
  const key = `${locale}|${decimals}`;
  let format = decimalFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    decimalFormats.set(key, format);
  }
  return format.format(plain as Intl.StringNumericLiteral);
}

/** micro-USD → "$0.004442", "$1.2346", "-$0.50"; in `locale`'s number format. */
export function formatUsd(
  amountMicros: number,
  { precision, locale = "en" }: { precision?: number } & LocaleOption = {},
): string {
  return withSymbol(localizeAmount(formatAmount(micros(amountMicros), MICROS_SCALE, precision), locale), "$");
}

/** A monthly limit: "$10.00", or `unlimited` ("unlimited" unless told, for the interface's language) for null. */
export function formatLimit(
  limitMicros: number | null,
  { locale = "en", unlimited = "unlimited" }: LocaleOption & { unlimited?: string } = {},
): string {
  return limitMicros === null ? unlimited : formatUsd(limitMicros, { locale });
}

/** micro-USD → the exact amount in USD for a form field, which parses back to the same amount: "1000", "0.006". */
export function formatUsdPlain(amountMicros: number): string {
  return formatPlainDecimal(micros(amountMicros), MICROS_SCALE);
}

/** A price per 1M tokens shown in full (no rounding, 2+ decimals): 25000 → "$0.025", 5000 → "$0.005". */
export function formatUsdPer1M(microsPer1M: number, { locale = "en" }: LocaleOption = {}): string {
  const amount = trimDecimals(formatScaled(micros(microsPer1M), MICROS_SCALE, MICROS_SCALE), 2);
  return withSymbol(localizeAmount(amount, locale), "$");
}

/** A second display currency at a fixed, dated rate; amounts are still stored and charged in micro-USD. */
export type ExchangeRate = {
  /** ISO 4217 code, e.g. "CNY". */
  currency: string;
  /** Units of `currency` per 1 USD, as exact decimal text, e.g. "7.1234". */
  ratePerUsd: string;
  /** YYYY-MM-DD the rate was taken, shown next to converted amounts. */
  effectiveFrom: string;
};

const MAX_RATE_DECIMALS = 10;

/** "CNY:7.1234:2026-11-01" → { currency: "CNY", ratePerUsd: "7.1234", effectiveFrom: "2026-11-01" }. */
export function parseExchangeRate(text: string): ExchangeRate {
  const match = /^([A-Z]{3}):([^:]+):(\d{4}-\d{2}-\d{2})$/.exec(text.trim());
  const [, currency, ratePerUsd, effectiveFrom] = match ?? [];
  if (!currency || !ratePerUsd || !effectiveFrom || Number.isNaN(Date.parse(effectiveFrom))) {
    throw new Error(
      `"${text}" is not an exchange rate of the form CURRENCY:UNITS_PER_USD:YYYY-MM-DD, e.g. CNY:7.1234:2026-11-01`,
    );
  }
  if (rateScaled(ratePerUsd) === 0n) throw new Error(`exchange rate "${text}" must be above 0`);
  return { currency, ratePerUsd, effectiveFrom };
}

function rateScaled(ratePerUsd: string): bigint {
  try {
    return parseScaledDecimal(ratePerUsd, MAX_RATE_DECIMALS);
  } catch (error) {
    throw new Error(
      `exchange rate: ${(error as Error).message} (units per USD, at most ${MAX_RATE_DECIMALS} decimals)`,
    );
  }
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  USD: "$",
  CNY: "¥",
  JPY: "¥",
  EUR: "€",
  GBP: "£",
  INR: "₹",
  KRW: "₩",
};

/**
 * micro-USD shown in another currency at `ratePerUsd`, converted exactly (micro-USD × rate kept as one BigInt at
 * scale 6 + 10) and rounded only for display, by the same rule as formatUsd: 4442 at CNY "7.1234" → "¥0.0316".
 */
export function formatMoney(
  amountMicros: number,
  {
    currency,
    ratePerUsd,
    precision,
    locale = "en",
  }: { currency: string; ratePerUsd: string; precision?: number } & LocaleOption,
): string {
  const converted = micros(amountMicros) * rateScaled(ratePerUsd);
  const symbol = CURRENCY_SYMBOLS[currency];
  const amount = localizeAmount(formatAmount(converted, MICROS_SCALE + MAX_RATE_DECIMALS, precision), locale);
  return symbol ? withSymbol(amount, symbol) : `${currency} ${amount}`;
}
