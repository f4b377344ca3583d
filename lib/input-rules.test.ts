import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import { conversationTitleProblem, MAX_TITLE_CHARS, searchTextProblem, unstorableTextProblem } from "./input-rules";
import {
  adminBudgetSchema,
  conversationSearchSchema,
  conversationTitleSchema,
  firstIssue,
  signUpSchema,
} from "./validations";

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

describe("unstorableTextProblem", () => {
  it("refuses NUL and lone surrogates (either half, anywhere) and nothing else", () => {
    for (const text of ["a\0b", "\0", "\uD83D", "x\uDE00", "\uDE00\uD83D", "ok \uD800 tail"]) {
      expect(english(unstorableTextProblem(text)), JSON.stringify(text)).toBe(
        "Text cannot contain the NUL character or a broken Unicode character (half of a surrogate pair).",
      );
    }
    for (const text of ["", "plain", "😀 emoji", "中文", "tab\tand\nline", "\u200B\uFEFF", "\u007F"]) {
      expect(unstorableTextProblem(text), JSON.stringify(text)).toBeNull();
    }
  });

  it("is applied to the form fields that are stored as sent", () => {
    const signUp = signUpSchema.safeParse({ email: "a@example.com", password: "password 1", name: "Ann\0" });
    expect(signUp.success ? null : firstIssue(signUp.error).key).toBe("errors.inputUnstorableText");
    const budget = adminBudgetSchema.safeParse({ mode: "default", userId: "user\0id" });
    expect(budget.success ? null : firstIssue(budget.error).key).toBe("errors.inputUnstorableText");
  });
});
