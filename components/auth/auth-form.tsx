"use client";

// biome-ignore lint/style/noRestrictedImports: the sign-in pages have no chat around them, and no AppLink.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { MIN_PASSWORD_CHARS } from "@/lib/input-rules";
import { PasswordField } from "./password-field";

export type AuthFormState = { error?: string; email?: string; name?: string };

type Props = {
  mode: "sign-in" | "sign-up";
  action: (state: AuthFormState, formData: FormData) => Promise<AuthFormState>;
  callbackUrl?: string;
  /** Sign-up with an invite link: its token, and the address it is restricted to, if any. */
  invite?: { token: string; email: string | null };
};

export function AuthForm({ mode, action, callbackUrl, invite }: Props) {
  const [state, formAction, isPending] = useActionState(action, {});
  const [, startTransition] = useTransition();
  const t = useTranslations("auth");
  const isSignUp = mode === "sign-up";
  return (
    <form
      action={formAction}
      // React resets a form after its action, which would empty the password after every validation error: submit
      // through a transition instead, so what was typed stays (the action prop remains for browsers without JS).
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      className="flex flex-col gap-4"
      noValidate
    >
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      {invite ? <input type="hidden" name="invite" value={invite.token} /> : null}
      {isSignUp ? (
        <label htmlFor="auth-name" className="flex flex-col gap-1 text-sm font-medium">
          {t("name")} <span className="sr-only">{t("optional")}</span>
          <Input
            id="auth-name"
            name="name"
            autoComplete="name"
            defaultValue={state.name}
            placeholder={t("namePlaceholder")}
          />
        </label>
      ) : null}
      <label htmlFor="auth-email" className="flex flex-col gap-1 text-sm font-medium">
        {t("email")}
        <Input
          id="auth-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={invite?.email ?? state.email}
          readOnly={Boolean(invite?.email)}
        />
      </label>
      <PasswordField
        id="auth-password"
        name="password"
        label={t("password")}
        autoComplete={isSignUp ? "new-password" : "current-password"}
        minLength={isSignUp ? MIN_PASSWORD_CHARS : undefined}
        hint={isSignUp ? t("passwordHint", { count: MIN_PASSWORD_CHARS }) : undefined}
      />
      {state.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        {isPending ? t("pleaseWait") : isSignUp ? t("createAccount") : t("signIn")}
      </Button>
      <p className="text-center text-sm text-zinc-600">
        {isSignUp ? t("haveAccount") : t("newHere")}{" "}
        <Link className="font-medium text-emerald-700 underline" href={isSignUp ? "/sign-in" : "/sign-up"}>
          {isSignUp ? t("signIn") : t("createAnAccount")}
        </Link>
      </p>
    </form>
  );
}
