"use server";

import { cookies, headers } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import type { AuthFormState } from "@/components/auth/auth-form";
import { signupPolicy } from "@/lib/accounts/config";
import { hashInviteToken } from "@/lib/accounts/invites";
import { ACCOUNT_DISABLED, INVITE_COOKIE, signIn, signOut } from "@/lib/auth";
import { createUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { requestErrorMessage, requestErrorText } from "@/lib/i18n/errors";
import { adoptVisitorLocale } from "@/lib/i18n/sign-up";
import { hashPassword } from "@/lib/passwords";
import { isHttpsRequest } from "@/lib/security/headers";
import { formText, safeRedirectPath } from "@/lib/utils";
import { firstIssue, signInSchema, signUpSchema } from "@/lib/validations";

export async function signUpWithPassword(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = formText(formData, "email");
  const name = formText(formData, "name") || undefined;
  const invite = formText(formData, "invite") || undefined;
  const parsed = signUpSchema.safeParse({ email, name, password: formText(formData, "password") });
  if (!parsed.success) return { error: await requestErrorText(firstIssue(parsed.error)), email, name };

  let user: Awaited<ReturnType<typeof createUser>>;
  try {
    user = await createUser({
      user: {
        email: parsed.data.email,
        name: parsed.data.name,
        passwordHash: await hashPassword(parsed.data.password),
      },
      via: "password",
      inviteTokenHash: invite ? hashInviteToken(invite) : undefined,
      policy: signupPolicy(),
    });
  } catch (error) {
    // Refused by the sign-up rules (closed, invite required or spent, too many sign-ups): say why.
    if (error instanceof AppError) return { error: await requestErrorMessage(error), email, name };
    throw error;
  }
  if (!user) return { error: await requestErrorText({ key: "errors.accountExistsSignIn" }), email, name };
  await adoptVisitorLocale(user.id);

  // Throws Next's redirect on success, which must propagate.
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return {};
}

export async function signInWithPassword(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = formText(formData, "email");
  const parsed = signInSchema.safeParse({ email, password: formText(formData, "password") });
  if (!parsed.success) return { error: await requestErrorText(firstIssue(parsed.error)), email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeRedirectPath(formText(formData, "callbackUrl")),
    });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === ACCOUNT_DISABLED) {
      return { error: await requestErrorText({ key: "errors.accountDisabled" }), email };
    }
    if (error instanceof AuthError) return { error: await requestErrorText({ key: "errors.wrongCredentials" }), email };
    throw error;
  }
  return {};
}

/** INVITE_COOKIE lives just long enough for a trip to the provider and back. */
const INVITE_COOKIE_SECONDS = 15 * 60;

export async function signInWithOAuth(formData: FormData) {
  const provider = formText(formData, "provider");
  if (provider !== "github" && provider !== "google") return;
  const invite = formText(formData, "invite");
  if (invite) {
    // Read by the sign-up rules when the provider sends the user back (lib/auth.ts).
    (await cookies()).set(INVITE_COOKIE, invite, {
      httpOnly: true,
      sameSite: "lax",
      secure: isHttpsRequest(await headers()),
      maxAge: INVITE_COOKIE_SECONDS,
      path: "/",
    });
  }
  await signIn(provider, { redirectTo: safeRedirectPath(formText(formData, "callbackUrl")) });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
