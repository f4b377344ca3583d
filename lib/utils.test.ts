import { describe, expect, it } from "vitest";
import { formatTokens, formText, safeRedirectPath, sameOriginRedirect } from "./utils";

describe("safeRedirectPath", () => {
  it.each([
    "/",
    "/c/abc123?x=1",
    "/c/abc123#message-4",
    "/usage?month=2026-11&q=a%20b",
    "/settings/..%2F..%2Fusage",
    "/c/%E4%BD%A0%E5%A5%BD",
  ])("keeps the same-origin path %j", (value) => {
    expect(safeRedirectPath(value)).toBe(value);
  });

  // Each as a sign-in's callbackUrl reads it (already %-decoded once by the query string): where a browser would go.
  it.each([
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/c/x\r\nSet-Cookie: a=b",
    "/c/x\u0000",
    "/ /evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0D%0ALocation:%20https://evil.example",
    "/%E0%A4%A",
    "/%",
    "evil.example",
    "c/abc",
    "",
    null,
    undefined,
    42,
    ["/"],
  ])("rejects %j", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it("uses the fallback given", () => {
    expect(safeRedirectPath("//evil.example", "/sign-in")).toBe("/sign-in");
  });
});

describe("sameOriginRedirect (Auth.js's redirect callback)", () => {
  const baseUrl = "http://127.0.0.1:3000";
  it.each([
    ["/c/abc", `${baseUrl}/c/abc`],
    [`${baseUrl}/usage?x=1#y`, `${baseUrl}/usage?x=1#y`],
    ["https://evil.example/c/abc", `${baseUrl}/`],
    ["http://127.0.0.1:3001/c/abc", `${baseUrl}/`],
    ["//evil.example", `${baseUrl}/`],
    ["/\t/evil.example", `${baseUrl}/`],
    ["javascript:alert(1)", `${baseUrl}/`],
    ["not a url", `${baseUrl}/`],
    [`${baseUrl}//evil.example`, `${baseUrl}/`],
  ])("%j → %j", (url, expected) => {
    expect(sameOriginRedirect({ url, baseUrl })).toBe(expected);
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
