import { describe, expect, it } from "vitest";
import { formatTokens, formText, safeRedirectPath } from "./utils";

describe("safeRedirectPath", () => {
  it("keeps same-site paths", () => {
    expect(safeRedirectPath("/c/abc123?x=1")).toBe("/c/abc123?x=1");
  });
  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/c/x\r\nSet-Cookie: a=b",
    "/ /evil.example",
    "",
    null,
    42,
  ])("rejects %j", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });
});

describe("formatTokens", () => {
  it("groups thousands", () => {
    expect(formatTokens(12345)).toBe("12,345");
  });

  it("follows the locale: Chinese groups as English does, German with dots", () => {
    expect(formatTokens(12345, "zh-CN")).toBe("12,345");
    expect(formatTokens(678, "zh-CN")).toBe("678");
    expect(formatTokens(1234567, "de-DE")).toBe("1.234.567");
  });
});

describe("formText", () => {
  it("reads a text field, and gives an empty string for a missing field or a file", () => {
    const formData = new FormData();
    formData.set("email", "ada@example.com");
    formData.set("upload", new Blob(["x"]));
    expect(formText(formData, "email")).toBe("ada@example.com");
    expect(formText(formData, "missing")).toBe("");
    expect(formText(formData, "upload")).toBe("");
  });

  it("gives an empty string when a server action was called with anything but a form", () => {
    for (const argument of [undefined, null, "mode=limited", { mode: "limited" }, ["limited"]]) {
      expect(formText(argument as unknown as FormData, "mode")).toBe("");
    }
  });
});
