"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { formatUsd } from "@/lib/billing/money";
import {
  type CompareAnswerResult,
  type CompareEvent,
  MAX_COMPARE_MODELS,
  MIN_COMPARE_MODELS,
} from "@/lib/chat/compare-rules";
import { MAX_SYSTEM_PROMPT_CHARS } from "@/lib/chat/settings";
import { AppError } from "@/lib/errors";
import { MAX_MESSAGE_CHARS } from "@/lib/input-rules";
import { readNdjson } from "@/lib/ndjson";
import { cn } from "@/lib/utils";

// The Compare page: a prompt (and optional system prompt) to 2–4 models at once, their answers streaming side by side
// (POST /api/compare's NDJSON, lib/chat/compare-rules.ts), each with its timings, tokens and exact cost, and
// "Continue with this model", which makes that answer a normal conversation and opens it.

type Answer = { model: string; text: string; firstTokenMs: number | null; result: CompareAnswerResult | null };

type Run = {
  comparisonId: string | null;
  answers: Answer[];
  totalCostMicros: number | null;
  isRunning: boolean;
};

const fieldClass = "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm";

/** Columns side by side from a tablet up (all of them on a wide screen), stacked on a phone. */
const GRID_COLUMNS: Record<number, string> = {
  2: "sm:grid-cols-2",
  3: "sm:grid-cols-2 xl:grid-cols-3",
  4: "sm:grid-cols-2 xl:grid-cols-4",
};

