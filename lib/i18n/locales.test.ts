import { describe, expect, it } from "vitest";
import { isLocale } from "./locales";
import { negotiateLocale } from "./negotiate";

describe("negotiateLocale", () => {
  it.each([
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["en;q=0.5,zh-CN;q=0.9", "zh-CN"],
    ["fr-FR,fr;q=0.9", "en"],
    ["fr-FR,zh;q=0.4", "zh-CN"],
    ["", "en"],
    ["*", "en"],
    [";;;q=abc,,", "en"],
  ])("%j → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it("treats a missing header as English", () => {
    expect(negotiateLocale(null)).toBe("en");
  });
});

describe("isLocale", () => {
  it("accepts only the supported locales, exactly", () => {
    expect(isLocale("zh-CN")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("zh-cn")).toBe(false);
    expect(isLocale("de")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
