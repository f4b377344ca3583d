import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";
import en from "./messages/en.json";
import zhCN from "./messages/zh-CN.json";

// The pages' sentences as a reader gets them: counts through ICU plurals (English has one/other, Chinese only other,
// with a measure word), numbers grouped per locale, and values chosen by select.
const english = createTranslator({ locale: "en", messages: en });
const chinese = createTranslator({ locale: "zh-CN", messages: zhCN });

describe("counts on the pages", () => {
  it("say 1 conversation and 3 conversations in English, 个对话 in Chinese", () => {
    expect(english("settings.data.imported", { conversations: 1, messages: 3 })).toBe(
      "Imported 1 conversation (3 messages).",
    );
    expect(english("settings.data.imported", { conversations: 1200, messages: 1 })).toBe(
      "Imported 1,200 conversations (1 message).",
    );
    expect(chinese("settings.data.imported", { conversations: 3, messages: 12 })).toBe(
      "已导入 3 个对话（12 条消息）。",
    );
  });

  it("count calls, days and ledger entries", () => {
    const daily = { total: "$0.01", days: 30 };
    expect(english("usage.daily.summary", { ...daily, calls: 1 })).toBe("$0.01 over the last 30 days in 1 call.");
    expect(english("usage.daily.summary", { ...daily, calls: 2 })).toBe("$0.01 over the last 30 days in 2 calls.");
    expect(chinese("usage.daily.summary", { ...daily, calls: 2 })).toBe("最近 30 天共花费 $0.01，2 次调用。");
    expect(english("admin.invites.days", { count: 1 })).toBe("1 day");
    expect(english("admin.invites.days", { count: 7 })).toBe("7 days");
    expect(chinese("admin.invites.days", { count: 7 })).toBe("7 天");
    expect(english("usage.ledger.shown", { first: "1", last: "50", total: 12345 })).toBe("1–50 of 12,345 entries");
    expect(chinese("usage.ledger.shown", { first: "1", last: "50", total: 12345 })).toBe("第 1–50 条，共 12,345 条");
  });

  it("name a ledger entry's kind, and show one it does not know as it is", () => {
    expect(chinese("usage.ledger.kindName", { kind: "chat" })).toBe("对话");
    expect(english("usage.ledger.kindName", { kind: "chat" })).toBe("chat");
    expect(chinese("usage.ledger.kindName", { kind: "image" })).toBe("图像");
    expect(english("usage.ledger.kindName", { kind: "transcription" })).toBe("voice");
    expect(chinese("usage.ledger.kindName", { kind: "video" })).toBe("video");
  });

  it("say where a call or a Telegram link stands", () => {
    expect(english("usage.ledger.sourceName", { source: "telegram" })).toBe("Telegram");
    expect(english("settings.telegram.linkValidity", { minutes: 10, time: "14:35" })).toMatch(
      /^This link works once, for 10 minutes \(until 14:35\)\./,
    );
    expect(chinese("settings.telegram.linkValidity", { minutes: 10, time: "14:35" })).toMatch(
      /^此链接只能使用一次，有效期 10 分钟（至 14:35）。/,
    );
    const linked = { name: "@ada", date: "December 4, 2026" };
    expect(english("settings.telegram.linkedTo", { ...linked, hasName: "yes" })).toBe(
      "Linked to @ada since December 4, 2026.",
    );
    expect(english("settings.telegram.linkedTo", { ...linked, hasName: "no" })).toBe(
      "Linked to a Telegram account since December 4, 2026.",
    );
  });
});
