import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthCard, AuthNotice } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { SIGNUP_REFUSALS } from "@/lib/accounts/signup";
import { ACCOUNT_DISABLED, getSessionUserId, oauthProviders } from "@/lib/auth";
import type { ErrorKey } from "@/lib/errors";
import { safeRedirectPath } from "@/lib/utils";
import { signInWithOAuth, signInWithPassword } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("signIn") };
}

/** ?error= codes: ours (an OAuth sign-up refused, a disabled account) and those Auth.js redirects with. */
const SIGN_IN_ERRORS: Record<string, ErrorKey> = {
  ...SIGNUP_REFUSALS,
  [ACCOUNT_DISABLED]: "errors.accountDisabled",
  OAuthAccountNotLinked: "errors.oauthAccountNotLinked",
  AccessDenied: "errors.accessDenied",
};

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getSessionUserId()) redirect(callbackUrl);
  const errorKey = params.error
    ? ((Object.hasOwn(SIGN_IN_ERRORS, params.error) ? SIGN_IN_ERRORS[params.error] : undefined) ??
      "errors.signInFailed")
    : null;
  const error = errorKey ? (await getTranslations())(errorKey) : null;
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
