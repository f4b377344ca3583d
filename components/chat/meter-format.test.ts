import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { compactMeterFigures, formatMeterMoney } from "./meter-format";

const chat = {
  costMicros: 4442,
  promptTokens: 12_345,
  completionTokens: 678,
  hasEstimated: false,
  hasUnpriced: false,
};
const cny = { currency: "CNY", ratePerUsd: "7.1234", effectiveFrom: "2026-11-01" };

/** The folded meter's line, as the chat renders it (chat.tsx, MeterDock). */
function compactLine(locale: "en" | "zh-CN", figures: Parameters<typeof compactMeterFigures>[0]) {
  const t = createTranslator({ locale, messages: locale === "en" ? en : zhCN, namespace: "meter" });
  const { input, output, cost } = compactMeterFigures(figures);
  return t("compact", { input, output, cost: cost ?? t("unpriced") });
}

describe("the folded meter's line", () => {
  it("reads naturally in Chinese", () => {
    expect(compactLine("zh-CN", { chat, currency: null, locale: "zh-CN" })).toBe(
      "本次对话 12,345 输入 / 678 输出 · $0.004442",
    );
  });

  it("shows the second display currency with its own symbol (CNY as ¥)", () => {
    expect(compactLine("zh-CN", { chat, currency: cny, locale: "zh-CN" })).toBe(
      "本次对话 12,345 输入 / 678 输出 · $0.004442 (¥0.0316)",
    );
  });

  it("reads the same way in English", () => {
    expect(compactLine("en", { chat, currency: null, locale: "en" })).toBe("This chat 12,345 in / 678 out · $0.004442");
  });

  it("says a chat answered only by unpriced models is unpriced, and a new chat costs nothing yet", () => {
    const unpriced = { ...chat, costMicros: 0, hasUnpriced: true };
    expect(compactLine("zh-CN", { chat: unpriced, currency: null, locale: "zh-CN" })).toBe(
      "本次对话 12,345 输入 / 678 输出 · 未定价",
    );
    expect(compactLine("en", { chat: null, currency: null, locale: "en" })).toBe("This chat 0 in / 0 out · $0.00");
  });
});

describe("formatMeterMoney", () => {
  it("gives USD, and the display currency beside it when one is set", () => {
    expect(formatMeterMoney({ micros: 1_234_567_890_123, currency: null, locale: "zh-CN" })).toBe("$1,234,567.8901");
    expect(formatMeterMoney({ micros: 1_000_000, currency: cny, locale: "zh-CN" })).toBe("$1.00 (¥7.1234)");
  });
});
