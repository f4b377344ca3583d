import { useFormatter, useTranslations } from "next-intl";
import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import type { DaySpend } from "@/lib/billing/report";
import { ColumnChart } from "./bar-chart";
import { ChartFigure } from "./chart-figure";
import { moneyText } from "./format";
import { Money } from "./money";
import { TableHead } from "./table-head";
import { useExactAmountNote } from "./use-exact-amount-note";

/** Spend per UTC day over the last days, zero-filled. */
export function DailySpend({ days, currency }: { days: DaySpend[]; currency: ExchangeRate | null }) {
  const t = useTranslations("usage.daily");
  const format = useFormatter();
  const exactAmountNote = useExactAmountNote();
  // Sums of integers: exact.
  const totalMicros = days.reduce((sum, day) => sum + day.costMicros, 0);
  const calls = days.reduce((sum, day) => sum + day.calls, 0);
  const peak = days.reduce<DaySpend | null>((top, day) => (day.costMicros > (top?.costMicros ?? 0) ? day : top), null);
  const figures = { total: formatUsd(totalMicros), days: days.length, calls };
  const summary =
    calls === 0
      ? t("none", { days: days.length })
      : peak
        ? t("summaryWithPeak", { ...figures, day: peak.day, amount: formatUsd(peak.costMicros) })
        : t("summary", figures);
  return (
    <ChartFigure
      id="daily-spend"
      title={t("title", { days: days.length })}
      summary={summary}
      chart={
        <ColumnChart
          labelEvery={5}
          bars={days.map((day) => ({
            key: day.day,
            label: day.day.slice(5),
            micros: day.costMicros,
            tooltip: t("tooltip", { day: day.day, amount: moneyText(day.costMicros, currency), calls: day.calls }),
          }))}
        />
      }
      table={
        <table className="w-full text-sm">
          <TableHead columns={[t("day"), t("calls"), t("spend")]} />
          <tbody className="tabular-nums">
            {[...days].reverse().map((day) => (
              <tr key={day.day} className="border-t border-zinc-100">
                <th scope="row" className="py-1 text-left font-normal">
                  {day.day}
                </th>
                <td className="py-1 text-right">{format.number(day.calls)}</td>
                <td className="py-1 text-right">
                  <Money micros={day.costMicros} currency={currency} title={exactAmountNote(day.costMicros)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