export function CompareView({ models }: { models: string[] }) {
  const t = useTranslations("compare");
  const locale = useLocale();
  const errorText = useErrorText();
  const id = useId();
  const [picked, setPicked] = useState<string[]>([]);
  const [run, setRun] = useState<Run | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const request = useRef<AbortController | null>(null);
  const money = (micros: number) => formatUsd(micros, { precision: 6, locale });
  const isRunning = run?.isRunning ?? false;

  const toggle = (model: string) =>
    setPicked((list) => (list.includes(model) ? list.filter((m) => m !== model) : [...list, model]));

  async function compare(form: FormData) {
    const number = (name: string) => {
      const text = String(form.get(name) ?? "").trim();
      return text === "" ? undefined : Number(text);
    };
    const systemPrompt = String(form.get("systemPrompt") ?? "");
    const chosen = models.filter((model) => picked.includes(model));
    setProblem(null);
    const controller = new AbortController();
    request.current = controller;
    setRun({
      comparisonId: null,
      answers: chosen.map((model) => ({ model, text: "", firstTokenMs: null, result: null })),
      totalCostMicros: null,
      isRunning: true,
    });
    try {
      const response = await fetch("/api/compare", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          prompt: String(form.get("prompt") ?? ""),
          systemPrompt: systemPrompt.trim() ? systemPrompt : undefined,
          models: chosen,
          temperature: number("temperature"),
          maxOutputTokens: number("maxOutputTokens"),
        }),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const body: unknown = await response.json().catch(() => null);
        const error = AppError.fromBody(body);
        setProblem(error?.text ? errorText(error.text) : (error?.message ?? t("failed", { status: response.status })));
        setRun(null);
        return;
      }
      for await (const event of readNdjson<CompareEvent>(response.body)) apply(event);
    } catch (error) {
      if (!controller.signal.aborted) setProblem(t("offline"));
      console.warn("[compare] the stream ended early", error);
    } finally {
      request.current = null;
      setRun((current) => (current ? { ...current, isRunning: false } : current));
    }
  }

  function apply(event: CompareEvent) {
    setRun((current) => {
      if (!current) return current;
      if (event.type === "start") return { ...current, comparisonId: event.comparisonId };
      if (event.type === "end") return { ...current, totalCostMicros: event.totalCostMicros };
      const answers = current.answers.map((answer, index) => {
        if (index !== event.index) return answer;
        if (event.type === "text") {
          return {
            ...answer,
            text: answer.text + event.delta,
            firstTokenMs: event.firstTokenMs ?? answer.firstTokenMs,
          };
        }
        return { ...answer, result: event.result, firstTokenMs: event.result.firstTokenMs };
      });
      return { ...current, answers };
    });
  }

  async function stop() {
    const comparisonId = run?.comparisonId;
    // Before the comparison started nothing was reserved for it yet, or its reservation is settled by the server
    // when the connection closes.
    if (!comparisonId) return request.current?.abort();
    const response = await fetch(`/api/compare/${encodeURIComponent(comparisonId)}/stop`, { method: "POST" }).catch(
      () => null,
    );
    // The server could not be told: closing the connection stops the calls too.
    if (!response?.ok) request.current?.abort();
  }

  async function continueWith(index: number) {
    if (!run?.comparisonId) return;
    setOpening(index);
    setProblem(null);
    try {
      const response = await fetch(`/api/compare/${encodeURIComponent(run.comparisonId)}/continue`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answer: index }),
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const error = AppError.fromBody(body);
        setProblem(error?.text ? errorText(error.text) : t("failed", { status: response.status }));
        setOpening(null);
        return;
      }
      // A full load: the sidebar's history then lists the new conversation.
      window.location.assign(`/c/${encodeURIComponent((body as { conversationId: string }).conversationId)}`);
    } catch {
      setProblem(t("offline"));
      setOpening(null);
    }
  }

  const count = picked.length;
  const canCompare = !isRunning && count >= MIN_COMPARE_MODELS && count <= MAX_COMPARE_MODELS;

  return (
    <div className="flex flex-col gap-6">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (canCompare) void compare(new FormData(event.currentTarget));
        }}
      >
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("prompt")}
          <textarea name="prompt" required rows={4} maxLength={MAX_MESSAGE_CHARS} className={fieldClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("systemPrompt")}
          <textarea name="systemPrompt" rows={2} maxLength={MAX_SYSTEM_PROMPT_CHARS} className={fieldClass} />
        </label>
        <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-models-hint`}>
          <legend className="text-sm font-medium">{t("models")}</legend>
          <p id={`${id}-models-hint`} className="text-sm text-zinc-600">
            {t("modelsHint", { min: MIN_COMPARE_MODELS, max: MAX_COMPARE_MODELS, count })}
          </p>
          <div className="flex flex-wrap gap-2">
            {models.map((model) => {
              const isPicked = picked.includes(model);
              return (
                <label
                  key={model}
                  className={cn(
                    "flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border px-3 text-sm",
                    isPicked ? "border-emerald-600 bg-emerald-50" : "border-zinc-300",
                    !isPicked && count >= MAX_COMPARE_MODELS && "cursor-not-allowed opacity-60",
                  )}
                >
                  <input
                    type="checkbox"
                    checked={isPicked}
                    disabled={!isPicked && count >= MAX_COMPARE_MODELS}
                    onChange={() => toggle(model)}
                  />
                  {model}
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("temperature")}
            <input name="temperature" type="number" step="0.1" min={0} max={2} className={fieldClass} />
            <span className="text-xs font-normal text-zinc-600">{t("temperatureHint")}</span>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("maxOutputTokens")}
            <input name="maxOutputTokens" type="number" step="1" min={1} className={fieldClass} />
            <span className="text-xs font-normal text-zinc-600">{t("maxOutputTokensHint")}</span>
          </label>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={!canCompare} className="min-h-11">
            {t("compare")}
          </Button>
          {isRunning ? (
            <Button variant="secondary" onClick={() => void stop()} className="min-h-11">
              {t("stop")}
            </Button>
          ) : null}
          {run?.totalCostMicros != null ? (
            <p className="text-sm font-medium" aria-live="polite">
              {t("totalCost", { cost: money(run.totalCostMicros) })}
            </p>
          ) : null}
        </div>
        {problem ? (
          <p role="alert" className="text-sm text-red-700">
            {problem}
          </p>
        ) : null}
      </form>
      {run ? (
        <section aria-label={t("answers")} className={cn("grid grid-cols-1 gap-4", GRID_COLUMNS[run.answers.length])}>
          {run.answers.map((answer, index) => (
            <AnswerColumn
              // biome-ignore lint/suspicious/noArrayIndexKey: a column is its position; a model may appear twice.
              key={index}
              answer={answer}
              money={money}
              canContinue={
                run.comparisonId !== null &&
                answer.result !== null &&
                answer.result.status !== "error" &&
                answer.text !== ""
              }
              isOpening={opening === index}
              onContinue={() => void continueWith(index)}
            />
          ))}
        </section>
      ) : null}
    </div>
  );
}

function AnswerColumn({
  answer,
  money,
  canContinue,
  isOpening,
  onContinue,
}: {
  answer: Answer;
  money: (micros: number) => string;
  canContinue: boolean;
  isOpening: boolean;
  onContinue: () => void;
}) {
  const t = useTranslations("compare");
  const errorText = useErrorText();
  const { result } = answer;
  const milliseconds = (ms: number | null) => (ms === null ? "—" : t("ms", { ms }));
  return (
    <article
      aria-label={t("column", { model: answer.model })}
      aria-busy={result === null}
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-4"
    >
      <h2 className="truncate font-semibold" title={answer.model}>
        {answer.model}
      </h2>
      <div className="min-h-24 text-sm break-words whitespace-pre-wrap">
        {answer.text || (result === null ? <span className="text-zinc-500">{t("waiting")}</span> : null)}
      </div>
      {result?.error ? (
        <p role="alert" className="text-sm text-red-700">
          {errorText(result.error)}
        </p>
      ) : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-zinc-600">
        <dt>{t("firstToken")}</dt>
        <dd>{milliseconds(answer.firstTokenMs)}</dd>
        <dt>{t("total")}</dt>
        <dd>{result ? milliseconds(result.totalMs) : "…"}</dd>
        <dt>{t("tokens")}</dt>
        <dd>{result ? t("tokensInOut", { prompt: result.promptTokens, completion: result.completionTokens }) : "…"}</dd>
        <dt>{t("cost")}</dt>
        <dd className="font-medium text-zinc-900">
          {result
            ? [
                money(result.costMicros),
                result.isEstimated ? t("estimated") : null,
                result.isUnpriced ? t("unpriced") : null,
                result.isReleased ? t("released") : null,
              ]
                .filter(Boolean)
                .join(" · ")
            : "…"}
        </dd>
      </dl>
      {canContinue ? (
        <Button variant="secondary" onClick={onContinue} disabled={isOpening} className="mt-auto min-h-11">
          {isOpening ? t("opening") : t("continue")}
        </Button>
      ) : null}
    </article>
  );
}
