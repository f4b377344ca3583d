import { describe, expect, it } from "vitest";
import { highlight, snippet } from "./search-results";

const marked = (parts: { text: string; isMatch: boolean }[]) =>
  parts.map((part) => (part.isMatch ? `[${part.text}]` : part.text)).join("");

describe("highlight", () => {
  it("marks every occurrence, ignoring case, as typed (no pattern syntax)", () => {
    expect(marked(highlight("Budget and BUDGET", "budget"))).toBe("[Budget] and [BUDGET]");
    expect(marked(highlight("a.b axb (a.b)", "a.b"))).toBe("[a.b] axb ([a.b])");
    expect(marked(highlight("项目预算和预算", "预算"))).toBe("项目[预算]和[预算]");
    expect(marked(highlight("Nothing here", "budget"))).toBe("Nothing here");
  });
});

describe("snippet", () => {
  it("keeps the text around the first match on one line, with … where it was cut", () => {
    const content = `${"word ".repeat(40)}the invoice\ntotal is 4711 ${"more ".repeat(40)}`;
    const text = marked(snippet(content, "INVOICE"));
    expect(text).toMatch(/^…/);
    expect(text).toMatch(/…$/);
    expect(text).toContain("the [invoice] total is 4711");
    expect(text.length).toBeLessThan(170);
  });

  it("shows a short message whole, and the start when the match is not found", () => {
    expect(marked(snippet("我们明天讨论项目预算", "预算"))).toBe("我们明天讨论项目[预算]");
    expect(marked(snippet("Short text", "absent"))).toBe("Short text");
  });

  it("never cuts an emoji in half", () => {
    const content = `${"😀".repeat(60)}match${"😀".repeat(60)}`;
    const text = marked(snippet(content, "match"));
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
