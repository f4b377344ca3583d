"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import { CopyButton } from "@/components/chat/markdown/copy-button";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { CallSource } from "@/lib/billing/kinds";
import { useChannelLink, useDeadline } from "./use-channel-link";

export type WechatChannel = Extract<CallSource, "wechat_mp" | "wecom">;

/** A new link code, shown once (only its hash is stored). */
type NewCode = { code: string; expiresAt: string; validMinutes: number };

export type WechatCodeState = { code?: NewCode; error?: string };

export type WechatUnlinkState = { isUnlinked?: boolean; error?: string };

/** The account linked on a channel: its name as Settings shows it (linked-account.ts), and since when. */
type Linked = { name: string; linkedAt: string } | null;

type Props = {
  /** The channels this server has (at least one), each with the account linked to this user there, or null. */
  channels: { channel: WechatChannel; linked: Linked }[];
  createCode: (channel: WechatChannel) => Promise<WechatCodeState>;
  unlink: (channel: WechatChannel) => Promise<WechatUnlinkState>;
};

/**
 * Settings → WeChat: for the official account and the WeCom app (whichever the server has), link a WeChat account to
 * this one with a code typed into the chat (WeChat has no deep links), or unlink it.
 */
export function WechatSection({ channels, createCode, unlink }: Props) {
  const t = useTranslations("settings.wechat");
  return (
    <section
      id="wechat"
      aria-labelledby="wechat-title"
      className="flex scroll-mt-6 flex-col gap-4 rounded-2xl border border-zinc-200 p-6 text-sm"
    >
      <div>
        <h2 id="wechat-title" className="text-lg font-semibold">
          {t("heading")}
        </h2>
        <p className="mt-1 text-zinc-600">{t("intro")}</p>
      </div>
      {channels.map(({ channel, linked }) => (
        <ChannelLink key={channel} channel={channel} linked={linked} createCode={createCode} unlink={unlink} />
      ))}
    </section>
  );
}

/** The command a user sends with their code (the channels also take /link CODE). */
const LINK_COMMAND = "#绑定";

function ChannelLink({
  channel,
  linked: initialLinked,
  createCode,
  unlink,
}: {
  channel: WechatChannel;
  linked: Linked;
  createCode: Props["createCode"];
  unlink: Props["unlink"];
}) {
  const t = useTranslations("settings.wechat");
  const format = useFormatter();
  const headingId = useId();
  const statusId = useId();
  const {
    linked,
    made: code,
    error,
    isPending,
    isConfirming,
    setIsConfirming,
    makeOne: getCode,
    confirmUnlink,
  } = useChannelLink({
    linked: initialLinked,
    make: async () => {
      const { code, error } = await createCode(channel);
      return { made: code, error };
    },
    unlink: () => unlink(channel),
  });

  // A live region, not role="status": the page has other status lines; this one describes its section.
  return (
    <section
      aria-labelledby={headingId}
      aria-describedby={statusId}
      className="flex flex-col gap-3 border-t border-zinc-200 pt-4"
    >
      <div aria-live="polite" className="flex flex-col gap-3">
        <div>
          <h3 id={headingId} className="font-semibold">
            {t("channel", { channel })}
          </h3>
          <p id={statusId} className="mt-1 font-medium">
            {linked
              ? t("linkedTo", {
                  channel,
                  name: linked.name,
                  date: format.dateTime(new Date(linked.linkedAt), { dateStyle: "long" }),
                })
              : t("notLinked")}
          </p>
          {linked ? <p className="mt-1 text-zinc-600">{t("linkedIntro", { channel })}</p> : null}
        </div>
        {!linked && code ? <CodeShown channel={channel} code={code} /> : null}
      </div>
      {linked ? (
        <div>
          <Button variant="secondary" disabled={isPending} onClick={() => setIsConfirming(true)}>
            {t("unlink")}
          </Button>
          <ConfirmDialog
            isOpen={isConfirming}
            title={t("unlinkTitle", { channel })}
            description={t("unlinkDescription", { channel })}
            confirmLabel={t("unlink")}
            onConfirm={confirmUnlink}
            onCancel={() => setIsConfirming(false)}
          />
        </div>
      ) : (
        <div>
          <Button disabled={isPending} aria-busy={isPending} onClick={getCode}>
            {t("getCode")}
          </Button>
        </div>
      )}
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function CodeShown({ channel, code }: { channel: WechatChannel; code: NewCode }) {
  const t = useTranslations("settings.wechat");
  const tCommon = useTranslations("common");
  const until = useDeadline(code.expiresAt);
  const command = `${LINK_COMMAND} ${code.code}`;
  return (
    <div className="flex flex-col gap-2 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900">
      <p className="text-xs font-medium">{t("code")}</p>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-mono text-2xl font-semibold tracking-widest select-all">{code.code}</span>
        {/* The whole command, ready to paste into the chat. */}
        <CopyButton
          text={command}
          label={tCommon("copy")}
          showsLabel
          className="border border-emerald-300 bg-white text-emerald-800 hover:bg-emerald-100"
        />
      </div>
      <p className="text-xs">{t("codeValidity", { command, channel, minutes: code.validMinutes, time: until })}</p>
    </div>
  );
}
