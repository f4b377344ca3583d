import type { Metadata } from "next";
import { AppearanceSection } from "@/components/settings/appearance-section";
import { BudgetForm } from "@/components/settings/budget-form";
import { DataSection } from "@/components/settings/data-section";
import { Money } from "@/components/usage/money";
import { requirePageUserId } from "@/lib/auth";
import { formatLimit, formatUsd } from "@/lib/billing/money";
import { budgetPolicy, defaultMonthlyBudgetMicros, displayCurrency, maxUserMonthlyBudgetMicros } from "@/lib/config";
import { getBudgetStatus } from "@/lib/db/ledger";
import { getBudgetSetting } from "@/lib/db/users";
import { budgetFormValues } from "@/lib/input-rules";
import { saveBudget } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const userId = await requirePageUserId();
  const defaultMicros = defaultMonthlyBudgetMicros();
  const maxMicros = maxUserMonthlyBudgetMicros();
  const [status, setting] = await Promise.all([
    getBudgetStatus({ userId, policy: budgetPolicy() }),
    getBudgetSetting({ userId }),
  ]);
  const currency = displayCurrency();
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-2xl flex-col gap-8 px-6 py-8">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <section className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-6">
          <div>
            <h2 className="text-lg font-semibold">Budget</h2>
            <p className="mt-1 text-sm text-zinc-600">
              Before each message is sent, its worst-case cost (the counted prompt plus the maximum reply length) is
              reserved against this budget; a message that would go over it is refused and nothing is sent. Months run
              in UTC.
            </p>
            <p className="mt-2 text-sm">
              This month: <Money micros={status.spentMicros + status.reservedMicros} currency={currency} /> of{" "}
              {status.limitMicros === null ? "no limit" : formatUsd(status.limitMicros)}; resets on {status.resetsOn}.
            </p>
          </div>
          <BudgetForm
            action={saveBudget}
            initial={budgetFormValues(setting)}
            defaultLabel={formatLimit(defaultMicros)}
            maxLabel={maxMicros === null ? null : formatUsd(maxMicros)}
            adminLabel={
              setting.isBudgetSetByAdmin
                ? formatLimit(setting.budgetMode === "limited" ? setting.monthlyBudgetMicros : null)
                : null
            }
          />
        </section>
        <AppearanceSection />
        <DataSection />
        <section className="flex flex-col gap-2 rounded-2xl border border-zinc-200 p-6 text-sm text-zinc-600">
          <h2 className="text-lg font-semibold text-zinc-900">Currency</h2>
          {currency ? (
            <p>
              Amounts are charged in USD and also shown in {currency.currency} at {currency.ratePerUsd} per USD (rate of{" "}
              {currency.effectiveFrom}), set by the server&apos;s DISPLAY_CURRENCY.
            </p>
          ) : (
            <p>
              Amounts are in USD. The server can show a second currency beside them with DISPLAY_CURRENCY (e.g.
              CNY:7.1234:2026-11-01).
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
