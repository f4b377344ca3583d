import { describe, expect, it } from "vitest";
import { chunkEnds, chunksFor } from "./chunks";

/** Span ends of one-character spans over `text`. */
const charSpans = (text: string) => Uint32Array.from(text, (_, index) => index + 1);

describe("chunkEnds", () => {
  it("ends a chunk after a line break once it holds 200 spans", () => {
    const text = `${"a".repeat(100)}\n${"b".repeat(300)}\n${"c".repeat(10)}`;
    // The break at 101 is too early; the one after 402 spans closes the first chunk.
    expect(chunkEnds(text, charSpans(text))).toEqual([402, text.length]);
  });

  it("ends a chunk at 500 spans when no line break comes", () => {
    const text = "字".repeat(1_250);
    expect(chunkEnds(text, charSpans(text))).toEqual([500, 1_000, 1_250]);
  });

  it("has no chunk for no spans", () => {
    expect(chunkEnds("", new Uint32Array())).toEqual([]);
  });
});

describe("chunksFor", () => {
  it("counts the chunks that hold the first spans asked for, or all", () => {
    expect(chunksFor([1_000, 2_000, 2_500], 2_000)).toBe(2);
    expect(chunksFor([1_000, 2_000, 2_500], 1_500)).toBe(2);
    expect(chunksFor([1_000, 2_000, 2_500], 9_000)).toBe(3);
    expect(chunksFor([], 2_000)).toBe(0);
  });
});
