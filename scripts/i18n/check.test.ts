import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { compareCatalogs, findLiterals, type Literal } from "./check";

const ROOT = path.resolve(__dirname, "../..");

/** Every .tsx file under app/ and components/: what renders the interface. */
function componentFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".tsx"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe("the message files", () => {
  it("have the same messages in zh-CN as in English, each valid ICU with the same arguments", () => {
    expect(compareCatalogs(en, zhCN, "zh-CN")).toEqual([]);
  });

  it("would catch a missing, extra, broken or mismatched translation", () => {
    const reference = { a: { one: "One", count: "{n, plural, one {# chat} other {# chats}}" }, b: "Hi {name}" };
    const translation = { a: { count: "{m} 个对话" }, b: "你好 {name", c: "多余" };
    expect(compareCatalogs(reference, translation, "zh-CN")).toEqual([
      'zh-CN: missing "a.one"',
      'zh-CN: "a.count" arguments differ (en has {n}, zh-CN {m})',
      expect.stringMatching(/^zh-CN: "b" is not valid ICU/),
      'zh-CN: "c" is not in en',
    ]);
  });
});

describe("literal strings in components", () => {
  it("no component renders a user-visible string outside the message files", () => {
    const literals: Literal[] = [];
    for (const file of [...componentFiles("app"), ...componentFiles("components")]) {
      literals.push(...findLiterals(file, readFileSync(path.join(ROOT, file), "utf8")));
    }
    expect(literals.map(({ file, line, text }) => `${file}:${line} ${JSON.stringify(text)}`)).toEqual([]);
  });

  it("finds JSX text, visible attributes and string children, and leaves symbols, names and code alone", () => {
    const source = `
      export function Example({ t }) {
        return (
          <div className="flex" data-testid="x" title="Close the drawer">
            Delete chat
            <input placeholder={"Search chats"} aria-label={t("search")} />
            {"Sign out"}
            {t("ok")} · ChatLedger — 42 ⌘ $0.01
            <span>{count}</span>
          </div>
        );
      }`;
    expect(findLiterals("example.tsx", source).map(({ line, text }) => [line, text])).toEqual([
      [4, "Close the drawer"],
      [5, "Delete chat"],
      [6, "Search chats"],
      [7, "Sign out"],
    ]);
  });
});
