"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { ExchangeRate } from "@/lib/billing/money";
import type { CompletionRunView } from "@/lib/db/completion-runs";
import { AppError } from "@/lib/errors";
import { RunCost } from "./run-outputs";

type History = { runs: CompletionRunView[]; hasMore: boolean };

/** The server's error sentence for a refused request, or `fallback`. */
async function refusal(response: Response, fallback: string): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  return AppError.fromBody(body)?.message ?? fallback;
}

/** The user's runs, newest first: each with its model, parameters, output, tokens and cost; Load and Delete. */
export function PlaygroundHistory({
  history,
  onHistory,
  onLoad,
  onNotice,
  onProblem,
  currency,
}: {
  history: History;
  onHistory: (update: (current: History) => History) => void;
  onLoad: (run: CompletionRunView) => void;
  onNotice: (text: string) => void;
  onProblem: (text: string | null) => void;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("playground");
  const format = useFormatter();
  const [busy, setBusy] = useState<string | null>(null);
  // UTC, as the usage page's ledger: the server renders it, and the reader's clock is not known there.
  const timeOf = (run: CompletionRunView) =>
    `${format.dateTime(new Date(run.createdAt), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;

  async function act(run: CompletionRunView, method: "GET" | "DELETE") {
    setBusy(run.id);
    onProblem(null);
    try {
      const response = await fetch(`/api/playground/runs/${encodeURIComponent(run.id)}`, { method });
      if (!response.ok) return onProblem(await refusal(response, t("failed", { message: String(response.status) })));
      if (method === "GET") return onLoad(((await response.json()) as { run: CompletionRunView }).run);
      onHistory((current) => ({ ...current, runs: current.runs.filter((other) => other.id !== run.id) }));
      onNotice(t("deleted"));
    } finally {
      setBusy(null);
    }
  }

  async function older() {
    const last = history.runs.at(-1);
    if (!last) return;
    setBusy("older");
    try {
      const response = await fetch(`/api/playground/runs?before=${encodeURIComponent(last.id)}`);
      if (!response.ok) return onProblem(await refusal(response, t("failed", { message: String(response.status) })));
      const page = (await response.json()) as History;
      onHistory((current) => ({ runs: [...current.runs, ...page.runs], hasMore: page.hasMore }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="playground-history" className="flex flex-col gap-3">
      <div>
        <h2 id="playground-history" className="text-lg font-semibold">
          {t("history")}
        </h2>
        <p className="text-sm text-zinc-600">{history.runs.length > 0 ? t("historyIntro") : t("historyEmpty")}</p>
      </div>
      <ol className="flex flex-col gap-2">
        {history.runs.map((run) => {
          const time = timeOf(run);
          return (
            <li key={run.id} className="flex flex-col gap-2 rounded-2xl border border-zinc-200 p-3 sm:p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 text-sm">
                <span className="font-medium">{time}</span>
                <span className="text-zinc-600 tabular-nums">
                  {t("tokens", { prompt: run.promptTokens, completion: run.completionTokens })} ·{" "}
                  <RunCost run={run} currency={currency} />
                </span>
              </div>
              <p className="text-xs text-zinc-600">
                {t("settings", {
                  model: run.model,
                  temperature: run.temperature ?? t("modelDefault"),
                  topP: run.topP ?? t("modelDefault"),
                  maxTokens: run.maxTokens,
                  n: run.n,
                })}
                {run.status !== "complete" ? ` · ${t("status", { status: run.status })}` : ""}
              </p>
              <p className="line-clamp-2 font-mono text-xs break-words whitespace-pre-wrap text-zinc-700">
                {run.prompt}
              </p>
              <p className="line-clamp-3 font-mono text-sm break-words whitespace-pre-wrap">
                {run.outputs[0]?.text || t("empty")}
              </p>
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  className="min-h-11 lg:min-h-0"
                  disabled={busy === run.id}
                  aria-label={t("loadRun", { time })}
                  onClick={() => void act(run, "GET")}
                >
                  {t("load")}
                </Button>
                <Button
                  variant="ghost"
                  className="min-h-11 lg:min-h-0"
                  disabled={busy === run.id}
                  aria-label={t("deleteRun", { time })}
                  onClick={() => void act(run, "DELETE")}
                >
                  {t("delete")}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      {history.hasMore ? (
        <div>
          <Button variant="secondary" disabled={busy === "older"} onClick={() => void older()}>
            {t("older")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
