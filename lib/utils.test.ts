import { describe, expect, it } from "vitest";
import { formatTokens, safeRedirectPath } from "./utils";

describe("safeRedirectPath", () => {
  it("keeps same-site paths", () => {
    expect(safeRedirectPath("/c/abc123?x=1")).toBe("/c/abc123?x=1");
  });
  it.each(["https://evil.example", "//evil.example", "/\\evil.example", "", null, 42])("rejects %s", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });
});

describe("formatTokens", () => {
  it("groups thousands", () => {
    expect(formatTokens(12345)).toBe("12,345");
  });
});
