"use client";

import type { GrammarState, HighlighterCore, LanguageInput, ThemedToken } from "shiki/core";
import { type Lazy, lazy } from "./lazy";

// Shiki's fine-grained build: the core, the JavaScript RegExp engine (no WebAssembly) and GitHub's light and dark
// themes (the "default" pair, whose colours meet 4.5:1 on our code blocks' backgrounds) load on the first code block; each language's grammar on the first block in it. None of it is in the page's
// first load.
/**
 * Both themes at once: each token's colour is `light-dark(light, dark)`, which follows the page's `color-scheme`
 * (app/globals.css), so switching themes repaints code without tokenizing it again. Its font style, the same in both
 * GitHub themes, is in `htmlStyle["--shiki-light-font-style"]` (and -font-weight, -text-decoration).
 */
export const THEMES = {
  themes: { light: "github-light-default", dark: "github-dark-default" },
  defaultColor: "light-dark()",
  // Its comment grey is 4.4:1 on zinc-50: one step darker for 5.5:1.
  colorReplacements: { "github-light-default": { "#6e7781": "#5e6772" } },
} as const;

let core: Promise<HighlighterCore> | null = null;

function loadCore(): Promise<HighlighterCore> {
  core ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
      import("shiki/core"),
      import("shiki/engine/javascript"),
    ]);
    return createHighlighterCore({
      themes: [import("shiki/themes/github-light-default.mjs"), import("shiki/themes/github-dark-default.mjs")],
      langs: [],
      engine: createJavaScriptRegexEngine(),
    });
  })().catch((error: unknown) => {
    core = null;
    throw error;
  });
  return core;
}

/** The grammars offered, each under its Shiki name, with the names models write after ``` for it. */
const GRAMMARS: Record<string, { load: () => LanguageInput; aliases?: string[] }> = {
  shellscript: {
    load: () => import("shiki/langs/shellscript.mjs"),
    aliases: ["bash", "sh", "shell", "zsh", "console"],
  },
  c: { load: () => import("shiki/langs/c.mjs"), aliases: ["h"] },
  cpp: { load: () => import("shiki/langs/cpp.mjs"), aliases: ["c++", "cc", "cxx", "hpp"] },
  csharp: { load: () => import("shiki/langs/csharp.mjs"), aliases: ["c#", "cs"] },
  css: { load: () => import("shiki/langs/css.mjs") },
  diff: { load: () => import("shiki/langs/diff.mjs"), aliases: ["patch"] },
  docker: { load: () => import("shiki/langs/docker.mjs"), aliases: ["dockerfile"] },
  go: { load: () => import("shiki/langs/go.mjs"), aliases: ["golang"] },
  html: { load: () => import("shiki/langs/html.mjs") },
  java: { load: () => import("shiki/langs/java.mjs") },
  javascript: { load: () => import("shiki/langs/javascript.mjs"), aliases: ["js", "mjs", "cjs"] },
  json: { load: () => import("shiki/langs/json.mjs"), aliases: ["jsonc", "json5"] },
  jsx: { load: () => import("shiki/langs/jsx.mjs") },
  kotlin: { load: () => import("shiki/langs/kotlin.mjs"), aliases: ["kt", "kts"] },
  markdown: { load: () => import("shiki/langs/markdown.mjs"), aliases: ["md"] },
  php: { load: () => import("shiki/langs/php.mjs") },
  python: { load: () => import("shiki/langs/python.mjs"), aliases: ["py", "python3"] },
  ruby: { load: () => import("shiki/langs/ruby.mjs"), aliases: ["rb"] },
  rust: { load: () => import("shiki/langs/rust.mjs"), aliases: ["rs"] },
  sql: { load: () => import("shiki/langs/sql.mjs") },
  swift: { load: () => import("shiki/langs/swift.mjs") },
  toml: { load: () => import("shiki/langs/toml.mjs") },
  tsx: { load: () => import("shiki/langs/tsx.mjs") },
  typescript: { load: () => import("shiki/langs/typescript.mjs"), aliases: ["ts", "mts", "cts"] },
  xml: { load: () => import("shiki/langs/xml.mjs"), aliases: ["svg"] },
  yaml: { load: () => import("shiki/langs/yaml.mjs"), aliases: ["yml"] },
};

const NAMES = new Map<string, string>(
  Object.entries(GRAMMARS).flatMap(([name, { aliases = [] }]) => [name, ...aliases].map((alias) => [alias, name])),
);

const grammars = new Map<string, { name: string; highlighter: Lazy<HighlighterCore> }>();

/**
 * The grammar for `language` (a fence's info word, any case): its Shiki name and the highlighter with it loaded, as a
 * lazy resource; null for a language not offered, whose blocks stay plain.
 */
export function grammarFor(language: string): { name: string; highlighter: Lazy<HighlighterCore> } | null {
  const name = NAMES.get(language.toLowerCase());
  const grammar = name ? GRAMMARS[name] : undefined;
  if (!name || !grammar) return null;
  let found = grammars.get(name);
  if (!found) {
    found = {
      name,
      highlighter: lazy(`the ${name} grammar`, async () => {
        const highlighter = await loadCore();
        await highlighter.loadLanguage(grammar.load());
        return highlighter;
      }),
    };
    grammars.set(name, found);
  }
  return found;
}

/** Past these, a block stays plain: tokenizing it would hold the page up for too long. */
const MAX_LINES = 3_000;
const MAX_LINE_LENGTH = 2_000;
/**
 * Shiki stops colouring a line after this long (ms; its default is 500). The first line in a language also compiles
 * the grammar's regular expressions, which takes longer than that on a slow machine; a line cut short would stay so.
 */
const LINE_TIME_LIMIT_MS = 2_000;

export type TokenLine = ThemedToken[];

/**
 * Tokenizes code that grows at its end (a streaming block) line by line: the lines tokenized before are kept with the
 * grammar's state after them, and only the new lines, and the unfinished last one, are tokenized on each call. The
 * kept lines' arrays are the same objects from call to call, so their rendered lines need not render again.
 */
export class IncrementalTokenizer {
  private lines: string[] = [];
  private tokens: TokenLine[] = [];
  private state: GrammarState | undefined;

  constructor(
    private readonly highlighter: HighlighterCore,
    readonly language: string,
  ) {}

  /** One array of tokens per line of `code`; null when the block is too large to colour. */
  tokenize(code: string): TokenLine[] | null {
    const all = code.split("\n");
    if (all.length > MAX_LINES) return null;
    const finished = all.slice(0, -1);
    if (finished.length < this.lines.length || this.lines.some((line, i) => finished[i] !== line)) {
      this.lines = [];
      this.tokens = [];
      this.state = undefined;
    }
    const added = finished.slice(this.lines.length);
    if (added.length > 0) {
      const result = this.run(added.join("\n"));
      this.tokens.push(...result.tokens);
      this.lines.push(...added);
      this.state = result.grammarState;
    }
    const last = all.at(-1) ?? "";
    return last === "" ? [...this.tokens, []] : [...this.tokens, this.run(last).tokens[0] ?? []];
  }

  private run(code: string) {
    return this.highlighter.codeToTokens(code, {
      lang: this.language,
      ...THEMES,
      grammarState: this.state,
      tokenizeMaxLineLength: MAX_LINE_LENGTH,
      tokenizeTimeLimit: LINE_TIME_LIMIT_MS,
    });
  }
}
