"use server";

import { revalidatePath } from "next/cache";
import type { BudgetFormState } from "@/components/settings/budget-form";
import { requireUserId } from "@/lib/auth";
import { budgetFormValues, ownBudgetRefusal } from "@/lib/billing/budget";
import { maxUserMonthlyBudgetMicros } from "@/lib/config";
import { getBudgetSetting, updateBudget } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { requestErrorMessage, requestErrorText } from "@/lib/i18n/errors";
import { formText } from "@/lib/utils";
import { budgetChoiceMicros, budgetFormSchema, firstIssue } from "@/lib/validations";

/**
 * Saves the user's own budget; answers with what is now saved, or with what was submitted and why it was refused
 * (signed out included: a refusal is the form's message, never a thrown error, which would be a 500).
 */
export async function saveBudget(formData: FormData): Promise<BudgetFormState> {
  const submitted = { mode: formText(formData, "mode"), amountUsd: formText(formData, "amountUsd") };
  try {
    return await saveBudgetOf({ userId: await requireUserId(), submitted });
  } catch (error) {
    if (error instanceof AppError) return { ...submitted, error: await requestErrorMessage(error) };
    throw error;
  }
}

async function saveBudgetOf({
  userId,
  submitted,
}: {
  userId: string;
  submitted: { mode: string; amountUsd: string };
}): Promise<BudgetFormState> {
  const parsed = budgetFormSchema.safeParse(submitted);
  if (!parsed.success) return { ...submitted, error: await requestErrorText(firstIssue(parsed.error)) };
  const choice = parsed.data;
  if (choice.mode === "admin") {
    // "Keep what the administrator set": nothing to save, unless there is no such budget (any more).
    const setting = await getBudgetSetting({ userId });
    if (!setting.isBudgetSetByAdmin)
      return { ...budgetFormValues(setting), error: await requestErrorText({ key: "validation.budgetChoose" }) };
    return { ...budgetFormValues(setting), isSaved: true };
  }
  const monthlyBudgetMicros = budgetChoiceMicros(choice);
  const refusal = ownBudgetRefusal({
    mode: choice.mode,
    monthlyBudgetMicros,
    maxUserMicros: maxUserMonthlyBudgetMicros(),
  });
  if (refusal) return { ...submitted, error: await requestErrorText(refusal) };
  await updateBudget({ userId, mode: choice.mode, monthlyBudgetMicros });
  revalidatePath("/", "layout");
  return { ...budgetFormValues(await getBudgetSetting({ userId })), isSaved: true };
}
