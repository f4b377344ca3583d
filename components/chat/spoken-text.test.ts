import { describe, expect, it } from "vitest";
import { announceableEnd, spokenText } from "./spoken-text";

describe("announceableEnd", () => {
  it("ends after the last completed sentence while the reply streams", () => {
    expect(announceableEnd("Hello there", false)).toBe(0);
    expect(announceableEnd("Hello there. How are", false)).toBe("Hello there.".length);
    expect(announceableEnd("One! Two? Three", false)).toBe("One! Two?".length);
    expect(announceableEnd("It costs 3.14 dollars", false)).toBe(0);
    expect(announceableEnd("你好。今天", false)).toBe("你好。".length);
    expect(announceableEnd("A heading\nand more", false)).toBe("A heading\n".length);
  });

  it("waits for a code block to close, and takes everything once the reply is done", () => {
    const open = "Here it is.\n```ts\nconst a = 1;\nconst b";
    expect(announceableEnd(open, false)).toBe("Here it is.\n".length);
    expect(announceableEnd(`${open} = 2;\n\`\`\``, false)).toBe("Here it is.\n".length);
    expect(announceableEnd(`${open} = 2;\n\`\`\`\nDone. And`, false)).toBe(`${open} = 2;\n\`\`\`\nDone.`.length);
    expect(announceableEnd("Half a sentence", true)).toBe("Half a sentence".length);
  });
});

describe("spokenText", () => {
  it("reads Markdown as words and names code blocks instead of spelling them", () => {
    const markdown =
      "## Steps\n\n1. Use **bold** and `code`.\n\n```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the docs](https://example.com).";
    expect(spokenText(markdown, (language) => `code block ${language}`)).toBe(
      "Steps Use bold and code . code block python a b 1 2 See the docs.",
    );
  });
});
