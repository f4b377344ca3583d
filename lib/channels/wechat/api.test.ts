import { describe, expect, it } from "vitest";
import { splitByBytes } from "./api";

describe("splitByBytes", () => {
  it("keeps text within the limit whole, and an empty text as one empty part", () => {
    expect(splitByBytes("hello", 2048)).toEqual(["hello"]);
    expect(splitByBytes("", 2048)).toEqual([""]);
  });

  it("cuts between characters, never inside one: Chinese is 3 bytes, emoji 4", () => {
    const text = `${"汉".repeat(1000)}😀${"字".repeat(500)}`;
    const parts = splitByBytes(text, 2048);
    expect(parts.join("")).toBe(text);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts[0]).toBe("汉".repeat(682));
  });

  it("prefers a line break in the second half of a part", () => {
    const text = `${"a".repeat(1500)}\n${"b".repeat(1000)}`;
    expect(splitByBytes(text, 2048)).toEqual([`${"a".repeat(1500)}\n`, "b".repeat(1000)]);
  });
});
