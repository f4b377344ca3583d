"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useFormAction } from "@/components/ui/use-form-action";
import { DEFAULT_INVITE_EXPIRY_DAYS, INVITE_EXPIRY_DAYS } from "@/lib/input-rules";

type State = { error?: string; link?: string };

/** Creates an invite link and shows it once (only its hash is stored), with a copy button. */
export function InviteForm({ action }: { action: (formData: FormData) => Promise<State> }) {
  const t = useTranslations("admin.invites");
  const { state, version, formAction, isPending } = useFormAction<State>(async (formData) => {
    const answer = await action(formData);
    if (answer.link) toast.success(t("created"));
    return answer;
  }, {});
  return (
    <div className="flex flex-col gap-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3">
        <div key={version} className="contents">
          <label htmlFor="invite-email" className="flex flex-col gap-1 text-sm font-medium">
            {t("email")}
            <Input id="invite-email" name="email" type="email" placeholder={t("emailPlaceholder")} className="w-64" />
          </label>
          <label htmlFor="invite-expiry" className="flex flex-col gap-1 text-sm font-medium">
            {t("validFor")}
            <select
              id="invite-expiry"
              name="expiresInDays"
              defaultValue={String(DEFAULT_INVITE_EXPIRY_DAYS)}
              className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm"
            >
              {INVITE_EXPIRY_DAYS.map((days) => (
                <option key={days} value={days}>
                  {t("days", { count: days })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Button type="submit" disabled={isPending}>
          {isPending ? t("creating") : t("create")}
        </Button>
      </form>
      {state.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.link ? <NewLink key={state.link} link={state.link} /> : null}
    </div>
  );
}

function NewLink({ link }: { link: string }) {
  const t = useTranslations("admin.invites");
  const tCommon = useTranslations("common");
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="flex flex-col gap-1 rounded-lg bg-emerald-50 px-3 py-2">
      <label htmlFor="invite-link" className="text-sm font-medium text-emerald-900">
        {t("link")}
      </label>
      <div className="flex gap-2">
        <Input id="invite-link" readOnly value={link} onFocus={(event) => event.target.select()} />
        <Button
          variant="secondary"
          onClick={async () => {
            // The clipboard API needs a secure context (https or localhost); elsewhere the link is copied by hand.
            try {
              await navigator.clipboard.writeText(link);
              setCopy("copied");
              toast.success(t("linkCopied"));
            } catch {
              setCopy("failed");
              toast.error(t("copyFailed"));
            }
          }}
        >
          {copy === "copied" ? t("copied") : tCommon("copy")}
        </Button>
      </div>
      <p className="text-xs text-emerald-900">
        {copy === "failed" ? `${t("copyFailed")} ` : null}
        {t("shownOnce")}
      </p>
    </div>
  );
}
