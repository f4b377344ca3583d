import type { HighlighterCore } from "shiki/core";
import { describe, expect, it } from "vitest";
import { grammarFor, IncrementalTokenizer, THEMES } from "./highlighter";

async function highlighterWith(language: string): Promise<{ highlighter: HighlighterCore; name: string }> {
  const grammar = grammarFor(language);
  if (!grammar) throw new Error(`no grammar for ${language}`);
  grammar.highlighter.load();
  const highlighter = await new Promise<HighlighterCore>((resolve) => {
    const check = () => {
      const loaded = grammar.highlighter.get();
      if (loaded) resolve(loaded);
    };
    grammar.highlighter.subscribe(check);
    check();
  });
  return { highlighter, name: grammar.name };
}

const CODE = [
  "/** A block comment",
  " * over lines */",
  "const total = entries.reduce((sum, entry) => sum + entry.costMicros, 0);",
  "const text = `a template $" + "{total}",
  "that spans lines`;",
  "export function f(x: number): string {",
  "  return String(x);",
  "}",
].join("\n");

describe("grammarFor", () => {
  it("knows the names models write after ```", () => {
    expect(grammarFor("ts")?.name).toBe("typescript");
    expect(grammarFor("TSX")?.name).toBe("tsx");
    expect(grammarFor("sh")?.name).toBe("shellscript");
    expect(grammarFor("py")?.name).toBe("python");
    expect(grammarFor("ts")).toBe(grammarFor("typescript"));
    expect(grammarFor("brainfuck")).toBeNull();
    expect(grammarFor("")).toBeNull();
  });
});

describe("IncrementalTokenizer", () => {
  it("tokenizes code that grows word by word exactly as the whole, keeping the finished lines' tokens", async () => {
    const { highlighter, name } = await highlighterWith("ts");
    // Once first, so that compiling the grammar's expressions (slow on a loaded machine) cuts no line short.
    highlighter.codeToTokens(CODE, { lang: name, ...THEMES });
    const whole = highlighter.codeToTokens(CODE, { lang: name, ...THEMES }).tokens;
    const tokenizer = new IncrementalTokenizer(highlighter, name);
    const pieces = CODE.match(/\s*\S+/g) ?? [];
    let code = "";
    let previous: ReturnType<IncrementalTokenizer["tokenize"]> = null;
    for (const piece of pieces) {
      code += piece;
      const lines = tokenizer.tokenize(code);
      expect(lines).toHaveLength(code.split("\n").length);
      // Lines finished before this piece are the same arrays as before: their rendered lines need not render again.
      const finishedBefore = (previous?.length ?? 1) - 1;
      for (let i = 0; i < Math.min(finishedBefore, (lines?.length ?? 1) - 1); i++)
        expect(lines?.[i]).toBe(previous?.[i]);
      previous = lines;
    }
    const strip = (lines: typeof whole | null) =>
      lines?.map((line) => line.map(({ content, htmlStyle }) => ({ content, htmlStyle })));
    expect(strip(previous)).toEqual(strip(whole));
  });

  it("starts again when the code changes before its end", async () => {
    const { highlighter, name } = await highlighterWith("ts");
    const tokenizer = new IncrementalTokenizer(highlighter, name);
    tokenizer.tokenize("/* open comment\nstill comment\n");
    const lines = tokenizer.tokenize("const a = 1;\nconst b = 2;\n");
    const whole = highlighter.codeToTokens("const a = 1;\nconst b = 2;\n", { lang: name, ...THEMES });
    expect(lines?.map((line) => line.map((token) => token.htmlStyle?.color))).toEqual(
      whole.tokens.map((line) => line.map((token) => token.htmlStyle?.color)),
    );
  });

  it("colours each token for both themes, chosen by the page's color-scheme", async () => {
    const { highlighter, name } = await highlighterWith("ts");
    const [keyword] = new IncrementalTokenizer(highlighter, name).tokenize("const a = 1;")?.[0] ?? [];
    expect(keyword?.content).toBe("const");
    // The GitHub themes' keyword colours.
    expect(keyword?.htmlStyle?.color).toBe("light-dark(#CF222E, #FF7B72)");
    const [comment] = new IncrementalTokenizer(highlighter, name).tokenize("// note")?.[0] ?? [];
    expect(comment?.htmlStyle?.color).toBe("light-dark(#5e6772, #8B949E)");
  });
});
