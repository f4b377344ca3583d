"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import type { AuthFormState } from "@/components/auth/auth-form";
import type { PasswordFormState } from "@/components/auth/password-form";
import { signupPolicy } from "@/lib/accounts/config";
import { hashInviteToken } from "@/lib/accounts/invites";
import {
  ACCOUNT_DISABLED,
  getSessionUserId,
  INVITE_COOKIE,
  renewSession,
  SignInRateLimitedError,
  signIn,
  signOut,
} from "@/lib/auth";
import { createUser, getPasswordHash, setPassword } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { requestErrorMessage, requestErrorText } from "@/lib/i18n/errors";
import { adoptVisitorLocale } from "@/lib/i18n/sign-up";
import { hashPassword, verifyPassword } from "@/lib/passwords";
import { clientIp, hitRateLimits } from "@/lib/rate-limit";
import { isHttpsRequest } from "@/lib/security/headers";
import { formText, safeRedirectPath } from "@/lib/utils";
import { firstIssue, passwordChangeSchema, signInSchema, signUpSchema } from "@/lib/validations";

export async function signUpWithPassword(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = formText(formData, "email");
  const name = formText(formData, "name") || undefined;
  const invite = formText(formData, "invite") || undefined;
  const parsed = signUpSchema.safeParse({ email, name, password: formText(formData, "password") });
  if (!parsed.success) return { error: await requestErrorText(firstIssue(parsed.error)), email, name };
  // Before hashing: a refused sign-up costs no bcrypt. It also bounds how fast "already exists" can be asked.
  const ip = clientIp(await headers());
  const refusal = ip ? await hitRateLimits([{ name: "signUpIp", subject: ip }]) : null;
  if (refusal) return { error: await requestErrorMessage(refusal), email, name };

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
    if (error instanceof SignInRateLimitedError) return { error: await requestErrorMessage(error.refusal), email };
    // Too many sign-ins at once for the password hashing to take (lib/passwords.ts): busy, try again.
    if (error instanceof AuthError && error.cause?.err instanceof AppError) {
      return { error: await requestErrorMessage(error.cause.err), email };
    }
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

/**
 * Changes the signed-in user's password: the current one is checked (rate-limited per account like a sign-in), the
 * new one saved with every session of the user ended, then this session is renewed under the new version, so only
 * the browser that changed it stays signed in.
 */
export async function changePassword(_previous: PasswordFormState, formData: FormData): Promise<PasswordFormState> {
  try {
    const userId = await getSessionUserId();
    if (!userId) return { error: await requestErrorText({ key: "errors.signInRequired" }) };
    const parsed = passwordChangeSchema.safeParse({
      currentPassword: formText(formData, "currentPassword"),
      newPassword: formText(formData, "newPassword"),
    });
    if (!parsed.success) return { error: await requestErrorText(firstIssue(parsed.error)) };
    const refusal = await hitRateLimits([{ name: "passwordChange", subject: userId }]);
    if (refusal) return { error: await requestErrorMessage(refusal) };
    const hash = await getPasswordHash({ userId });
    if (!hash) return { error: await requestErrorText({ key: "errors.sessionNoPassword" }) };
    if (!(await verifyPassword(parsed.data.currentPassword, hash))) {
      return { error: await requestErrorText({ key: "errors.sessionWrongPassword" }) };
    }
    await setPassword({ userId }, await hashPassword(parsed.data.newPassword));
    await renewSession({});
  } catch (error) {
    if (error instanceof AppError) return { error: await requestErrorMessage(error) };
    throw error;
  }
  // Not a form state: the page Next renders after this action still reads the request's old session cookie, whose
  // version has just ended, and would send the user to sign in and back (the form, and its message, lost). A redirect
  // is a new request, with the renewed cookie.
  redirect("/settings?password=changed");
}
