import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import ts from "typescript";

// The translation checks `npm run lint` and the test suite run (scripts/i18n/check.test.ts): both languages have
// exactly the same messages, every message is valid ICU with the same arguments in both, and no component renders
// a user-visible string that is not from the message files.

export type Catalog = { [key: string]: string | Catalog };

/** Every message's dotted key and text. */
export function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text);
  }
  return out;
}

/** The argument names a message uses (`{count}`, `{count, plural, …}`, `<b>…</b>` tags), nested ones included. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.value);
    if (element.type === TYPE.tag) argumentsOf(element.children, into);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

function messageArguments(text: string): Set<string> | string {
  try {
    return argumentsOf(parse(text));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Problems between the reference catalog (English) and a translation: missing, extra, invalid or mismatched. */
export function compareCatalogs(reference: Catalog, translation: Catalog, name: string): string[] {
  const problems: string[] = [];
  const ours = flatten(reference);
  const theirs = flatten(translation);
  for (const [key, text] of ours) {
    const other = theirs.get(key);
    if (other === undefined) {
      problems.push(`${name}: missing "${key}"`);
      continue;
    }
    const a = messageArguments(text);
    const b = messageArguments(other);
    if (typeof a === "string") problems.push(`en: "${key}" is not valid ICU: ${a}`);
    if (typeof b === "string") problems.push(`${name}: "${key}" is not valid ICU: ${b}`);
    if (typeof a !== "string" && typeof b !== "string") {
      const missing = [...a].filter((arg) => !b.has(arg));
      const extra = [...b].filter((arg) => !a.has(arg));
      if (missing.length || extra.length) {
        problems.push(
          `${name}: "${key}" arguments differ (en has {${[...a].join(", ")}}, ${name} {${[...b].join(", ")}})`,
        );
      }
    }
  }
  for (const key of theirs.keys()) if (!ours.has(key)) problems.push(`${name}: "${key}" is not in en`);
  return problems;
}

/** Attributes a user sees or hears (a screen reader reads aria-label, a browser shows title and placeholder). */
const VISIBLE_ATTRIBUTES = new Set([
  "alt",
  "aria-description",
  "aria-label",
  "aria-placeholder",
  "aria-roledescription",
  "aria-valuetext",
  "label",
  "placeholder",
  "title",
]);

/**
 * Words that are the same in every language, so never translated: names, file formats, keys and units (and a single
 * capital, as in ⌘K). What is left of a text without them must have no letter in it (symbols, numbers, punctuation).
 */
const UNTRANSLATED =
  /\b(?:ChatLedger|OpenAI|CSV|JSON|Markdown|USD|API|Esc|Enter|Shift|Ctrl|Alt|Tab|KiB|MB|px|ms|[A-Z])\b/gu;

function isUserText(text: string): boolean {
  return /\p{L}/u.test(text.replace(UNTRANSLATED, ""));
}

export type Literal = { file: string; line: number; text: string };

/** The user-visible string literals a .tsx file renders: JSX text, visible attributes, and `{"…"}` children. */
export function findLiterals(file: string, source: string): Literal[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Literal[] = [];
  const report = (node: ts.Node, text: string) => {
    const trimmed = text.replace(/\s+/g, " ").trim();
    if (!isUserText(trimmed)) return;
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    found.push({ file, line: line + 1, text: trimmed });
  };
  const stringOf = (node: ts.Node | undefined): string | null =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText(sourceFile))) {
      const value = node.initializer;
      const text = stringOf(value) ?? (value && ts.isJsxExpression(value) ? stringOf(value.expression) : null);
      if (text !== null) report(node, text);
    } else if (
      ts.isJsxExpression(node) &&
      node.parent &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      const text = stringOf(node.expression);
      if (text !== null) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
