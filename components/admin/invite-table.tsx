import { inviteStatus } from "@/lib/accounts/invites";
import type { SignupMode } from "@/lib/accounts/signup";
import type { InviteRow } from "@/lib/db/invites";
import { ActionButton } from "./action-button";
import { AdminTable, type Column } from "./admin-table";
import { utcDay } from "./format";
import { InviteForm } from "./invite-form";

const COLUMNS: Column[] = [
  { title: "Created (UTC)" },
  { title: "For" },
  { title: "Expires (UTC)" },
  { title: "Status" },
  { title: "Revoke", isHidden: true },
];

const MODE_NOTES: Record<SignupMode, string> = {
  invite: "New accounts need an invite link. Each link works once, until it expires or you revoke it.",
  open: "Sign-up is open, so links are not needed; one still lets its holder skip the hourly limit.",
  closed: "Sign-up is closed: invite links do not work until SIGNUP_MODE is invite or open.",
};

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
  return (
    <AdminTable
      id="invites-title"
      title="Invites"
      intro={
        <>
          <p className="text-sm text-zinc-600">{MODE_NOTES[mode]}</p>
          <InviteForm action={createAction} />
          {invites.length === 0 ? <p className="text-sm text-zinc-600">No invites yet.</p> : null}
        </>
      }
      columns={COLUMNS}
    >
      {invites.length === 0
        ? null
        : invites.map((invite) => {
            const status = inviteStatus(invite, now);
            return (
              <tr key={invite.id} className="border-t border-zinc-100 align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  {utcDay(invite.createdAt)}
                  <span className="block text-xs text-zinc-500">by {invite.createdByEmail}</span>
                </td>
                <td className="px-3 py-1.5">{invite.email ?? "anyone with the link"}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{utcDay(invite.expiresAt)}</td>
                <td className="px-3 py-1.5">
                  {status}
                  {status === "used" ? (
                    <span className="block text-xs text-zinc-500">by {invite.usedByEmail ?? "a deleted account"}</span>
                  ) : null}
                </td>
                <td className="py-1.5 pl-3">
                  {status === "pending" ? (
                    <ActionButton
                      action={revokeAction}
                      fields={{ inviteId: invite.id }}
                      label="Revoke"
                      accessibleName={`Revoke the invite for ${invite.email ?? "anyone"} created ${utcDay(invite.createdAt)}`}
                    />
                  ) : null}
                </td>
              </tr>
            );
          })}
    </AdminTable>
  );
}
