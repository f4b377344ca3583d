"use client";

import { useTranslations } from "next-intl";
import { memo, type RefObject, useEffect, useMemo, useRef, useState } from "react";
import { CopyButton } from "./copy-button";
import { grammarFor, IncrementalTokenizer, type TokenLine } from "./highlighter";
import { useLazy } from "./lazy";

/** What each observed block does when it comes near the screen. */
const onSeen = new Map<Element, () => void>();
let nearScreen: IntersectionObserver | null = null;

/**
 * One observer for every code block: a long conversation has hundreds, and an observer each made the browser work
 * out each observer's margins on every frame (up to 6.5 ms of a keystroke's frame with 300 replies, bench:typing).
 */
function observeUntilSeen(element: Element, seen: () => void): () => void {
  nearScreen ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        onSeen.get(entry.target)?.();
        unobserve(entry.target);
      }
    },
    { rootMargin: "300px 0px" },
  );
  onSeen.set(element, seen);
  nearScreen.observe(element);
  return () => unobserve(element);
}

function unobserve(element: Element) {
  onSeen.delete(element);
  nearScreen?.unobserve(element);
}

/** True once the element has come near the screen: blocks far up a long conversation are not coloured until read. */
function useHasBeenSeen(ref: RefObject<HTMLElement | null>): boolean {
  const [isSeen, setIsSeen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (isSeen || !element) return;
    return observeUntilSeen(element, () => setIsSeen(true));
  }, [ref, isSeen]);
  return isSeen;
}

/**
 * A fenced code block: its language and a copy button above the code, coloured by Shiki once the block is on screen
 * and the grammar loaded (plain text until then, and for languages not offered).
 */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const t = useTranslations("message");
  const box = useRef<HTMLDivElement>(null);
  const isSeen = useHasBeenSeen(box);
  const grammar = useMemo(() => grammarFor(language), [language]);
  const highlighter = useLazy(grammar?.highlighter ?? null, isSeen);
  const tokenizer = useRef<IncrementalTokenizer | null>(null);
  const lines = useMemo(() => {
    if (!highlighter || !grammar) return null;
    if (tokenizer.current?.language !== grammar.name)
      tokenizer.current = new IncrementalTokenizer(highlighter, grammar.name);
    try {
      return tokenizer.current.tokenize(code);
    } catch (error) {
      console.error(`[markdown] highlighting ${grammar.name} failed`, error);
      return null;
    }
  }, [highlighter, grammar, code]);

  return (
    <div ref={box} className="not-prose my-3 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50">
      <div className="flex items-center justify-between border-b border-zinc-200 py-0.5 pr-1 pl-3 text-xs text-zinc-500">
        <span className="font-mono">{language || "text"}</span>
        <CopyButton text={code} label={t("copyCode")} showsLabel />
      </div>
      <pre
        className="overflow-x-auto px-4 py-3 font-mono text-[0.8125rem] leading-relaxed text-zinc-800"
        data-highlighted={grammar ? String(lines !== null) : undefined}
      >
        <code>
          {lines
            ? lines.map((tokens, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a line is its place in the block, which only grows.
                <Line key={index} tokens={tokens} isFirst={index === 0} />
              ))
            : code}
        </code>
      </pre>
    </div>
  );
}

/** One coloured line; the lines a streaming block already had keep their tokens, so they do not render again. */
const Line = memo(function Line({ tokens, isFirst }: { tokens: TokenLine; isFirst: boolean }) {
  return (
    <>
      {isFirst ? null : "\n"}
      {tokens.map((token, index) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens have no identity of their own; a line's order is fixed.
          key={index}
          style={{
            // light-dark(): both themes' colours (./highlighter.ts THEMES).
            color: token.htmlStyle?.color,
            fontStyle: token.htmlStyle?.["--shiki-light-font-style"],
            fontWeight: token.htmlStyle?.["--shiki-light-font-weight"],
            textDecoration: token.htmlStyle?.["--shiki-light-text-decoration"],
          }}
        >
          {token.content}
        </span>
      ))}
    </>
  );
});
