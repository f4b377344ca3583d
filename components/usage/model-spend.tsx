import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import type { ModelSpend as ModelSpendRow } from "@/lib/billing/report";
import { formatTokens } from "@/lib/utils";
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
  /** "Last 30 days", "This month", "All time". */
  rangeLabel: string;
  currency: ExchangeRate | null;
}) {
  const totalMicros = models.reduce((sum, model) => sum + model.costMicros, 0);
  const top = models[0];
  const unpriced = models.filter((model) => model.hasUnpriced).map((model) => model.model);
  const summary =
    models.length === 0
      ? "No spend in this range."
      : `${formatUsd(totalMicros)} across ${models.length} ${models.length === 1 ? "model" : "models"}` +
        (top && top.costMicros > 0 ? `; the most on ${top.model} (${formatUsd(top.costMicros)}).` : ".") +
        (unpriced.length > 0 ? ` Not included, because unpriced: ${unpriced.join(", ")}.` : "");
  return (
    <ChartFigure
      id="model-spend"
      title={`Spend per model, ${rangeLabel.toLowerCase()}`}
      summary={summary}
      chart={
        models.length === 0 ? null : (
          <RowChart
            bars={models.map((model) => {
              const cost = moneyText(model.costMicros, currency) + (model.hasUnpriced ? " + unpriced" : "");
              return {
                key: model.model,
                label: model.model,
                micros: model.costMicros,
                tooltip: `${model.model}\nSpend: ${cost} · ${model.calls} calls`,
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
                Model
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Calls
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Prompt
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Completion
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Spend
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {models.map((model) => (
              <tr key={model.model} className="border-t border-zinc-100">
                <th scope="row" className="py-1 text-left font-normal">
                  {model.model}
                </th>
                <td className="py-1 text-right">{formatTokens(model.calls)}</td>
                <td className="py-1 text-right">{formatTokens(model.promptTokens)}</td>
                <td className="py-1 text-right">{formatTokens(model.completionTokens)}</td>
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
