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

  it("name a channel where a conversation is held, and say where a WeChat code or link stands", () => {
    expect(english("sidebar.fromSource", { source: "telegram" })).toBe("From Telegram");
    expect(english("sidebar.fromSource", { source: "wechat_mp" })).toBe("From WeChat");
    expect(english("sidebar.fromSource", { source: "wecom" })).toBe("From WeCom");
    expect(chinese("sidebar.fromSource", { source: "wechat_mp" })).toBe("来自微信");
    expect(chinese("sidebar.fromSource", { source: "wecom" })).toBe("来自企业微信");
    expect(english("chat.viaSource", { source: "telegram" })).toBe("via Telegram");
    expect(english("chat.viaSource", { source: "wechat_mp" })).toBe("via WeChat");
    expect(english("chat.viaSource", { source: "wecom" })).toBe("via WeCom");
    expect(chinese("chat.viaSource", { source: "telegram" })).toBe("来自 Telegram");
    expect(english("usage.ledger.sourceName", { source: "wechat_mp" })).toBe("WeChat");
    expect(english("usage.ledger.sourceName", { source: "wecom" })).toBe("WeCom");
    expect(chinese("usage.ledger.sourceName", { source: "wechat_mp" })).toBe("微信公众号");
    expect(chinese("usage.ledger.sourceName", { source: "wecom" })).toBe("企业微信");

    const code = { command: "#绑定 ABCD-EFGH-JK", minutes: 10, time: "14:35" };
    expect(english("settings.wechat.codeValidity", { ...code, channel: "wechat_mp" })).toMatch(
      /^Send #绑定 ABCD-EFGH-JK to the official account within 10 minutes \(until 14:35\)\./,
    );
    expect(english("settings.wechat.codeValidity", { ...code, channel: "wecom" })).toMatch(
      /^Send #绑定 ABCD-EFGH-JK to the WeCom app within 10 minutes \(until 14:35\)\./,
    );
    expect(chinese("settings.wechat.codeValidity", { ...code, channel: "wechat_mp" })).toMatch(
      /^请在 10 分钟内（至 14:35）向公众号发送 #绑定 ABCD-EFGH-JK。/,
    );
    expect(english("settings.wechat.channel", { channel: "wechat_mp" })).toBe("Official account (公众号)");
    expect(english("settings.wechat.channel", { channel: "wecom" })).toBe("WeCom (企业微信)");
    const linked = { name: "oAbc…xyz1", date: "December 4, 2026" };
    expect(english("settings.wechat.linkedTo", { ...linked, channel: "wechat_mp" })).toBe(
      "Linked to WeChat user oAbc…xyz1 since December 4, 2026.",
    );
    expect(english("settings.wechat.linkedTo", { ...linked, channel: "wecom" })).toBe(
      "Linked to WeCom user oAbc…xyz1 since December 4, 2026.",
    );
    expect(chinese("settings.wechat.linkedTo", { ...linked, channel: "wechat_mp" })).toBe(
      "自 December 4, 2026 起已关联到微信用户 oAbc…xyz1。",
    );
    expect(english("errors.wechatNotConfigured", { channel: "wecom" })).toBe("This server has no WeCom app.");
  });
});
