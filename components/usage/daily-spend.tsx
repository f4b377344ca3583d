import { type ExchangeRate, formatUsd } from "@/lib/billing/money";
import type { DaySpend } from "@/lib/billing/report";
import { formatTokens } from "@/lib/utils";
import { ColumnChart } from "./bar-chart";
import { ChartFigure } from "./chart-figure";
import { exactAmountNote, moneyText } from "./format";
import { Money } from "./money";

/** Spend per UTC day over the last days, zero-filled. */
export function DailySpend({ days, currency }: { days: DaySpend[]; currency: ExchangeRate | null }) {
  // Sums of integers: exact.
  const totalMicros = days.reduce((sum, day) => sum + day.costMicros, 0);
  const calls = days.reduce((sum, day) => sum + day.calls, 0);
  const peak = days.reduce<DaySpend | null>((top, day) => (day.costMicros > (top?.costMicros ?? 0) ? day : top), null);
  const summary =
    calls === 0
      ? `No spend in the last ${days.length} days.`
      : `${formatUsd(totalMicros)} over the last ${days.length} days in ${formatTokens(calls)} calls` +
        (peak ? `; the most on ${peak.day} (${formatUsd(peak.costMicros)}).` : ".");
  return (
    <ChartFigure
      id="daily-spend"
      title={`Spend per day, last ${days.length} days (UTC)`}
      summary={summary}
      chart={
        <ColumnChart
          labelEvery={5}
          bars={days.map((day) => ({
            key: day.day,
            label: day.day.slice(5),
            micros: day.costMicros,
            tooltip: `${day.day} (UTC)\nSpend: ${moneyText(day.costMicros, currency)} · ${day.calls} calls`,
          }))}
        />
      }
      table={
        <table className="w-full text-sm">
          <thead className="text-left text-zinc-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Day (UTC)
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Calls
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Spend
              </th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {[...days].reverse().map((day) => (
              <tr key={day.day} className="border-t border-zinc-100">
                <th scope="row" className="py-1 text-left font-normal">
                  {day.day}
                </th>
                <td className="py-1 text-right">{formatTokens(day.calls)}</td>
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
