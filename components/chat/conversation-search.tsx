"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import type { ConversationSearchResponse, TextPart } from "@/lib/chat/search-results";
import { AppError } from "@/lib/errors";
import { searchTextProblem } from "@/lib/input-rules";
import { cn } from "@/lib/utils";
import { AppLink } from "./app-link";

/** Typing pauses this long before a search is sent. */
const DEBOUNCE_MS = 200;

type SearchState =
  | { status: "idle" }
  | { status: "searching"; query: string }
  | { status: "done"; query: string; response: ConversationSearchResponse }
  | { status: "failed"; query: string; message: string };

/** Searches the user's history for `text` as it is typed (debounced; a newer query cancels the older one). */
function useConversationSearch(text: string): SearchState {
  const t = useTranslations("search");
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const errorText = useErrorText();
  useEffect(() => {
    if (!text.trim()) {
      setState({ status: "idle" });
      return;
    }
    // The server's rule (conversationSearchSchema applies it to the trimmed text).
    const query = text.trim();
    const problem = searchTextProblem(query);
    if (problem) {
      setState({ status: "failed", query: text, message: errorText(problem) });
      return;
    }
    setState({ status: "searching", query });
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/conversations/search?q=${encodeURIComponent(query)}`, {
          cache: "no-store",
          signal: controller.signal,
        });
        const body: unknown = await response.json();
        if (response.ok) setState({ status: "done", query, response: body as ConversationSearchResponse });
        else setState({ status: "failed", query, message: AppError.fromBody(body)?.message ?? t("failed") });
      } catch {
        if (!controller.signal.aborted) {
          setState({ status: "failed", query, message: t("offline") });
        }
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, t, errorText]);
  return state;
}

function Highlighted({ parts }: { parts: TextPart[] }) {
  return parts.map((part, index) =>
    part.isMatch ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never reorder.
      <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-inherit">
        {part.text}
      </mark>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: as above.
      <span key={index}>{part.text}</span>
    ),
  );
}

type ResultsProps = { query: string; hiddenIds: string[]; activeHref: string };

/**
 * The conversations containing `query`, searched as it is typed. Loaded apart from the list (see conversation-list.tsx), on
 * the search box's first focus.
 */
export function SearchResults({ query, hiddenIds, activeHref }: ResultsProps) {
  const t = useTranslations("search");
  const locale = useLocale();
  const state = useConversationSearch(query);
  if (state.status === "idle") return null;
  if (state.status === "failed") {
    return (
      <p role="alert" className="px-2 py-4 text-sm text-red-700">
        {state.message}
      </p>
    );
  }
  if (state.status === "searching") {
    return (
      <p role="status" className="px-2 py-4 text-sm text-zinc-500">
        {t("searching")}
      </p>
    );
  }
  const results = state.response.results.filter((result) => !hiddenIds.includes(result.id));
  const searched = state.response.window;
  return (
    <div>
      <p role="status" className="px-2 pb-2 text-xs text-zinc-500">
        {results.length === 0
          ? t("none", { query: state.query })
          : t("count", { count: results.length, query: state.query })}
      </p>
      <ul aria-label={t("results")} className="flex flex-col gap-0.5">
        {results.map((result) => {
          const href = `/c/${result.id}`;
          return (
            <li key={result.id}>
              <AppLink
                href={href}
                aria-current={activeHref === href ? "page" : undefined}
                className={cn(
                  "block rounded-lg px-3 py-2 text-sm max-lg:py-3",
                  activeHref === href ? "bg-zinc-200" : "hover:bg-zinc-100",
                )}
              >
                <span className="block truncate font-medium">
                  <Highlighted parts={result.title} />
                </span>
                {result.snippet ? (
                  <span className="mt-0.5 line-clamp-2 block text-xs text-zinc-600">
                    <Highlighted parts={result.snippet} />
                  </span>
                ) : null}
              </AppLink>
            </li>
          );
        })}
      </ul>
      {searched !== null ? (
        <p className="px-2 pt-2 text-xs text-zinc-500">{t("window", { count: searched.toLocaleString(locale) })}</p>
      ) : null}
    </div>
  );
}
