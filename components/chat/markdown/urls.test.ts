import { describe, expect, it } from "vitest";
import { imageLink, linkHref } from "./urls";

describe("linkHref", () => {
  it.each([
    "https://example.com/a?b=c#d",
    "http://example.com",
    "mailto:someone@example.com",
    "/c/123",
    "#section",
    "relative/page",
    "https://example.com/path:with:colons",
  ])("keeps %s", (url) => {
    expect(linkHref(url)).toBe(url);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "streamdown:incomplete-link",
    "",
    "   ",
  ])("refuses %j", (url) => {
    expect(linkHref(url)).toBeNull();
  });

  it("refuses a missing address", () => {
    expect(linkHref(undefined)).toBeNull();
    expect(linkHref(null)).toBeNull();
  });
});

describe("imageLink", () => {
  it("names the host of an http(s) image", () => {
    expect(imageLink("http://evil.example/a.png")).toEqual({ href: "http://evil.example/a.png", host: "evil.example" });
    expect(imageLink("https://cdn.example.com:8443/x.gif?y=1")).toEqual({
      href: "https://cdn.example.com:8443/x.gif?y=1",
      host: "cdn.example.com:8443",
    });
  });

  it.each([
    "javascript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=",
    "vbscript:x",
    "/relative.png",
    "x",
    "streamdown:incomplete-image",
    "",
  ])("gives no link for %j", (src) => {
    expect(imageLink(src)).toBeNull();
  });
});
