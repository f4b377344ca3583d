"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { BudgetFormValues } from "@/lib/validations";

export type BudgetFormState = BudgetFormValues & { error?: string; isSaved?: boolean };

type Props = {
  action: (formData: FormData) => Promise<BudgetFormState>;
  /** The saved setting. */
  initial: BudgetFormValues;
  /** "$10.00" or "unlimited": what "default" means on this server. */
  defaultLabel: string;
};

export function BudgetForm({ action, initial, defaultLabel }: Props) {
  const [state, formAction, isPending] = useActionState(
    async (previous: BudgetFormState & { version: number }, formData: FormData) => ({
      ...(await action(formData)),
      version: previous.version + 1,
    }),
    { ...initial, version: 0 },
  );
  return (
    <form action={formAction} className="flex flex-col gap-3">
      {/* React resets a form to its fields' default values after every action. The fields are mounted afresh after
          each one with the answer as their defaults (the saved setting, or what was submitted when it was refused),
          so that reset lands on exactly what the server holds instead of on the page's first values. */}
      <BudgetFields key={state.version} values={state} defaultLabel={defaultLabel} />
      {state.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.isSaved && !isPending ? (
        <p role="status" className="text-sm text-emerald-700">
          Budget saved.
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={isPending}>
          {isPending ? "Saving…" : "Save budget"}
        </Button>
      </div>
    </form>
  );
}

function BudgetFields({ values, defaultLabel }: { values: BudgetFormValues; defaultLabel: string }) {
  const [mode, setMode] = useState(values.mode);
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Monthly budget</legend>
        {[
          ["default", `Server default (${defaultLabel})`],
          ["limited", "My own limit"],
          ["unlimited", "Unlimited"],
        ].map(([value = "", label]) => (
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
          Limit in USD per month
          <Input
            id="budget-amount"
            name="amountUsd"
            inputMode="decimal"
            defaultValue={values.amountUsd}
            placeholder="10.00"
          />
        </label>
      ) : null}
    </>
  );
}
