import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DailySpend } from "@/components/usage/daily-spend";
import { KindSpend } from "@/components/usage/kind-spend";
import { LedgerTable } from "@/components/usage/ledger-table";
import { ModelSpend } from "@/components/usage/model-spend";
import { MonthSummary } from "@/components/usage/month-summary";
import { MonthlyTotals } from "@/components/usage/monthly-totals";
import { RangeNav } from "@/components/usage/range-nav";
import { requirePageUserId } from "@/lib/auth";
import { usagePageParamsSchema, utcMonth } from "@/lib/billing/report";
import { budgetPolicy, displayCurrency } from "@/lib/config";
import { getBudgetStatus } from "@/lib/db/ledger";
import { listLedgerEntries, monthlyTotals, spendBreakdown, spendByDay } from "@/lib/db/usage";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("usage") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsagePage({ searchParams }: Props) {
  const userId = await requirePageUserId();
  const { range, page } = usagePageParamsSchema.parse(await searchParams);
  // One instant for every figure, so the month and the 30 days agree even across midnight UTC.
  const now = new Date();
  const [budget, days, { models, kinds }, months, ledger] = await Promise.all([
    getBudgetStatus({ userId, policy: budgetPolicy(), now }),
    spendByDay({ userId, now }),
    spendBreakdown({ userId, range, now }),
    monthlyTotals({ userId }),
    listLedgerEntries({ userId, range, page, now }),
  ]);
  const currency = displayCurrency();
  const t = await getTranslations("usage");
  const rangeLabel = t(`rangesInline.${range}`);
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-8">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <div className="grid gap-6 lg:grid-cols-2">
          <MonthSummary month={utcMonth(now)} budget={budget} currency={currency} />
          <MonthlyTotals months={months} currency={currency} />
        </div>
        <DailySpend days={days} currency={currency} />
        <div className="flex flex-wrap items-center justify-between gap-3">
          <RangeNav range={range} />
          {/* A plain link: the route answers with an attachment, which the browser downloads. */}
          <a
            href={`/api/usage/export?range=${range}`}
            download
            className="rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100"
          >
            {t("exportCsv")}
          </a>
        </div>
        <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
          <ModelSpend models={models} rangeLabel={rangeLabel} currency={currency} />
          <KindSpend kinds={kinds} rangeLabel={rangeLabel} currency={currency} />
        </div>
        <LedgerTable ledger={ledger} range={range} rangeLabel={rangeLabel} currency={currency} />
      </div>
    </div>
  );
}
