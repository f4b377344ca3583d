import { useFormatter, useTranslations } from "next-intl";
import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import type { ModelSpend as ModelSpendRow } from "@/lib/billing/report";
import { RowChart } from "./bar-chart";
import { ChartFigure } from "./chart-figure";
import { moneyText } from "./format";
import { SpendAmount } from "./spend-amount";

/** Spend per model over the selected range, dearest first. */
export function ModelSpend({
  models,
  rangeLabel,
  currency,
}: {
  models: ModelSpendRow[];
  /** "last 30 days", "this month", "all time", in the page's language. */
  rangeLabel: string;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("usage.models");
  const format = useFormatter();
  const totalMicros = models.reduce((sum, model) => sum + model.costMicros, 0);
  const top = models[0];
  const unpriced = models.filter((model) => model.hasUnpriced).map((model) => model.model);
  const figures = { total: formatUsd(totalMicros), count: models.length };
  const summary =
    models.length === 0
      ? t("none")
      : (top && top.costMicros > 0
          ? t("summaryWithTop", { ...figures, model: top.model, amount: formatUsd(top.costMicros) })
          : t("summary", figures)) +
        (unpriced.length > 0 ? ` ${t("notIncluded", { models: format.list(unpriced) })}` : "");
  return (
    <ChartFigure
      id="model-spend"
      title={t("title", { range: rangeLabel })}
      summary={summary}
      chart={
        models.length === 0 ? null : (
          <RowChart
            bars={models.map((model) => {
              const amount = moneyText(model.costMicros, currency);
              const cost = model.hasUnpriced ? t("plusUnpriced", { amount }) : amount;
              return {
                key: model.model,
                label: model.model,
                micros: model.costMicros,
                tooltip: t("tooltip", { model: model.model, amount: cost, calls: model.calls }),
              };
            })}
          />
        )
      }
      table={
        <table className="w-full text-sm">
          <thead className="text-left text-zinc-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                {t("model")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("calls")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("prompt")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("completion")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("spend")}
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {models.map((model) => (
              <tr key={model.model} className="border-t border-zinc-100">
                <th scope="row" className="py-1 text-left font-normal">
                  {model.model}
                </th>
                <td className="py-1 text-right">{format.number(model.calls)}</td>
                <td className="py-1 text-right">{format.number(model.promptTokens)}</td>
                <td className="py-1 text-right">{format.number(model.completionTokens)}</td>
                <td className="py-1 text-right">
                  <SpendAmount
                    micros={model.costMicros}
                    hasEstimated={model.hasEstimated}
                    hasUnpriced={model.hasUnpriced}
                    currency={currency}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
