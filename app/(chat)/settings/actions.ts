"use server";

import { revalidatePath } from "next/cache";
import type { BudgetFormState } from "@/components/settings/budget-form";
import { requireUserId } from "@/lib/auth";
import { parseUsdPer1M } from "@/lib/billing/prices";
import { updateBudget } from "@/lib/db/ledger";
import { budgetFormSchema, firstIssue } from "@/lib/validations";

export async function saveBudget(_previous: BudgetFormState, formData: FormData): Promise<BudgetFormState> {
  const userId = await requireUserId();
  const parsed = budgetFormSchema.safeParse({
    mode: formData.get("mode"),
    amountUsd: formData.get("amountUsd") ?? undefined,
  });
  if (!parsed.success) return { error: firstIssue(parsed.error) };
  const monthlyBudgetMicros = parsed.data.mode === "limited" ? parseUsdPer1M(parsed.data.amountUsd) : null;
  await updateBudget({ userId, mode: parsed.data.mode, monthlyBudgetMicros });
  revalidatePath("/", "layout");
  return { saved: true };
}
