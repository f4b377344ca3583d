import { useFormatter, useTranslations } from "next-intl";
import type { ExchangeRate } from "@/lib/billing/money";
import type { MonthTotals } from "@/lib/billing/report";
import { SpendAmount } from "./spend-amount";

/** Settled spend per UTC month, newest first, marking months whose total includes estimated or unpriced calls. */
export function MonthlyTotals({ months, currency }: { months: MonthTotals[]; currency: ExchangeRate | null }) {
  const t = useTranslations("usage.monthly");
  const format = useFormatter();
  return (
    <section
      aria-labelledby="monthly-totals-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <h2 id="monthly-totals-title" className="text-base font-semibold">
        {t("title")}
      </h2>
      {months.length === 0 ? (
        <p className="text-sm text-zinc-600">{t("none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-zinc-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  {t("month")}
                </th>
                <th scope="col" className="py-1.5 px-3 text-right font-medium">
                  {t("calls")}
                </th>
                <th scope="col" className="py-1.5 px-3 text-right font-medium">
                  {t("promptTokens")}
                </th>
                <th scope="col" className="py-1.5 px-3 text-right font-medium">
                  {t("completionTokens")}
                </th>
                <th scope="col" className="py-1.5 pl-3 text-right font-medium">
                  {t("cost")}
                </th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {months.map((month) => (
                <tr key={month.month} className="border-t border-zinc-100 align-top">
                  <th scope="row" className="py-1.5 pr-3 text-left font-medium whitespace-nowrap">
                    {month.month}
                  </th>
                  <td className="py-1.5 px-3 text-right">{format.number(month.calls)}</td>
                  <td className="py-1.5 px-3 text-right">{format.number(month.promptTokens)}</td>
                  <td className="py-1.5 px-3 text-right">{format.number(month.completionTokens)}</td>
                  <td className="py-1.5 pl-3 text-right">
                    <SpendAmount
                      micros={month.costMicros}
                      hasEstimated={month.hasEstimated}
                      hasUnpriced={month.hasUnpriced}
                      currency={currency}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="text-xs text-zinc-500">{t("note")}</p>
    </section>
  );
}
