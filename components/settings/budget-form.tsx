"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useFormAction } from "@/components/ui/use-form-action";
import type { BudgetFormValues } from "@/lib/billing/budget";

export type BudgetFormState = BudgetFormValues & { error?: string; isSaved?: boolean };

type Props = {
  action: (formData: FormData) => Promise<BudgetFormState>;
  /** The saved setting. */
  initial: BudgetFormValues;
  /** "$10.00" or "unlimited" (in the page's language): what "default" means on this server. */
  defaultLabel: string;
  /** "$20.00": the most a user may choose (MAX_USER_MONTHLY_BUDGET_USD); null when there is no maximum. */
  maxLabel: string | null;
  /** "$50.00" or "unlimited": the budget an administrator set for this user, if they did. */
  adminLabel: string | null;
};

export function BudgetForm({ action, initial, ...labels }: Props) {
  const t = useTranslations("settings.budget");
  const { state, version, formAction, isPending } = useFormAction<BudgetFormState>(async (formData) => {
    const answer = await action(formData);
    // One toast for saves in a row: each replaces the last one's rather than stacking copies.
    if (answer.isSaved) toast.success(t("saved"), { id: "budget-saved" });
    return answer;
  }, initial);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      {/* Remounted after every save with the answer (what is saved, or what was refused) as its defaults. */}
      <BudgetFields key={version} values={state} {...labels} />
      {state.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.isSaved && !isPending ? (
        <p role="status" className="text-sm text-emerald-700">
          {t("saved")}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={isPending}>
          {isPending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}

function BudgetFields({
  values,
  defaultLabel,
  maxLabel,
  adminLabel,
}: { values: BudgetFormValues } & Omit<Props, "action" | "initial">) {
  const t = useTranslations("settings.budget");
  const [mode, setMode] = useState(values.mode);
  const options: [string, string][] = [];
  if (adminLabel) options.push(["admin", t("setByAdmin", { limit: adminLabel })]);
  options.push(["default", t("serverDefault", { limit: defaultLabel })], ["limited", t("ownLimit")]);
  // Unlimited is a user's choice only where the server sets no maximum (still shown if it is what is saved).
  if (maxLabel === null || values.mode === "unlimited") options.push(["unlimited", t("unlimitedChoice")]);
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t("monthlyBudget")}</legend>
        {options.map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="mode"
              value={value}
              defaultChecked={values.mode === value}
              onChange={() => setMode(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {mode === "limited" ? (
        <label htmlFor="budget-amount" className="flex max-w-48 flex-col gap-1 text-sm font-medium">
          {t("amount")}
          <Input
            id="budget-amount"
            name="amountUsd"
            inputMode="decimal"
            defaultValue={values.amountUsd}
            placeholder="10.00"
            aria-describedby={maxLabel ? "budget-max" : undefined}
          />
        </label>
      ) : null}
      {maxLabel ? (
        <p id="budget-max" className="text-sm text-zinc-600">
          {adminLabel ? t("maxWithAdmin", { max: maxLabel }) : t("max", { max: maxLabel })}
        </p>
      ) : null}
    </>
  );
}
