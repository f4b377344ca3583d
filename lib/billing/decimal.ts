// Exact decimal text <-> scaled BigInt, so money never passes through a float: "0.25" at scale 6 is 250000n.

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain non-negative decimal ("0.25", "2", "7.1234") into an integer scaled by 10^scale.
 * Rejects signs, exponents, spaces, "NaN" and more than `scale` decimals: a digit we would have to drop is an error.
 */
export function parseScaledDecimal(text: string, scale: number): bigint {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new Error(`"${text}" is not a plain non-negative decimal such as "0.25"`);
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > scale) throw new Error(`"${text}" has more than ${scale} decimals`);
  return BigInt(whole + fraction.padEnd(scale, "0"));
}

/** value / divisor rounded half away from zero (half-up for the non-negative amounts we charge). */
export function divideRoundHalfUp(value: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new RangeError("divisor must be positive");
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const rounded = (magnitude * 2n + divisor) / (divisor * 2n);
  return negative ? -rounded : rounded;
}

/** value / divisor rounded up, for reservations that must never fall short. */
export function divideCeil(value: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new RangeError("divisor must be positive");
  const quotient = value / divisor;
  return value % divisor > 0n ? quotient + 1n : quotient;
}

/**
 * Formats value·10^-scale with exactly `decimals` decimals (rounding half away from zero when that drops digits)
 * and a comma between thousands: (4442n, 6, 6) → "0.004442", (-1234500000n, 6, 2) → "-1,234.50".
 */
export function formatScaled(value: bigint, scale: number, decimals: number): string {
  const rounded = decimals < scale ? divideRoundHalfUp(value, 10n ** BigInt(scale - decimals)) : value;
  const shifted = decimals > scale ? rounded * 10n ** BigInt(decimals - scale) : rounded;
  const negative = shifted < 0n;
  const digits = (negative ? -shifted : shifted).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+$)/g, ",");
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${fraction}` : ""}`;
}

/**
 * value·10^-scale in full as plain decimal text, for a form field: no grouping, no rounding, no trailing zeros.
 * (1000000000n, 6) → "1000", (6000n, 6) → "0.006", (1234567n, 6) → "1.234567". The inverse of parseScaledDecimal.
 */
export function formatPlainDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Drops trailing zeros past `minDecimals`: "0.0250" → "0.025", "2.0000" → "2.00". */
export function trimDecimals(text: string, minDecimals: number): string {
  const dot = text.indexOf(".");
  if (dot < 0) return text;
  let end = text.length;
  while (end > dot + 1 + minDecimals && text[end - 1] === "0") end--;
  return text.slice(0, end === dot + 1 ? dot : end);
}
