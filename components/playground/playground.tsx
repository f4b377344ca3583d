"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { type ExchangeRate, formatUsdPer1M } from "@/lib/billing/money";
import type { CompletionOutput, CompletionRunView } from "@/lib/db/completion-runs";
import { AppError } from "@/lib/errors";
import { readNdjson } from "@/lib/ndjson";
import {
  DEFAULT_MAX_TOKENS,
  MAX_CHOICES,
  MAX_STOP_SEQUENCES,
  maxTokensLimit,
  parseStopText,
  stopText,
} from "@/lib/playground/limits";
import type { PlaygroundEvent } from "@/lib/playground/run";
import { PlaygroundHistory } from "./playground-history";
import { RunOutputs, RunUsage } from "./run-outputs";

export type CompletionModelChoice = { model: string; price: { inputPer1M: number; outputPer1M: number } | null };

type Form = {
  model: string;
  prompt: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  n: number;
  stop: string;
};

/** A run on screen: streaming (no `run` yet), or finished (its stored row, with usage and cost). */
type Shown = {
  outputs: CompletionOutput[];
  callId?: string;
  reservedMicros?: number;
  run?: CompletionRunView;
};

const CHOICE_COUNTS = Array.from({ length: MAX_CHOICES }, (_, index) => index + 1);

const fieldClass = "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm";

/** "" → absent (the model's default); otherwise the number typed (the server checks its range). */
const optionalNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));

/** The server's error sentence for a refused request, or `fallback` when the body has none. */
async function refusal(response: Response, fallback: string): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  return AppError.fromBody(body)?.message ?? fallback;
}

/**
 * The /playground page: a prompt and its parameters, Run and Stop, the choices as they stream (side by side), the
 * run's usage and exact cost, and the user's history of runs (load one back, delete one).
 */
