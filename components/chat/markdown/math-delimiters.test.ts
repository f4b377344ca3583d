import { describe, expect, it } from "vitest";
import { normalizeMath } from "./math-delimiters";

const convert = (text: string, options?: { isStreaming?: boolean }) => normalizeMath(text, options).markdown;

describe("normalizeMath", () => {
  it("turns \\(…\\) into $…$", () => {
    expect(convert("Area \\(\\pi r^2\\) here")).toBe("Area $\\pi r^2$ here");
    expect(convert("\\( x + 1 \\)")).toBe("$x + 1$");
    expect(convert("empty \\(\\) one")).toBe("empty  one");
  });

  it("turns \\[…\\] on lines of its own into a $$ block, elsewhere into inline $$…$$", () => {
    expect(convert("\\[\nE = mc^2\n\\]")).toBe("$$\nE = mc^2\n$$");
    expect(convert("Energy:\n\n\\[ E = mc^2 \\]\n\nDone.")).toBe("Energy:\n\n$$\nE = mc^2\n$$\n\nDone.");
    expect(convert("so \\[x = 1\\] holds")).toBe("so $$x = 1$$ holds");
    // Within a line, escaped brackets without TeX in them stay brackets.
    expect(convert("see \\[1\\] and \\[note\\]")).toBe("see \\[1\\] and \\[note\\]");
  });

  it("keeps a display formula inside its list item or quote", () => {
    expect(convert("1. Energy:\n   \\[\n   E = mc^2\n   \\]\n2. Next")).toBe(
      "1. Energy:\n   $$\n   E = mc^2\n   $$\n2. Next",
    );
    expect(convert("> \\[ x^2 \\]")).toBe("> $$\n> x^2\n> $$");
  });

  it("leaves code spans, fenced and indented code blocks alone", () => {
    expect(convert("`\\(x\\)` and \\(y\\)")).toBe("`\\(x\\)` and $y$");
    expect(convert("``a $b$ \\[c\\]``")).toBe("``a $b$ \\[c\\]``");
    const fenced = "```python\nprint('\\(x\\) costs $5')\n```";
    expect(convert(fenced)).toBe(fenced);
    const tildes = "~~~\n\\[x\\]\n~~~\n\n\\(y\\)";
    expect(convert(tildes)).toBe("~~~\n\\[x\\]\n~~~\n\n$y$");
    const indented = "Code:\n\n    echo \\(x\\) $HOME $1\n\nThen \\(z\\)";
    expect(convert(indented)).toBe("Code:\n\n    echo \\(x\\) $HOME $1\n\nThen $z$");
  });

  it("leaves escaped delimiters alone", () => {
    expect(convert("a \\\\(b\\\\) c")).toBe("a \\\\(b\\\\) c");
    expect(convert("\\$5 and \\$6")).toBe("\\$5 and \\$6");
  });

  it("keeps $…$ and $$…$$ math", () => {
    expect(convert("$x^2$ and $y$")).toBe("$x^2$ and $y$");
    expect(convert("Solve $2x + 3 = 7$.")).toBe("Solve $2x + 3 = 7$.");
    expect(convert("$$\n\\int_0^1 x\\,dx\n$$")).toBe("$$\n\\int_0^1 x\\,dx\n$$");
    expect(convert("inline $$a+b$$ too")).toBe("inline $$a+b$$ too");
  });

  it("escapes dollars that are prices, by Pandoc's rule", () => {
    expect(convert("from $5 to $10")).toBe("from \\$5 to \\$10");
    expect(convert("It costs $5.")).toBe("It costs \\$5.");
    expect(convert("| gpt-5-mini | $0.25 | $2.00 |")).toBe("| gpt-5-mini | \\$0.25 | \\$2.00 |");
    expect(convert("a $ b $ c")).toBe("a \\$ b \\$ c");
    expect(convert("It costs $5 and \\(x\\) grows")).toBe("It costs \\$5 and $x$ grows");
    // A formula does not run across paragraphs.
    expect(convert("$a\n\nb$")).toBe("\\$a\n\nb\\$");
  });

  it("leaves an unfinished formula out while the reply streams, and as written once it is complete", () => {
    expect(convert("The area is \\(\\pi r", { isStreaming: true })).toBe("The area is ");
    expect(convert("Text\n\n\\[\nE = m", { isStreaming: true })).toBe("Text\n\n");
    expect(convert("sum $$\na+b", { isStreaming: true })).toBe("sum ");
    expect(convert("done \\(x\\) and \\(y", { isStreaming: true })).toBe("done $x$ and ");
    expect(convert("The area is \\(\\pi r")).toBe("The area is \\(\\pi r");
  });

  it("returns text without math untouched", () => {
    const text = "Plain **text** with a [link](https://example.com).";
    expect(convert(text)).toBe(text);
  });

  it("says whether a formula remains, so that KaTeX loads only then", () => {
    expect(normalizeMath("$x$").hasMath).toBe(true);
    expect(normalizeMath("$$\na\n$$").hasMath).toBe(true);
    expect(normalizeMath("\\(x\\)").hasMath).toBe(true);
    expect(normalizeMath("\\[x\\]").hasMath).toBe(true);
    expect(normalizeMath("from $5 to $10").hasMath).toBe(false);
    expect(normalizeMath("```sh\n$ echo $HOME\n```\n\nand `$PATH`").hasMath).toBe(false);
    expect(normalizeMath("The area is \\(\\pi r", { isStreaming: true }).hasMath).toBe(false);
    expect(normalizeMath("plain").hasMath).toBe(false);
  });
});
