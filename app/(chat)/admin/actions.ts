"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { inviteLink, newInviteToken } from "@/lib/accounts/invites";
import { type Admin, requireAdmin } from "@/lib/auth";
import { createInvite, revokeInvite } from "@/lib/db/invites";
import { setBudgetByAdmin, setUserDisabled } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { appError, requestErrorMessage } from "@/lib/i18n/errors";
import { formText } from "@/lib/utils";
import {
  adminBudgetSchema,
  budgetChoiceMicros,
  firstIssue,
  inviteFormSchema,
  revokeInviteSchema,
  userStatusSchema,
} from "@/lib/validations";

// Every action checks that its caller is an administrator (requireAdmin), and every lib/db function it calls checks
// again, inside its transaction. Answers are form states: a refusal is a message, never a thrown error page.

export type AdminActionState = { error?: string; notice?: string; link?: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs an administrator action: the caller must be one; AppErrors (refusals) become the form's error message. */
async function asAdmin(work: (admin: Admin) => Promise<AdminActionState>): Promise<AdminActionState> {
  try {
    const state = await work(await requireAdmin());
    revalidatePath("/admin");
    return state;
  } catch (error) {
    if (error instanceof AppError) return { error: await requestErrorMessage(error) };
    throw error;
  }
}

export async function setUserBudget(formData: FormData): Promise<AdminActionState> {
  return asAdmin(async (admin) => {
    const parsed = adminBudgetSchema.safeParse({
      userId: formText(formData, "userId"),
      mode: formText(formData, "mode"),
      amountUsd: formText(formData, "amountUsd"),
    });
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const { userId, mode } = parsed.data;
    await setBudgetByAdmin({ admin, userId, mode, monthlyBudgetMicros: budgetChoiceMicros(parsed.data) });
    return { notice: (await getTranslations("admin.users"))("budgetSaved") };
  });
}

export async function setUserStatus(formData: FormData): Promise<AdminActionState> {
  return asAdmin(async (admin) => {
    const parsed = userStatusSchema.safeParse({
      userId: formText(formData, "userId"),
      status: formText(formData, "status"),
    });
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const isDisabled = parsed.data.status === "disabled";
    await setUserDisabled({ admin, userId: parsed.data.userId, isDisabled });
    const t = await getTranslations("admin.users");
    return { notice: isDisabled ? t("disabled") : t("enabled") };
  });
}

export async function createInviteLink(formData: FormData): Promise<AdminActionState> {
  return asAdmin(async (admin) => {
    const parsed = inviteFormSchema.safeParse({
      email: formText(formData, "email"),
      expiresInDays: formText(formData, "expiresInDays"),
    });
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    const { token, tokenHash } = newInviteToken();
    await createInvite({
      admin,
      tokenHash,
      email: parsed.data.email,
      expiresAt: new Date(Date.now() + parsed.data.expiresInDays * DAY_MS),
    });
    // The only time the token exists outside the link: it is not stored.
    return { link: inviteLink({ origin: await requestOrigin(), token }) };
  });
}

export async function revokeInviteLink(formData: FormData): Promise<AdminActionState> {
  return asAdmin(async (admin) => {
    const parsed = revokeInviteSchema.safeParse({ inviteId: formText(formData, "inviteId") });
    if (!parsed.success) throw appError("bad_request", firstIssue(parsed.error));
    await revokeInvite({ admin, id: parsed.data.inviteId });
    return { notice: (await getTranslations("admin.invites"))("revoked") };
  });
}

/** The origin the administrator is using, for the link: the browser's Origin header (sent with every action). */
async function requestOrigin(): Promise<string> {
  const list = await headers();
  const origin = list.get("origin");
  if (origin) return origin;
  const host = list.get("x-forwarded-host") ?? list.get("host") ?? "localhost";
  return `${list.get("x-forwarded-proto") ?? "http"}://${host}`;
}
