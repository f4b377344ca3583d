import type { Metadata } from "next";
import { InviteTable } from "@/components/admin/invite-table";
import { UserTable } from "@/components/admin/user-table";
import { signupPolicy } from "@/lib/accounts/config";
import { requireAdminPage } from "@/lib/auth";
import { formatLimit, formatUsd } from "@/lib/billing/money";
import { utcMonth } from "@/lib/billing/report";
import {
  budgetPolicy,
  defaultMonthlyBudgetMicros,
  globalMonthlyBudgetMicros,
  maxUserMonthlyBudgetMicros,
} from "@/lib/config";
import { listInvites } from "@/lib/db/invites";
import { getGlobalBudgetStatus } from "@/lib/db/ledger";
import { listUsersForAdmin } from "@/lib/db/users";
import { createInviteLink, revokeInviteLink, setUserBudget, setUserStatus } from "./actions";

export const metadata: Metadata = { title: "Admin" };

const SIGNUP_MODE_LABELS = {
  open: "open: anyone may create an account",
  invite: "invite: only with an invite link from this page",
  closed: "closed: nobody may create an account",
} as const;

export default async function AdminPage() {
  const admin = await requireAdminPage();
  const now = new Date();
  const [users, invites, server] = await Promise.all([
    listUsersForAdmin({ admin, now }),
    listInvites({ admin }),
    getGlobalBudgetStatus({ policy: budgetPolicy(), now }),
  ]);
  const policy = signupPolicy();
  const defaultMicros = defaultMonthlyBudgetMicros();
  const maxUserMicros = maxUserMonthlyBudgetMicros();
  const globalMicros = globalMonthlyBudgetMicros();
  const totalMicros = server.spentMicros + server.reservedMicros;
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-8">
        <h1 className="text-2xl font-semibold">Admin</h1>

        <section aria-labelledby="server-title" className="flex flex-col gap-2 rounded-2xl border border-zinc-200 p-5">
          <h2 id="server-title" className="text-base font-semibold">
            This server
          </h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="text-zinc-500">Spend in {utcMonth(now)} (UTC)</dt>
            <dd>
              {formatUsd(totalMicros)} of{" "}
              {globalMicros === null
                ? "no server-wide limit"
                : `${formatUsd(globalMicros)} (GLOBAL_MONTHLY_BUDGET_USD)`}
              , all users, settled and reserved
            </dd>
            <dt className="text-zinc-500">Sign-up (SIGNUP_MODE)</dt>
            <dd>
              {SIGNUP_MODE_LABELS[policy.mode]}
              {policy.mode === "open" ? `, at most ${policy.maxPerHour} new accounts per hour` : ""}
            </dd>
            <dt className="text-zinc-500">Server default budget</dt>
            <dd>{formatLimit(defaultMicros)} (DEFAULT_MONTHLY_BUDGET_USD)</dd>
            <dt className="text-zinc-500">Most a user may choose</dt>
            <dd>
              {maxUserMicros === null
                ? "no maximum: users may choose any budget, unlimited included (MAX_USER_MONTHLY_BUDGET_USD unset)"
                : `${formatUsd(maxUserMicros)} (MAX_USER_MONTHLY_BUDGET_USD)`}
            </dd>
          </dl>
        </section>

        <UserTable
          users={users}
          adminId={admin.userId}
          defaultMicros={defaultMicros}
          maxUserMicros={maxUserMicros}
          setBudgetAction={setUserBudget}
          setStatusAction={setUserStatus}
        />
        <InviteTable
          invites={invites}
          mode={policy.mode}
          now={now}
          createAction={createInviteLink}
          revokeAction={revokeInviteLink}
        />
      </div>
    </div>
  );
}
