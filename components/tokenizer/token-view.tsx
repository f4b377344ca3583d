"use client";

import { useFormatter, useTranslations } from "next-intl";
import { memo, useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { spanAt, type TokenSpans } from "@/lib/billing/token-spans";
import { chunkEnds, chunksFor } from "./chunks";

/**
 * Spans rendered unless all are asked for: 100,000 characters of Chinese are ~100,000 spans, which mounted at once
 * hold the main thread for seconds, while the counts and costs above already cover the whole text. The first 2,000
 * (a few screens) show, the rest on request; either way one chunk of at most 500 spans is mounted per frame, so no
 * task is long. Chunks are blocks that end after a line break when they can (where the text breaks a line anyway),
 * with `content-visibility: auto`, so adding one lays out only itself, not the whole text again. Windowing instead
 * would break find-in-page, selecting and copying the text, for a view nobody reads whole; docs/tokenizer.md.
 */
export const FIRST_SPANS = 2_000;
// Neighbours always differ; the dark theme remaps these to dark tints under light text (app/globals.css).
const COLOURS = ["bg-emerald-100", "bg-sky-100", "bg-amber-100", "bg-red-100"];
const SELECTED = ["outline-2", "outline-emerald-600"];

/** A span's text, each line break marked "↵" by CSS (not part of the text, so copying gives the text itself). */
function visibleBreaks(text: string) {
  if (!text.includes("\n")) return text;
  return text.split("\n").flatMap((line, index) =>
    index === 0
      ? [line]
      : // biome-ignore lint/suspicious/noArrayIndexKey: the lines of a fixed text, never reordered.
        [<span key={index} aria-hidden="true" className="text-zinc-400 before:content-['↵']" />, `\n${line}`],
  );
}

const SpanChunk = memo(function SpanChunk({
  text,
  spans,
  start,
  end,
}: {
  text: string;
  spans: TokenSpans;
  start: number;
  end: number;
}) {
  const nodes = [];
  for (let index = start; index < end; index += 1) {
    const span = spanAt(text, spans, index);
    nodes.push(
      <span key={index} data-token={index} title={span.ids.join(" ")} className={COLOURS[index % COLOURS.length]}>
        {visibleBreaks(span.text)}
      </span>,
    );
  }
  return <div className="[contain-intrinsic-size:auto_10rem] [content-visibility:auto]">{nodes}</div>;
});

/**
 * The text as coloured spans of whole characters, one per token (or per group of tokens that share a character's
 * bytes). Hover a span, or focus the view and use the arrow keys, to read its ids; the ids as plain text are one
 * switch away, for copying and for screen readers. One tab stop, however many spans.
 */
export function TokenView({ text, spans }: { text: string; spans: TokenSpans }) {
  const t = useTranslations("tokenizer.view");
  const format = useFormatter();
  const total = spans.spanEnds.length;
  const [isShowingAll, setShowingAll] = useState(false);
  const ends = useMemo(() => chunkEnds(text, spans.spanEnds), [text, spans]);
  const [shownChunks, setShownChunks] = useState(Math.min(1, ends.length));
  const [selected, setSelected] = useState<number | null>(null);
  const [mode, setMode] = useState<"text" | "ids">("text");
  const view = useRef<HTMLElement>(null);
  const statusId = useId();

  // A new text starts again from the first spans and no selection: showing all of it again after every edit would
  // mount up to 100,000 spans per keystroke.
  const [seen, setSeen] = useState(spans);
  if (seen !== spans) {
    setSeen(spans);
    setShownChunks(Math.min(1, ends.length));
    setShowingAll(false);
    setSelected(null);
  }

  const shown = ends[shownChunks - 1] ?? 0;
  const targetChunks = isShowingAll ? ends.length : chunksFor(ends, FIRST_SPANS);
  useEffect(() => {
    if (shownChunks >= targetChunks) return;
    const frame = requestAnimationFrame(() => setShownChunks((current) => Math.min(targetChunks, current + 1)));
    return () => cancelAnimationFrame(frame);
  }, [shownChunks, targetChunks]);

  // The selected span's outline, set on its element: a class through React would render its whole chunk again.
  useEffect(() => {
    const element = selected === null ? null : view.current?.querySelector(`[data-token="${selected}"]`);
    element?.classList.add(...SELECTED);
    return () => element?.classList.remove(...SELECTED);
  }, [selected]);

  const chunks = ends
    .slice(0, shownChunks)
    .map((end, index) => (
      <SpanChunk key={end} text={text} spans={spans} start={index === 0 ? 0 : (ends[index - 1] ?? 0)} end={end} />
    ));

  const move = (event: React.KeyboardEvent) => {
    const last = shown - 1;
    const next = {
      ArrowRight: Math.min(last, (selected ?? -1) + 1),
      ArrowDown: Math.min(last, (selected ?? -1) + 1),
      ArrowLeft: Math.max(0, (selected ?? 1) - 1),
      ArrowUp: Math.max(0, (selected ?? 1) - 1),
      Home: 0,
      End: last,
    }[event.key];
    if (next === undefined || last < 0) return;
    event.preventDefault();
    setSelected(next);
  };

  const token = selected === null || selected >= total ? null : spanAt(text, spans, selected);
  const numbers = (count: number) => format.number(count);

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        {/* biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons, not a form's fieldset. */}
        <div role="group" aria-label={t("show")} className="inline-flex rounded-lg border border-zinc-300 p-0.5">
          {(["text", "ids"] as const).map((each) => (
            <button
              key={each}
              type="button"
              aria-pressed={mode === each}
              onClick={() => {
                setMode(each);
                setSelected(null);
              }}
              className={`rounded-md px-3 py-1 text-sm ${mode === each ? "bg-zinc-200 font-medium" : "hover:bg-zinc-100"}`}
            >
              {t(each)}
            </button>
          ))}
        </div>
        {shown < total && (isShowingAll || targetChunks < ends.length) ? (
          <div className="flex flex-wrap items-center gap-2">
            <p className="text-sm text-zinc-600">
              {t("partial", {
                shown: numbers(spans.spanIdEnds[shown - 1] ?? 0),
                total: numbers(spans.ids.length),
              })}
            </p>
            {isShowingAll ? null : (
              <Button variant="secondary" className="py-1" onClick={() => setShowingAll(true)}>
                {t("showAll")}
              </Button>
            )}
          </div>
        ) : null}
      </div>
      {mode === "text" ? (
        <>
          <section
            ref={view}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: one tab stop that the arrow keys move through the spans.
            tabIndex={0}
            aria-label={t("label", { count: numbers(spans.ids.length) })}
            aria-describedby={statusId}
            onKeyDown={move}
            onFocus={() => setSelected((current) => current ?? (total > 0 ? 0 : null))}
            onMouseOver={(event) => {
              const index = (event.target as HTMLElement).closest<HTMLElement>("[data-token]")?.dataset.token;
              if (index !== undefined) setSelected(Number(index));
            }}
            onBlur={() => setSelected(null)}
            className="max-h-[60vh] overflow-y-auto rounded-lg border border-zinc-300 bg-white p-3 font-mono text-sm leading-6 whitespace-pre-wrap [overflow-wrap:anywhere]"
          >
            {chunks}
          </section>
          <p id={statusId} aria-live="polite" className="min-h-6 text-sm text-zinc-600">
            {token
              ? t("token", {
                  first: numbers(token.firstToken + 1),
                  last: numbers(token.firstToken + token.ids.length),
                  total: numbers(spans.ids.length),
                  text: JSON.stringify(token.text),
                  count: token.ids.length,
                  ids: token.ids.join(", "),
                })
              : t("hint")}
          </p>
        </>
      ) : (
        <section aria-label={t("idsLabel", { count: numbers(spans.ids.length) })}>
          <pre className="max-h-[60vh] overflow-y-auto rounded-lg border border-zinc-300 bg-white p-3 font-mono text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">
            {Array.from(spans.ids).join(", ")}
          </pre>
        </section>
      )}
    </div>
  );
}
