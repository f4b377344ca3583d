"use client";

import { useTranslations } from "next-intl";
import { memo, useEffect, useMemo, useState } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import remarkGfm from "remark-gfm";
import type { RemendOptions } from "remend";
import { splitBlocks } from "./blocks";
import { CodeBlock } from "./code-block";
import { lazy, useLazy } from "./lazy";
import { normalizeMath } from "./math-delimiters";
import { imageLink, linkHref } from "./urls";

const math = lazy("math (KaTeX)", () => import("./math"));
// Needed only while a reply streams: not in the page's first load either.
const completion = lazy("remend", async () => (await import("remend")).default);

const PLUGINS: Options["remarkPlugins"] = [remarkGfm];

/**
 * A streaming block's unfinished end is completed by remend (`**bold` → `**bold**`, `[text](htt` → text), from the
 * moment it has loaded (the first words of the first reply may come before). Formulas are handled by normalizeMath;
 * a line of one or two backticks (a fence on its way) is left out.
 */
const REMEND: RemendOptions = {
  katex: false,
  inlineKatex: false,
  linkMode: "text-only",
  handlers: [{ name: "fence-on-its-way", priority: 0, handle: (text) => text.replace(/(^|\n) {0,3}`{1,2}$/, "$1") }],
};

/**
 * A reply's Markdown. A reply shown finished (a stored one, on the server and in the browser) renders in one pass.
 * One that streams renders block by block (./blocks.ts): only the last block is parsed and rendered again, completed by
 * remend, and it stays so once finished (rendering it whole then would mount its code blocks again and lose their
 * colours for a moment). Model output is inert: raw HTML shows as text, links are checked (./urls.ts), images from
 * other sites are loaded only in a tab of their own, on a click (ReplyImage). Code is coloured by Shiki and math set by KaTeX, each loaded on first need.
 */
export const Markdown = memo(function Markdown({ text, isStreaming }: { text: string; isStreaming: boolean }) {
  // One Markdown parser per block costs about twice what one for the whole text does (a processor and its syntax
  // extensions set up per block): that was most of the server's time for a page of 50 replies.
  const [isBlockwise, setIsBlockwise] = useState(isStreaming);
  if (isStreaming && !isBlockwise) setIsBlockwise(true);
  // The whole text is the first block: a finished reply that streams on (continued) keeps its renderer for that block.
  const blocks = useMemo(() => (isBlockwise ? splitBlocks(text) : [text]), [isBlockwise, text]);
  // A chat with replies on screen is likely to stream another: have remend ready by then.
  useEffect(() => completion.load(), []);
  return blocks.map((block, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end; the nth block stays the nth.
    <Block key={index} text={block} isStreaming={isStreaming && index === blocks.length - 1} />
  ));
});

const Block = memo(function Block({ text, isStreaming }: { text: string; isStreaming: boolean }) {
  const remend = useLazy(completion, isStreaming);
  const { markdown, hasMath } = useMemo(() => {
    const normalized = normalizeMath(text, { isStreaming });
    return isStreaming && remend ? { ...normalized, markdown: remend(normalized.markdown, REMEND) } : normalized;
  }, [text, isStreaming, remend]);
  const mathModule = useLazy(math, hasMath);
  return (
    <ReactMarkdown remarkPlugins={mathModule ? mathModule.remarkPlugins : PLUGINS} components={COMPONENTS}>
      {markdown}
    </ReactMarkdown>
  );
});

/** A formula, set once (memoized): a streaming reply sets again only the formula that changed. */
const Formula = memo(function Formula({ tex, isDisplay }: { tex: string; isDisplay: boolean }) {
  // Formulas exist only once remark-math, from the same chunk as KaTeX, parsed them: the chunk is loaded.
  const html = useMemo(() => math.get()?.renderMath(tex, isDisplay), [tex, isDisplay]);
  if (html === undefined) return isDisplay ? <pre>{tex}</pre> : <code>{tex}</code>;
  return isDisplay ? (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX's own markup of the formula, with `trust: false`.
    <div className="not-prose my-3 overflow-x-auto overflow-y-hidden" dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: as above.
    <span dangerouslySetInnerHTML={{ __html: html }} />
  );
});

const COMPONENTS: Components = {
  a({ href, children }) {
    const safe = linkHref(href);
    if (!safe) return <span>{children}</span>;
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    return <ReplyImage src={typeof src === "string" ? src : null} alt={alt} />;
  },
  pre({ node, children }) {
    const code = node?.children[0];
    if (code?.type !== "element" || code.tagName !== "code") return <pre>{children}</pre>;
    const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
    const text = code.children.map((child) => (child.type === "text" ? child.value : "")).join("");
    if (classes.includes("math-display")) return <Formula tex={text} isDisplay />;
    const language = classes.find((name) => name.startsWith("language-"))?.slice("language-".length) ?? "";
    return <CodeBlock code={text.replace(/\n$/, "")} language={language} />;
  },
  code({ node: _node, className, children, ...props }) {
    if (className?.includes("math-inline")) return <Formula tex={String(children)} isDisplay={false} />;
    return (
      <code className={className} {...props}>
        {children}
      </code>
    );
  },
  table({ node: _node, ...props }) {
    return (
      <div className="overflow-x-auto">
        <table {...props} />
      </div>
    );
  },
};

/**
 * An image in a message, not loaded: a placeholder naming the host it would come from, which opens the image in a
 * new tab when clicked. Loading it in place would tell that host who reads the message, and when (an exfiltration
 * channel for an injected prompt); the page's Content-Security-Policy (`img-src 'self' data: blob:`) refuses it
 * anyway, so the user's click is a navigation of its own, with no referrer, outside this page.
 */
function ReplyImage({ src, alt }: { src: string | null; alt: string | undefined }) {
  const t = useTranslations("message");
  const link = imageLink(src);
  const label = alt ? t("image", { alt }) : t("imageUntitled");
  if (!link) return <span className="text-zinc-500">[{label}]</span>;
  return (
    <a
      href={link.href}
      target="_blank"
      rel="noopener noreferrer"
      referrerPolicy="no-referrer"
      title={t("imageNotLoaded", { href: link.href })}
      className="not-prose inline-flex max-w-full items-center gap-1.5 rounded-md border border-zinc-300 px-2 py-1 align-middle text-sm text-zinc-700 no-underline hover:bg-zinc-50"
    >
      <span className="truncate">[{label}]</span>
      <span aria-hidden="true">·</span>
      <span className="truncate underline">{t("remoteImageLoad", { host: link.host })}</span>
    </a>
  );
}
