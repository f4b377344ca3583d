import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { AuthForm } from "@/components/auth/auth-form";
import { getSessionUserId, oauthProviders } from "@/lib/auth";
import { signInWithOAuth, signUpWithPassword } from "../actions";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await getSessionUserId()) redirect("/");
  return (
    <AuthCard title="Create your account" providers={oauthProviders()} oauthAction={signInWithOAuth}>
      <AuthForm mode="sign-up" action={signUpWithPassword} />
    </AuthCard>
  );
}
