"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { formatMeterMoney } from "@/components/chat/meter-format";
import { Button } from "@/components/ui/button";
import { exactAmount } from "@/components/usage/format";
import { type ExchangeRate, formatUsdPer1M } from "@/lib/billing/money";
import { ENCODINGS } from "@/lib/billing/token-spans";
import type { Encoding } from "@/lib/billing/tokens";
import { EXAMPLES, type ExampleName } from "./examples";
import { type ModelCost, modelCosts, modelsByEncoding, type TokenizerModel } from "./model-costs";
import { TokenView } from "./token-view";
import { useTextTokens } from "./use-text-tokens";

const NO_TOKENS: Record<Encoding, number> = { o200k_base: 0, cl100k_base: 0 };

const cardClass = "flex flex-col gap-3 rounded-2xl border border-zinc-200 p-4";
const cellClass = "px-2 py-1.5";

/**
 * The tokenizer page: a text, its tokens, its counts in each encoding and what it costs each configured model at
 * today's prices. Every figure is a local estimate of what the upstream would count for the text alone (no chat
 * framing); tokenizing runs in the token worker.
 */
export function Tokenizer({
  models,
  today,
  currency,
}: {
  models: TokenizerModel[];
  /** YYYY-MM-DD (UTC) the prices are of. */
  today: string;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("tokenizer");
  const format = useFormatter();
  const [text, setText] = useState("");
  // A paste, an example or a change of encoding is counted at once; typing waits for a pause.
  const [isImmediate, setIsImmediate] = useState(true);
  const [encoding, setEncoding] = useState<Encoding>(models[0]?.encoding ?? "o200k_base");
  const { result, isCounting, error } = useTextTokens({ text, encoding, isImmediate });

  const counts = result?.counts ?? NO_TOKENS;
  const codePoints = result?.codePoints ?? 0;
  const byEncoding = modelsByEncoding(models);
  const numbers = (count: number) => format.number(count);
  const perToken = (tokens: number) =>
    tokens === 0 ? "—" : format.number(codePoints / tokens, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const load = (next: string) => {
    setIsImmediate(true);
    setText(next);
  };

  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>
        </div>

        <div className="flex flex-col gap-2">
          <label htmlFor="tokenizer-text" className="text-sm font-medium">
            {t("textLabel")}
          </label>
          <textarea
            id="tokenizer-text"
            value={text}
            onChange={(event) => {
              const { inputType } = event.nativeEvent as InputEvent;
              setIsImmediate(inputType === "insertFromPaste" || inputType === "insertFromDrop");
              setText(event.target.value);
            }}
            rows={8}
            spellCheck={false}
            placeholder={t("placeholder")}
            className="w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 font-mono text-sm focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20"
          />
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-sm text-zinc-600">{t("examples")}</span>
            {(Object.keys(EXAMPLES) as ExampleName[]).map((name) => (
              <Button key={name} variant="secondary" className="py-1.5" onClick={() => load(EXAMPLES[name])}>
                {t(`example.${name}`)}
              </Button>
            ))}
            <Button variant="ghost" className="py-1.5" onClick={() => load("")} disabled={text === ""}>
              {t("clear")}
            </Button>
          </div>
        </div>

        {error ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {t("failed")}
          </p>
        ) : null}

        <section aria-labelledby="tokenizer-counts" aria-busy={isCounting} className={cardClass}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="tokenizer-counts" className="font-semibold">
              {t("counts.title")}
            </h2>
            <p className="text-sm text-zinc-600" aria-live="polite">
              {isCounting ? t("counting") : t("counts.characters", { count: numbers(codePoints) })}
            </p>
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-zinc-500">
                <tr>
                  <th scope="col" className={`${cellClass} font-medium`}>
                    {t("counts.encoding")}
                  </th>
                  <th scope="col" className={`${cellClass} text-right font-medium`}>
                    {t("counts.tokens")}
                  </th>
                  <th scope="col" className={`${cellClass} text-right font-medium`}>
                    {t("counts.perToken")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {ENCODINGS.map((each) => (
                  <tr key={each} className="border-t border-zinc-200">
                    <th scope="row" className={`${cellClass} font-mono font-normal`}>
                      {each}
                    </th>
                    <td className={`${cellClass} text-right tabular-nums`}>{numbers(counts[each])}</td>
                    <td className={`${cellClass} text-right tabular-nums`}>{perToken(counts[each])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl className="grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
            {ENCODINGS.map((each) => (
              <div key={each} className="contents">
                <dt className="text-zinc-500">{t("counts.models", { encoding: each })}</dt>
                <dd className="text-zinc-600">
                  {byEncoding[each].length === 0
                    ? t("counts.noModels")
                    : format.list(
                        byEncoding[each].map(({ model, isKnownEncoding }) =>
                          isKnownEncoding ? model : t("assumedModel", { model }),
                        ),
                      )}
                </dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-zinc-500">{t("counts.note")}</p>
        </section>

        <section aria-labelledby="tokenizer-tokens" className={cardClass}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="tokenizer-tokens" className="font-semibold">
              {t("view.title")}
            </h2>
            <label className="flex items-center gap-2 text-sm">
              {t("view.encoding")}
              <select
                value={encoding}
                onChange={(event) => {
                  setIsImmediate(true);
                  setEncoding(event.target.value as Encoding);
                }}
                className="rounded-lg border border-zinc-300 bg-white px-2 py-1 font-mono text-sm"
              >
                {ENCODINGS.map((each) => (
                  <option key={each} value={each}>
                    {each}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {result && result.spans.encoding === encoding ? (
            <TokenView text={result.text} spans={result.spans} />
          ) : (
            <p className="text-sm text-zinc-500">{isCounting ? t("counting") : t("view.empty")}</p>
          )}
        </section>

        <CostTable costs={modelCosts(models, counts)} today={today} currency={currency} isCounting={isCounting} />
      </div>
    </div>
  );
}

function CostTable({
  costs,
  today,
  currency,
  isCounting,
}: {
  costs: ModelCost[];
  today: string;
  currency: ExchangeRate | null;
  isCounting: boolean;
}) {
  const t = useTranslations("tokenizer");
  const format = useFormatter();
  const locale = useLocale();
  const money = (micros: number | null) =>
    micros === null ? (
      <span className="text-zinc-500">{t("costs.unpriced")}</span>
    ) : (
      <span title={exactAmount(micros)}>{formatMeterMoney({ micros, currency, locale })}</span>
    );
  return (
    <section aria-labelledby="tokenizer-costs" aria-busy={isCounting} className={cardClass}>
      <h2 id="tokenizer-costs" className="font-semibold">
        {t("costs.title", { date: today })}
      </h2>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-zinc-500">
            <tr>
              <th scope="col" className={`${cellClass} font-medium`}>
                {t("costs.model")}
              </th>
              <th scope="col" className={`${cellClass} font-medium`}>
                {t("costs.encoding")}
              </th>
              <th scope="col" className={`${cellClass} text-right font-medium`}>
                {t("costs.tokens")}
              </th>
              <th scope="col" className={`${cellClass} text-right font-medium`}>
                {t("costs.asInput")}
              </th>
              <th scope="col" className={`${cellClass} text-right font-medium`}>
                {t("costs.asOutput")}
              </th>
              <th scope="col" className={`${cellClass} font-medium`}>
                {t("costs.price")}
              </th>
            </tr>
          </thead>
          <tbody>
            {costs.map(({ model, encoding, isKnownEncoding, price, tokens, inputMicros, outputMicros }) => (
              <tr key={model} className="border-t border-zinc-200">
                <th scope="row" className={`${cellClass} text-left font-medium`}>
                  {model}
                </th>
                <td className={`${cellClass} font-mono text-xs text-zinc-600`}>
                  {isKnownEncoding ? encoding : t("assumedEncoding", { encoding })}
                </td>
                <td className={`${cellClass} text-right tabular-nums`}>{format.number(tokens)}</td>
                <td className={`${cellClass} text-right tabular-nums`}>{money(inputMicros)}</td>
                <td className={`${cellClass} text-right tabular-nums`}>{money(outputMicros)}</td>
                <td className={`${cellClass} text-zinc-600`}>
                  {price
                    ? t("costs.rates", {
                        input: formatUsdPer1M(price.inputPer1M, { locale }),
                        output: formatUsdPer1M(price.outputPer1M, { locale }),
                        listedAs: price.listedAs === model ? "same" : price.listedAs,
                        since: price.since ?? "undated",
                      })
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-zinc-500">{t("costs.note")}</p>
    </section>
  );
}
