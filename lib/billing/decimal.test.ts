import { describe, expect, it } from "vitest";
import {
  divideCeil,
  divideRoundHalfUp,
  formatPlainDecimal,
  formatScaled,
  parseScaledDecimal,
  trimDecimals,
} from "./decimal";

describe("decimal helpers", () => {
  it("parses decimal text exactly at a scale", () => {
    expect(parseScaledDecimal("7.1234", 10)).toBe(71_234_000_000n);
    expect(parseScaledDecimal("007.5", 1)).toBe(75n);
    expect(() => parseScaledDecimal("7.12345", 4)).toThrow(/more than 4 decimals/);
  });

  it("rounds half away from zero and up for ceilings", () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(-5n, 10n)).toBe(-1n);
    expect(divideRoundHalfUp(-4n, 10n)).toBe(0n);
    expect(divideCeil(1n, 10n)).toBe(1n);
    expect(divideCeil(10n, 10n)).toBe(1n);
    expect(divideCeil(0n, 10n)).toBe(0n);
  });

  it("formats scaled integers with grouping", () => {
    expect(formatScaled(4442n, 6, 6)).toBe("0.004442");
    expect(formatScaled(-1_234_500_000n, 6, 2)).toBe("-1,234.50");
    expect(formatScaled(5n, 0, 2)).toBe("5.00");
    expect(formatScaled(999_999_500n, 6, 0)).toBe("1,000");
    expect(trimDecimals("0.0250", 2)).toBe("0.025");
    expect(trimDecimals("2.0000", 2)).toBe("2.00");
    expect(trimDecimals("2.0000", 0)).toBe("2");
  });
});

describe("formatPlainDecimal", () => {
  it.each([
    [1_000_000_000n, 6, "1000"],
    [6_000n, 6, "0.006"],
    [1_234_567n, 6, "1.234567"],
    [0n, 6, "0"],
    [-250_000n, 6, "-0.25"],
    [42n, 0, "42"],
  ])("(%s, %i) → %s and back", (value, scale, text) => {
    expect(formatPlainDecimal(value, scale)).toBe(text);
    if (value >= 0n) expect(parseScaledDecimal(text, scale)).toBe(value);
  });
});
