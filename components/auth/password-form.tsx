"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { MIN_PASSWORD_CHARS } from "@/lib/input-rules";
import { PasswordField } from "./password-field";

export type PasswordFormState = { error?: string };

type Props = {
  action: (state: PasswordFormState, formData: FormData) => Promise<PasswordFormState>;
  /** The page was reached by a password change just made (the action redirects here with `?password=changed`). */
  isChanged?: boolean;
};

/** Settings → Password: the current password and a new one; other sessions end when it is saved. */
export function PasswordForm({ action, isChanged = false }: Props) {
  const [state, formAction, isPending] = useActionState(action, {});
  const t = useTranslations("settings.password");
  const auth = useTranslations("auth");
  return (
    <section aria-labelledby="password-title" className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-6">
      <div>
        <h2 id="password-title" className="text-lg font-semibold">
          {t("heading")}
        </h2>
        <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>
      </div>
      <form action={formAction} className="flex flex-col gap-4 text-sm" noValidate>
        <PasswordField
          id="current-password"
          name="currentPassword"
          label={t("current")}
          autoComplete="current-password"
        />
        <PasswordField
          id="new-password"
          name="newPassword"
          label={t("new")}
          autoComplete="new-password"
          minLength={MIN_PASSWORD_CHARS}
          hint={auth("passwordHint", { count: MIN_PASSWORD_CHARS })}
        />
        {state.error ? (
          <p role="alert" className="text-red-700">
            {state.error}
          </p>
        ) : null}
        {isChanged && !state.error ? <p role="status">{t("saved")}</p> : null}
        <Button type="submit" disabled={isPending} className="w-fit">
          {isPending ? t("saving") : t("save")}
        </Button>
      </form>
    </section>
  );
}
