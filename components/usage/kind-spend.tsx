import { useFormatter, useTranslations } from "next-intl";
import type { ExchangeRate } from "@/lib/billing/money";
import { type KindSpend as KindSpendRow, sharePermille } from "@/lib/billing/report";
import { SpendAmount } from "./spend-amount";
import { TableHead } from "./table-head";

/**
 * Spend per kind of call over the selected range, beside the per-model view: chat, voice (transcriptions), images.
 * Every kind has its row, zero when unused, so the breakdown reads the same from month to month. The share is of the
 * priced spend: an unpriced call's cost is unknown and in no share (its row says so with its flag).
 */
export function KindSpend({
  kinds,
  rangeLabel,
  currency,
}: {
  kinds: KindSpendRow[];
  /** "last 30 days", "this month", "all time", in the page's language. */
  rangeLabel: string;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("usage.kinds");
  const format = useFormatter();
  const totalMicros = kinds.reduce((sum, kind) => sum + kind.costMicros, 0);
  const hasCalls = kinds.some((kind) => kind.calls > 0);
  return (
    <section
      aria-labelledby="kind-spend-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <div>
        <h2 id="kind-spend-title" className="text-base font-semibold">
          {t("title", { range: rangeLabel })}
        </h2>
        <p className="mt-1 text-sm text-zinc-600">{hasCalls ? t("intro") : t("none")}</p>
      </div>
      <table className="w-full text-sm">
        <TableHead columns={[t("kind"), t("calls"), t("spend"), t("share")]} />
        <tbody className="tabular-nums">
          {kinds.map((kind) => {
            const permille = sharePermille(kind.costMicros, totalMicros);
            return (
              <tr key={kind.kind} className="border-t border-zinc-100 align-top">
                <th scope="row" className="py-1.5 text-left font-normal">
                  {t("name", { kind: kind.kind })}
                </th>
                <td className="py-1.5 text-right">{format.number(kind.calls)}</td>
                <td className="py-1.5 text-right">
                  <SpendAmount
                    micros={kind.costMicros}
                    hasEstimated={kind.hasEstimated}
                    hasUnpriced={kind.hasUnpriced}
                    currency={currency}
                  />
                </td>
                <td className="py-1.5 pl-3 text-right">
                  {totalMicros === 0 ? (
                    "—"
                  ) : (
                    <span className="flex items-center justify-end gap-2">
                      {/* The bar repeats the figure beside it for the eye. */}
                      <span aria-hidden="true" className="hidden h-1.5 w-16 rounded-full bg-zinc-100 sm:block">
                        <span
                          className="block h-full rounded-full bg-emerald-600"
                          style={{ width: `${permille / 10}%` }}
                        />
                      </span>
                      {format.number(permille / 1000, { style: "percent", maximumFractionDigits: 1 })}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
