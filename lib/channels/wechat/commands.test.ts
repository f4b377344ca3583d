import { describe, expect, it } from "vitest";
import { parseWechatCommand } from "./commands";

describe("parseWechatCommand", () => {
  it("reads each command in Chinese and English, with its argument", () => {
    expect(parseWechatCommand("#帮助")).toEqual({ name: "help", arg: "", word: "#帮助" });
    expect(parseWechatCommand("/HELP")).toEqual({ name: "help", arg: "", word: "/help" });
    expect(parseWechatCommand("#新对话")?.name).toBe("new");
    expect(parseWechatCommand("/reset")?.name).toBe("new");
    expect(parseWechatCommand("#用量")?.name).toBe("stats");
    expect(parseWechatCommand("  #模型 gpt-4o  ")).toEqual({ name: "model", arg: "gpt-4o", word: "#模型" });
    expect(parseWechatCommand("/link ABCD-EFGH-JK")).toEqual({ name: "link", arg: "ABCD-EFGH-JK", word: "/link" });
  });

  it("takes the full-width ＃ of Chinese keyboards, and a Chinese command without a space", () => {
    expect(parseWechatCommand("＃绑定 ABCD")).toMatchObject({ name: "link", arg: "ABCD" });
    expect(parseWechatCommand("#绑定ABCD-EFGH-JK")).toMatchObject({ name: "link", arg: "ABCD-EFGH-JK" });
  });

  it("leaves text alone: questions, hashtags, and slash words that are not a command of ours run together", () => {
    expect(parseWechatCommand("what is #1?")).toBeNull();
    expect(parseWechatCommand("#话题 今天")).toBeNull();
    expect(parseWechatCommand("/newer")).toMatchObject({ name: "unknown", word: "/newer" });
    expect(parseWechatCommand("/8 of 10")).toBeNull();
    expect(parseWechatCommand("")).toBeNull();
  });
});
