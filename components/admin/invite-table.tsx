import { inviteStatus } from "@/lib/accounts/invites";
import type { SignupMode } from "@/lib/accounts/signup";
import type { InviteRow } from "@/lib/db/invites";
import { ActionButton } from "./action-button";
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
  return (
    <section
      aria-labelledby="invites-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <h2 id="invites-title" className="text-base font-semibold">
        Invites
      </h2>
      <p className="text-sm text-zinc-600">
        {mode === "invite"
          ? "New accounts need an invite link. Each link works once, until it expires or you revoke it."
          : mode === "open"
            ? "Sign-up is open, so links are not needed; one still lets its holder skip the hourly limit."
            : "Sign-up is closed: invite links do not work until SIGNUP_MODE is invite or open."}
      </p>
      <InviteForm action={createAction} />
      {invites.length === 0 ? (
        <p className="text-sm text-zinc-600">No invites yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left whitespace-nowrap text-zinc-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Created (UTC)
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  For
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  Expires (UTC)
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  Status
                </th>
                <th scope="col" className="py-1.5 pl-3 font-medium">
                  <span className="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invites.map((invite) => {
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
                        <span className="block text-xs text-zinc-500">
                          by {invite.usedByEmail ?? "a deleted account"}
                        </span>
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
