import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthCard, AuthNotice } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { SIGNUP_REFUSALS, type SignupRefusal } from "@/lib/accounts/signup";
import { ACCOUNT_DISABLED, getSessionUserId, oauthProviders } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/utils";
import { signInWithOAuth, signInWithPassword } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("signIn") };
}

function isSignupRefusal(code: string): code is SignupRefusal {
  return Object.hasOwn(SIGNUP_REFUSALS, code);
}

/** ?error= codes: ours (an OAuth sign-up refused, a disabled account) and those Auth.js redirects with. */
async function signInError(code: string): Promise<string> {
  const t = await getTranslations("auth");
  if (isSignupRefusal(code)) return t(`refusals.${code}`);
  if (code === ACCOUNT_DISABLED) return t("errors.accountDisabled");
  if (code === "OAuthAccountNotLinked") return t("errors.oauthAccountNotLinked");
  if (code === "AccessDenied") return t("errors.accessDenied");
  return t("errors.failed");
}

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getSessionUserId()) redirect(callbackUrl);
  const error = params.error ? await signInError(params.error) : null;
  const t = await getTranslations("auth");
  return (
    <AuthCard
      title={t("signInTitle")}
      providers={oauthProviders()}
      oauthAction={signInWithOAuth}
      callbackUrl={callbackUrl}
    >
      {error ? <AuthNotice isError>{error}</AuthNotice> : null}
      <AuthForm mode="sign-in" action={signInWithPassword} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
