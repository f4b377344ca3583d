import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { getSessionUserId, oauthProviders } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/utils";
import { signInWithOAuth, signInWithPassword } from "../actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeRedirectPath((await searchParams).callbackUrl);
  if (await getSessionUserId()) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in" providers={oauthProviders()} oauthAction={signInWithOAuth} callbackUrl={callbackUrl}>
      <AuthForm mode="sign-in" action={signInWithPassword} callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
