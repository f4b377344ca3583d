import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import { conversationTitleProblem, MAX_TITLE_CHARS, searchTextProblem } from "./input-rules";
import { conversationSearchSchema, conversationTitleSchema, firstIssue } from "./validations";

// The browser checks titles and search text with these functions, the server with the schemas that apply them: both
// must say the same.
describe("conversationTitleProblem", () => {
  it("refuses an empty title, one over 200 characters (code points) and one with NUL", () => {
    expect(english(conversationTitleProblem(""))).toBe("A title cannot be empty.");
    expect(english(conversationTitleProblem("x".repeat(MAX_TITLE_CHARS + 1)))).toBe(
      "A title can be at most 200 characters long.",
    );
    expect(english(conversationTitleProblem("😀".repeat(MAX_TITLE_CHARS)))).toBeNull();
    expect(english(conversationTitleProblem("a\0b"))).toBe("A title cannot contain the NUL character.");
    expect(english(conversationTitleProblem("Trip to Kyoto 京都"))).toBeNull();
  });

  it("is what the server's schema says of the trimmed title", () => {
    for (const title of ["  ", " ok ", "x".repeat(201), "😀".repeat(200), "a\0b"]) {
      const parsed = conversationTitleSchema.safeParse(title);
      expect(parsed.success ? null : english(firstIssue(parsed.error))).toBe(
        english(conversationTitleProblem(title.trim())),
      );
    }
  });
});

describe("searchTextProblem", () => {
  it("is what the server's schema says of the trimmed text", () => {
    for (const q of ["", "  ", " 预算 ", "x".repeat(201), "ab\0c"]) {
      const parsed = conversationSearchSchema.safeParse({ q });
      expect(parsed.success ? null : english(firstIssue(parsed.error))).toBe(english(searchTextProblem(q.trim())));
    }
    expect(english(searchTextProblem(""))).toBe("Type something to search for.");
  });
});
