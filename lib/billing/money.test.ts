import { describe, expect, it } from "vitest";
import {
  formatLimit,
  formatMoney,
  formatUsd,
  formatUsdPer1M,
  formatUsdPlain,
  parseExchangeRate,
  parseUsdPer1M,
} from "./money";

describe("parseUsdPer1M", () => {
  it("turns exact decimal text into integer micro-USD per 1M tokens", () => {
    expect(parseUsdPer1M("0.25")).toBe(250_000);
    expect(parseUsdPer1M("2")).toBe(2_000_000);
    expect(parseUsdPer1M("0.025")).toBe(25_000);
    expect(parseUsdPer1M("1.100000")).toBe(1_100_000);
    expect(parseUsdPer1M("0.000001")).toBe(1);
    expect(parseUsdPer1M("0")).toBe(0);
    // 0.1 + 0.2 is 0.30000000000000004 in floats; the parse never goes through a float.
    expect(parseUsdPer1M("0.3")).toBe(300_000);
  });

  it.each(["-1", "NaN", "Infinity", "1e3", "", " 1", "1.", ".5", "0,25", "$1", "0.0000001"])("rejects %j", (text) => {
    expect(() => parseUsdPer1M(text)).toThrow();
  });

  it("says why a seventh decimal is refused", () => {
    expect(() => parseUsdPer1M("0.0000001")).toThrow(/more than 6 decimals/);
  });
});

describe("formatUsd", () => {
  it.each([
    [0, "$0.00"],
    [1, "$0.000001"],
    [4442, "$0.004442"],
    [9_999, "$0.009999"],
    [10_000, "$0.01"],
    [25_000, "$0.025"],
    [1_000_050, "$1.0001"], // 1.00005 rounds half-up at 4 decimals
    [1_234_567, "$1.2346"],
    [2_000_000, "$2.00"],
    [1_234_567_890_123, "$1,234,567.8901"],
    [-4442, "-$0.004442"],
    [-500_000, "-$0.50"],
  ])("%i micro-USD → %s", (micros, text) => {
    expect(formatUsd(micros)).toBe(text);
  });

  it("takes a fixed precision", () => {
    expect(formatUsd(4442, { precision: 2 })).toBe("$0.00");
    expect(formatUsd(5_000, { precision: 2 })).toBe("$0.01");
    expect(formatUsd(2_000_000, { precision: 6 })).toBe("$2.000000");
    expect(formatUsd(-1_555_000, { precision: 2 })).toBe("-$1.56");
  });

  it("accepts only whole micro-USD", () => {
    expect(() => formatUsd(0.5)).toThrow(/integer/);
  });
});

describe("formatUsdPlain", () => {
  it.each([
    [1_000_000_000, "1000"],
    [6_000, "0.006"],
    [1_234_567, "1.234567"],
    [10_000_000, "10"],
    [12_500_000, "12.5"],
    [1, "0.000001"],
    [0, "0"],
    [123_456_789_000_000, "123456789"],
  ])("%i micro-USD → %s: exact, no grouping, no rounding", (micros, text) => {
    expect(formatUsdPlain(micros)).toBe(text);
    expect(parseUsdPer1M(text)).toBe(micros);
  });

  it("refuses what is not a whole micro-USD amount", () => {
    expect(() => formatUsdPlain(0.5)).toThrow(RangeError);
  });
});

describe("formatUsdPer1M", () => {
  it.each([
    [250_000, "$0.25"],
    [25_000, "$0.025"],
    [5_000, "$0.005"],
    [2_000_000, "$2.00"],
    [1, "$0.000001"],
  ])("%i micro-USD per 1M → %s", (micros, text) => {
    expect(formatUsdPer1M(micros)).toBe(text);
  });
});

describe("exchange rates", () => {
  const cny = parseExchangeRate("CNY:7.1234:2026-11-01");

  it("parses CURRENCY:UNITS_PER_USD:DATE", () => {
    expect(cny).toEqual({ currency: "CNY", ratePerUsd: "7.1234", effectiveFrom: "2026-11-01" });
  });

  it.each([
    "CNY:7.1234",
    "cny:7.1234:2026-11-01",
    "CNY:-7:2026-11-01",
    "CNY:0:2026-11-01",
    "CNY:7,1234:2026-11-01",
    "CNY:7.1234:2026-13-01",
    "CNY:0.00000000001:2026-11-01",
  ])("rejects %j", (text) => {
    expect(() => parseExchangeRate(text)).toThrow();
  });

  it("converts exactly and rounds only for display", () => {
    expect(formatMoney(4442, cny)).toBe("¥0.0316"); // 4442 · 7.1234 = 31,642.1428 micro-CNY
    expect(formatMoney(1_000_000, cny)).toBe("¥7.1234");
    expect(formatMoney(1_000, cny)).toBe("¥0.007123");
    expect(formatMoney(-4442, cny)).toBe("-¥0.0316");
    expect(formatMoney(4442, { ...cny, precision: 2 })).toBe("¥0.03");
    expect(formatMoney(100, { currency: "EUR", ratePerUsd: "0.9" })).toBe("€0.000090");
    expect(formatMoney(4442, { currency: "CHF", ratePerUsd: "0.8" })).toBe("CHF 0.003554");
  });
});

describe("amounts in the interface's locale", () => {
  const cny = { currency: "CNY", ratePerUsd: "7.1234" };

  it("reads the same in Chinese as in English (same digits, grouping and decimal point)", () => {
    expect(formatUsd(4442, { locale: "zh-CN" })).toBe("$0.004442");
    expect(formatUsd(1_234_567_890_123, { locale: "zh-CN" })).toBe("$1,234,567.8901");
    expect(formatUsd(-500_000, { locale: "zh-CN" })).toBe("-$0.50");
    expect(formatMoney(4442, { ...cny, locale: "zh-CN" })).toBe("¥0.0316");
    expect(formatUsdPer1M(2_500_000, { locale: "zh-CN" })).toBe("$2.50");
    expect(formatLimit(10_000_000, { locale: "zh-CN" })).toBe("$10.00");
    expect(formatLimit(null, { locale: "zh-CN", unlimited: "不限" })).toBe("不限");
  });

  it("follows the locale's separators, exactly even beyond a float's precision", () => {
    // 2^53 + 1 micro-USD does not fit a double; the decimal text goes to Intl as text.
    expect(formatUsd(Number.MAX_SAFE_INTEGER, { locale: "de-DE", precision: 6 })).toBe("$9.007.199.254,740991");
    expect(formatMoney(4442, { ...cny, locale: "de-DE" })).toBe("¥0,0316");
    expect(formatUsdPer1M(25_000, { locale: "de-DE" })).toBe("$0,025");
  });

  it("keeps English output as it was", () => {
    expect(formatUsd(1_234_567_890_123, { locale: "en" })).toBe(formatUsd(1_234_567_890_123));
    expect(formatLimit(null)).toBe("unlimited");
  });
});
