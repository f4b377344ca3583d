"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type BudgetFormState = { error?: string; saved?: boolean };

type Props = {
  action: (state: BudgetFormState, formData: FormData) => Promise<BudgetFormState>;
  mode: string;
  /** The user's own amount, USD decimal text, when limited. */
  amountUsd: string;
  /** "$10.00" or "unlimited": what "default" means on this server. */
  defaultLabel: string;
};

export function BudgetForm({ action, mode: initialMode, amountUsd, defaultLabel }: Props) {
  const [state, formAction, isPending] = useActionState(action, {});
  const [mode, setMode] = useState(initialMode);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Monthly budget</legend>
        {[
          ["default", `Server default (${defaultLabel})`],
          ["limited", "My own limit"],
          ["unlimited", "Unlimited"],
        ].map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="mode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value ?? "")}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {mode === "limited" ? (
        <label htmlFor="budget-amount" className="flex max-w-48 flex-col gap-1 text-sm font-medium">
          Limit in USD per month
          <Input id="budget-amount" name="amountUsd" inputMode="decimal" defaultValue={amountUsd} placeholder="10.00" />
        </label>
      ) : null}
      {state.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.saved && !isPending ? (
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
