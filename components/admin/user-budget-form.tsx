"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useFormAction } from "@/components/ui/use-form-action";
import type { BudgetFormValues } from "@/lib/billing/budget";

type State = { error?: string; notice?: string };

/** Sets one user's budget as an administrator: the server default, a limit (above the users' maximum too), or none. */
export function UserBudgetForm({
  action,
  userId,
  email,
  values,
}: {
  action: (formData: FormData) => Promise<State>;
  userId: string;
  email: string;
  /** The saved setting. */
  values: BudgetFormValues;
}) {
  const t = useTranslations("admin.users");
  const { state, version, formAction, isPending } = useFormAction<State>(action, {});
  return (
    <form action={formAction} className="flex flex-col gap-1">
      <input type="hidden" name="userId" value={userId} />
      <div className="flex items-center gap-1.5 whitespace-nowrap">
        {/* Remounted after each save, with the saved setting (fresh from the server) as its defaults. */}
        <BudgetChoice key={version} email={email} values={values} />
        <Button type="submit" variant="secondary" disabled={isPending} className="px-2 py-1">
          {t("set")}
        </Button>
      </div>
      {state.error ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : state.notice && !isPending ? (
        <span role="status" className="text-xs text-emerald-700">
          {state.notice}
        </span>
      ) : null}
    </form>
  );
}

function BudgetChoice({ email, values }: { email: string; values: BudgetFormValues }) {
  const t = useTranslations("admin.users");
  const [mode, setMode] = useState(values.mode);
  return (
    <>
      <select
        name="mode"
        aria-label={t("budgetFor", { email })}
        defaultValue={values.mode}
        onChange={(event) => setMode(event.target.value)}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm"
      >
        <option value="default">{t("budgetModes.default")}</option>
        <option value="limited">{t("budgetModes.limited")}</option>
        <option value="unlimited">{t("budgetModes.unlimited")}</option>
      </select>
      {mode === "limited" ? (
        <Input
          name="amountUsd"
          aria-label={t("limitFor", { email })}
          inputMode="decimal"
          defaultValue={values.amountUsd}
          placeholder="USD"
          className="w-24 px-2 py-1"
        />
      ) : null}
    </>
  );
}
