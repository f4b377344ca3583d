import type { Metadata } from "next";
// biome-ignore lint/style/noRestrictedImports: the sign-in pages have no chat around them, and no AppLink.
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthCard, AuthNotice } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { signupPolicy } from "@/lib/accounts/config";
import { hashInviteToken } from "@/lib/accounts/invites";
import { decideSignup, SIGNUP_REFUSALS } from "@/lib/accounts/signup";
import { getSessionUserId, oauthProviders } from "@/lib/auth";
import { getSignupFacts } from "@/lib/db/users";
import { signInWithOAuth, signUpWithPassword } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("signUp") };
}

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  if (await getSessionUserId()) redirect("/");
  const t = await getTranslations("auth");
  const { invite: param } = await searchParams;
  const token = typeof param === "string" && param ? param : undefined;
  const now = new Date();
  const facts = await getSignupFacts({ inviteTokenHash: token ? hashInviteToken(token) : undefined, now });
  // Whether anyone could sign up here now; the address is checked when the form is sent.
  const decision = decideSignup({ policy: signupPolicy(), email: undefined, via: "password", facts, now });
  if (!decision.isAllowed) {
    return (
      <AuthCard title={t("signUpTitle")} providers={[]} oauthAction={signInWithOAuth}>
        <AuthNotice isError>{(await getTranslations())(SIGNUP_REFUSALS[decision.refusal])}</AuthNotice>
        <p className="text-center text-sm text-zinc-600">
          {t("haveAccount")}{" "}
          <Link className="font-medium text-emerald-700 underline" href="/sign-in">
            {t("signIn")}
          </Link>
        </p>
      </AuthCard>
    );
  }
  const invite = decision.usesInvite && token ? { token, email: facts.invite?.email ?? null } : undefined;
  return (
    <AuthCard
      title={t("signUpTitle")}
      providers={oauthProviders()}
      oauthAction={signInWithOAuth}
      invite={invite?.token}
    >
      {decision.role === "admin" ? (
        <AuthNotice>{t("firstAccount")}</AuthNotice>
      ) : invite ? (
        <AuthNotice>{invite.email ? t("invitedAs", { email: invite.email }) : t("invited")}</AuthNotice>
      ) : null}
      <AuthForm mode="sign-up" action={signUpWithPassword} invite={invite} />
    </AuthCard>
  );
}