export function Playground({
  models,
  initialHistory,
  currency,
}: {
  models: CompletionModelChoice[];
  initialHistory: { runs: CompletionRunView[]; hasMore: boolean };
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("playground");
  const errorText = useErrorText();
  const id = useId();
  const [form, setForm] = useState<Form>({
    model: models[0]?.model ?? "",
    prompt: "",
    temperature: "",
    topP: "",
    maxTokens: String(Math.min(DEFAULT_MAX_TOKENS, maxTokensLimit({ model: models[0]?.model ?? "" }))),
    n: 1,
    stop: "",
  });
  const [shown, setShown] = useState<Shown | null>(null);
  const [isRunning, setIsRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [history, setHistory] = useState(initialHistory);
  const [notice, setNotice] = useState("");
  const request = useRef<AbortController | null>(null);
  const callId = useRef<string | null>(null);
  const price = models.find((choice) => choice.model === form.model)?.price ?? null;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((current) => ({ ...current, [key]: value }));

  async function run() {
    if (isRunning) return;
    setProblem(null);
    setNotice("");
    const stops = parseStopText(form.stop);
    const controller = new AbortController();
    request.current = controller;
    callId.current = null;
    setIsRunning(true);
    setShown({ outputs: Array.from({ length: form.n }, () => ({ text: "", finishReason: null })) });
    try {
      const response = await fetch("/api/playground", {
        method: "POST",
        headers: { "content-type": "application/json" },
        signal: controller.signal,
        body: JSON.stringify({
          model: form.model,
          prompt: form.prompt,
          temperature: optionalNumber(form.temperature),
          topP: optionalNumber(form.topP),
          maxTokens: Number(form.maxTokens),
          n: form.n,
          stop: stops,
        }),
      });
      if (!response.ok || !response.body) {
        setShown(null);
        setProblem(await refusal(response, t("failed", { message: String(response.status) })));
        return;
      }
      for await (const event of readNdjson<PlaygroundEvent>(response.body)) {
        if (event.type === "start") {
          callId.current = event.callId;
          setShown((current) => current && { ...current, callId: event.callId, reservedMicros: event.reservedMicros });
        } else if (event.type === "text") {
          setShown((current) => {
            if (!current) return current;
            const outputs = current.outputs.map((output, index) =>
              index === event.index ? { ...output, text: output.text + event.text } : output,
            );
            return { ...current, outputs };
          });
        } else if (event.type === "end") {
          setShown({ outputs: event.run.outputs, run: event.run });
          setHistory((current) => ({ ...current, runs: [event.run, ...current.runs] }));
        } else {
          setProblem(errorText(event.error));
        }
      }
    } catch (error) {
      // Stop before the server answered aborts the request itself: the server then stops the call.
      if (!controller.signal.aborted) setProblem(t("failed", { message: String(error) }));
    } finally {
      request.current = null;
      setIsRunning(false);
    }
  }

  async function stop() {
    const running = callId.current;
    if (!running) {
      request.current?.abort();
      return;
    }
    // The stream then ends with the stopped run, charged what was streamed.
    await fetch("/api/playground/stop", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callId: running }),
    }).catch(() => request.current?.abort());
  }

  function load(loaded: CompletionRunView) {
    setForm({
      model: loaded.model,
      prompt: loaded.prompt,
      temperature: loaded.temperature === null ? "" : String(loaded.temperature),
      topP: loaded.topP === null ? "" : String(loaded.topP),
      maxTokens: String(loaded.maxTokens),
      n: loaded.n,
      stop: stopText(loaded.stop),
    });
    setShown({ outputs: loaded.outputs, run: loaded });
    setProblem(null);
    setNotice(t("loaded"));
  }

  const isStopDisabled = !isRunning;
  return (
    <div className="flex flex-col gap-6">
      <form
        className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-4 sm:p-5"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-prompt`} className="text-sm font-medium">
            {t("prompt")}
          </label>
          <textarea
            id={`${id}-prompt`}
            value={form.prompt}
            onChange={(event) => set("prompt", event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
                event.preventDefault();
                void run();
              }
            }}
            placeholder={t("promptPlaceholder")}
            rows={6}
            className={`${fieldClass} min-h-32 resize-y font-mono`}
          />
        </div>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <div className="col-span-2 flex flex-col gap-1 sm:col-span-3 lg:col-span-2">
            <label htmlFor={`${id}-model`} className="text-sm font-medium">
              {t("model")}
            </label>
            <select
              id={`${id}-model`}
              value={form.model}
              onChange={(event) => set("model", event.target.value)}
              aria-describedby={`${id}-price`}
              className={fieldClass}
            >
              {models.map((choice) => (
                <option key={choice.model} value={choice.model}>
                  {choice.model}
                </option>
              ))}
            </select>
            <ModelPrice id={`${id}-price`} price={price} />
          </div>
          <NumberField
            id={`${id}-temperature`}
            label={t("temperature")}
            value={form.temperature}
            onChange={(value) => set("temperature", value)}
            min={0}
            max={2}
            step={0.1}
            placeholder={t("modelDefault")}
          />
          <NumberField
            id={`${id}-top-p`}
            label={t("topP")}
            value={form.topP}
            onChange={(value) => set("topP", value)}
            min={0}
            max={1}
            step={0.05}
            placeholder={t("modelDefault")}
          />
          <NumberField
            id={`${id}-max-tokens`}
            label={t("maxTokens")}
            value={form.maxTokens}
            onChange={(value) => set("maxTokens", value)}
            min={1}
            max={maxTokensLimit({ model: form.model })}
            step={1}
          />
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-n`} className="text-sm font-medium">
              {t("choices")}
            </label>
            <select
              id={`${id}-n`}
              value={form.n}
              onChange={(event) => set("n", Number(event.target.value))}
              className={fieldClass}
            >
              {CHOICE_COUNTS.map((count) => (
                <option key={count} value={count}>
                  {count}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="-mt-2 text-xs text-zinc-600">{t("parametersHint")}</p>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-stop`} className="text-sm font-medium">
            {t("stopSequences")}
          </label>
          <textarea
            id={`${id}-stop`}
            value={form.stop}
            onChange={(event) => set("stop", event.target.value)}
            aria-describedby={`${id}-stop-hint`}
            rows={2}
            className={`${fieldClass} resize-y font-mono`}
          />
          <p id={`${id}-stop-hint`} className="text-xs text-zinc-600">
            {t("stopHint", { max: MAX_STOP_SEQUENCES })}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={isRunning} className="min-h-11 min-w-24 lg:min-h-0">
            {isRunning ? t("running") : t("run")}
          </Button>
          <Button
            variant="secondary"
            disabled={isStopDisabled}
            onClick={() => void stop()}
            className="min-h-11 min-w-24 lg:min-h-0"
          >
            {t("stop")}
          </Button>
        </div>
        {problem ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
            {problem}
          </p>
        ) : null}
      </form>

      {shown ? (
        <section aria-labelledby={`${id}-outputs`} className="flex flex-col gap-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id={`${id}-outputs`} className="text-lg font-semibold">
              {t("outputs")}
            </h2>
            <RunUsage run={shown.run} reservedMicros={shown.reservedMicros} currency={currency} />
          </div>
          <RunOutputs outputs={shown.outputs} isStreaming={!shown.run} />
        </section>
      ) : null}

      <p role="status" className="sr-only">
        {notice}
      </p>
      <PlaygroundHistory
        history={history}
        onHistory={setHistory}
        onLoad={load}
        onNotice={setNotice}
        onProblem={setProblem}
        currency={currency}
      />
    </div>
  );
}

/** The model's list price per 1M tokens, exact from micro-USD, in the page's language. */
function ModelPrice({ id, price }: { id: string; price: CompletionModelChoice["price"] }) {
  const t = useTranslations("playground");
  const locale = useLocale();
  return (
    <p id={id} className="text-xs text-zinc-600">
      {price
        ? t("price", {
            input: formatUsdPer1M(price.inputPer1M, { locale }),
            output: formatUsdPer1M(price.outputPer1M, { locale }),
          })
        : t("unpricedModel")}
    </p>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  step,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  min: number;
  max: number;
  step: number;
  placeholder?: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        min={min}
        max={max}
        step={step}
        placeholder={placeholder}
        className={fieldClass}
      />
    </div>
  );
}
