"use server";

import { AuthError } from "next-auth";
import type { AuthFormState } from "@/components/auth/auth-form";
import { signIn, signOut } from "@/lib/auth";
import { createUser } from "@/lib/db/users";
import { hashPassword } from "@/lib/passwords";
import { safeRedirectPath } from "@/lib/utils";
import { firstIssue, signInSchema, signUpSchema } from "@/lib/validations";

function field(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
}

export async function signUpWithPassword(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = field(formData, "email");
  const name = field(formData, "name") || undefined;
  const parsed = signUpSchema.safeParse({ email, name, password: field(formData, "password") });
  if (!parsed.success) return { error: firstIssue(parsed.error), email, name };

  const user = await createUser({
    email: parsed.data.email,
    name: parsed.data.name,
    passwordHash: await hashPassword(parsed.data.password),
  });
  if (!user) return { error: "An account with this email already exists. Sign in instead.", email, name };

  // Throws Next's redirect on success, which must propagate.
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return {};
}

export async function signInWithPassword(_previous: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const email = field(formData, "email");
  const parsed = signInSchema.safeParse({ email, password: field(formData, "password") });
  if (!parsed.success) return { error: firstIssue(parsed.error), email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeRedirectPath(field(formData, "callbackUrl")),
    });
  } catch (error) {
    if (error instanceof AuthError) return { error: "Wrong email or password.", email };
    throw error;
  }
  return {};
}

export async function signInWithOAuth(formData: FormData) {
  const provider = field(formData, "provider");
  if (provider !== "github" && provider !== "google") return;
  await signIn(provider, { redirectTo: safeRedirectPath(field(formData, "callbackUrl")) });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
