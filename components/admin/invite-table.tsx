import { useFormatter, useTranslations } from "next-intl";
import { inviteStatus } from "@/lib/accounts/invites";
import type { SignupMode } from "@/lib/accounts/signup";
import type { InviteRow } from "@/lib/db/invites";
import { ActionButton } from "./action-button";
import { AdminTable, type Column } from "./admin-table";
import { utcDay } from "./format";
import { InviteForm } from "./invite-form";

/** Invite links: create one, and the latest with their state (pending, used, expired, revoked). */
export function InviteTable({
  invites,
  mode,
  now,
  createAction,
  revokeAction,
}: {
  invites: InviteRow[];
  mode: SignupMode;
  now: Date;
  createAction: (formData: FormData) => Promise<{ error?: string; link?: string }>;
  revokeAction: (formData: FormData) => Promise<{ error?: string; notice?: string }>;
}) {
  const t = useTranslations("admin.invites");
  const format = useFormatter();
  const columns: Column[] = [
    { title: t("columns.created") },
    { title: t("columns.for") },
    { title: t("columns.expires") },
    { title: t("columns.status") },
    { title: t("columns.revoke"), isHidden: true },
  ];
  return (
    <AdminTable
      id="invites-title"
      title={t("heading")}
      intro={
        <>
          <p className="text-sm text-zinc-600">{t(`modeNotes.${mode}`)}</p>
          <InviteForm action={createAction} />
          {invites.length === 0 ? <p className="text-sm text-zinc-600">{t("none")}</p> : null}
        </>
      }
      columns={columns}
    >
      {invites.length === 0
        ? null
        : invites.map((invite) => {
            const status = inviteStatus(invite, now);
            return (
              <tr key={invite.id} className="border-t border-zinc-100 align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  {utcDay(invite.createdAt)}
                  <span className="block text-xs text-zinc-500">{t("by", { email: invite.createdByEmail })}</span>
                </td>
                <td className="px-3 py-1.5">{invite.email ?? t("anyoneWithLink")}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  {utcDay(invite.expiresAt)}
                  {status === "pending" ? (
                    <span className="block text-xs text-zinc-500">{format.relativeTime(invite.expiresAt, now)}</span>
                  ) : null}
                </td>
                <td className="px-3 py-1.5">
                  {t(`statuses.${status}`)}
                  {status === "used" ? (
                    <span className="block text-xs text-zinc-500">
                      {t("by", { email: invite.usedByEmail ?? t("deletedAccount") })}
                    </span>
                  ) : null}
                </td>
                <td className="py-1.5 pl-3">
                  {status === "pending" ? (
                    <ActionButton
                      action={revokeAction}
                      fields={{ inviteId: invite.id }}
                      label={t("revoke")}
                      accessibleName={t("revokeFor", {
                        who: invite.email ?? t("anyone"),
                        date: utcDay(invite.createdAt),
                      })}
                    />
                  ) : null}
                </td>
              </tr>
            );
          })}
    </AdminTable>
  );
}
