import { describe, expect, it } from "vitest";
import { estimatedHeight } from "./message-size";

describe("estimatedHeight", () => {
  it("gives a one-line user message its bubble and one line", () => {
    expect(estimatedHeight({ role: "user", text: "hello" })).toBe(52 + 24);
  });

  it("wraps long lines at the column's width", () => {
    expect(estimatedHeight({ role: "user", text: "x".repeat(151) })).toBe(52 + 3 * 24);
    expect(estimatedHeight({ role: "assistant", text: "x".repeat(190) })).toBe(64 + 2 * 26);
  });

  it("counts a reply's blank lines as gaps between blocks, a user's as lines", () => {
    expect(estimatedHeight({ role: "assistant", text: "one\n\ntwo" })).toBe(64 + 2 * 26 + 10);
    expect(estimatedHeight({ role: "user", text: "one\n\ntwo" })).toBe(52 + 3 * 24);
  });

  it("keeps room for one line under an empty reply's actions", () => {
    expect(estimatedHeight({ role: "assistant", text: "" })).toBeGreaterThanOrEqual(64 + 26);
  });
});
