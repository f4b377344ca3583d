"use server";

import { revalidatePath } from "next/cache";
import type { BudgetFormState } from "@/components/settings/budget-form";
import { requireUserId } from "@/lib/auth";
import { parseUsdPer1M } from "@/lib/billing/prices";
import { getBudgetSetting, updateBudget } from "@/lib/db/ledger";
import { budgetFormSchema, budgetFormValues, firstIssue } from "@/lib/validations";

/** Saves the user's own budget; answers with what is now saved, or with what was submitted and why it was refused. */
export async function saveBudget(formData: FormData): Promise<BudgetFormState> {
  const userId = await requireUserId();
  const submitted = { mode: text(formData, "mode"), amountUsd: text(formData, "amountUsd") };
  const parsed = budgetFormSchema.safeParse(submitted);
  if (!parsed.success) return { ...submitted, error: firstIssue(parsed.error) };
  const monthlyBudgetMicros = parsed.data.mode === "limited" ? parseUsdPer1M(parsed.data.amountUsd) : null;
  await updateBudget({ userId, mode: parsed.data.mode, monthlyBudgetMicros });
  revalidatePath("/", "layout");
  return { ...budgetFormValues(await getBudgetSetting({ userId })), isSaved: true };
}

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}
