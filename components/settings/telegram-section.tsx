"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useChannelLink, useDeadline } from "./use-channel-link";

/** A new link to the bot, shown once (only its token's hash is stored). */
type NewLink = { url: string; expiresAt: string; validMinutes: number };

export type TelegramLinkState = { link?: NewLink; error?: string };

export type TelegramUnlinkState = { isUnlinked?: boolean; error?: string };

type Props = {
  /** The Telegram account linked to this user, or null. */
  linked: { displayName: string | null; linkedAt: string } | null;
  createLink: () => Promise<TelegramLinkState>;
  unlink: () => Promise<TelegramUnlinkState>;
};

/** Settings → Telegram: link a Telegram account to this one (a one-time link to the bot), or unlink it. */
export function TelegramSection({ linked: initialLinked, createLink, unlink }: Props) {
  const t = useTranslations("settings.telegram");
  const format = useFormatter();
  const {
    linked,
    made: link,
    error,
    isPending,
    isConfirming,
    setIsConfirming,
    makeOne: makeLink,
    confirmUnlink,
  } = useChannelLink({
    linked: initialLinked,
    make: async () => {
      const { link, error } = await createLink();
      return { made: link, error };
    },
    unlink,
  });

  return (
    <section
      id="telegram"
      aria-labelledby="telegram-title"
      className="flex scroll-mt-6 flex-col gap-3 rounded-2xl border border-zinc-200 p-6 text-sm"
    >
      <div>
        <h2 id="telegram-title" className="text-lg font-semibold">
          {t("heading")}
        </h2>
        <p role="status" className="mt-1 font-medium">
          {linked
            ? t("linkedTo", {
                hasName: linked.displayName ? "yes" : "no",
                name: linked.displayName ?? "",
                date: format.dateTime(new Date(linked.linkedAt), { dateStyle: "long" }),
              })
            : t("notLinked")}
        </p>
        <p className="mt-1 text-zinc-600">{linked ? t("linkedIntro") : t("intro")}</p>
      </div>
      {linked ? (
        <div>
          <Button variant="secondary" disabled={isPending} onClick={() => setIsConfirming(true)}>
            {t("unlink")}
          </Button>
          <ConfirmDialog
            isOpen={isConfirming}
            title={t("unlinkTitle")}
            description={t("unlinkDescription")}
            confirmLabel={t("unlink")}
            onConfirm={confirmUnlink}
            onCancel={() => setIsConfirming(false)}
          />
        </div>
      ) : (
        <>
          <div>
            <Button disabled={isPending} aria-busy={isPending} onClick={makeLink}>
              {t("link")}
            </Button>
          </div>
          {link ? <LinkShown link={link} /> : null}
        </>
      )}
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function LinkShown({ link }: { link: NewLink }) {
  const t = useTranslations("settings.telegram");
  const until = useDeadline(link.expiresAt);
  return (
    <div className="flex flex-col gap-1 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900">
      <a
        href={link.url}
        target="_blank"
        rel="noopener noreferrer"
        className="w-fit font-medium text-emerald-700 underline"
      >
        {t("open")}
      </a>
      <p className="font-mono text-xs break-all select-all">{link.url}</p>
      <p className="text-xs">{t("linkValidity", { minutes: link.validMinutes, time: until })}</p>
    </div>
  );
}
