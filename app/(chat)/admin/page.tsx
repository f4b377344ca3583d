import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { InviteTable } from "@/components/admin/invite-table";
import { UserTable } from "@/components/admin/user-table";
import { Toaster } from "@/components/ui/toaster";
import { signupPolicy } from "@/lib/accounts/config";
import { requireAdminPage } from "@/lib/auth";
import { formatUsd } from "@/lib/billing/money";
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

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("pageTitles"))("admin") };
}

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
  const t = await getTranslations("admin");
  const modeLabel = t(`server.modes.${policy.mode}`);
  return (
    <div className="flex-1 overflow-y-auto">
      <Toaster />
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-8">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>

        <section aria-labelledby="server-title" className="flex flex-col gap-2 rounded-2xl border border-zinc-200 p-5">
          <h2 id="server-title" className="text-base font-semibold">
            {t("server.heading")}
          </h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="text-zinc-500">{t("server.spendIn", { month: utcMonth(now) })}</dt>
            <dd>
              {t("server.spend", {
                total: formatUsd(totalMicros),
                limit:
                  globalMicros === null
                    ? t("server.noGlobalLimit")
                    : t("server.globalLimit", { amount: formatUsd(globalMicros) }),
              })}
            </dd>
            <dt className="text-zinc-500">{t("server.signupMode")}</dt>
            <dd>
              {policy.mode === "open" ? t("server.perHour", { mode: modeLabel, count: policy.maxPerHour }) : modeLabel}
            </dd>
            <dt className="text-zinc-500">{t("server.defaultBudget")}</dt>
            <dd>
              {t("server.defaultBudgetValue", {
                limit: defaultMicros === null ? t("server.unlimited") : formatUsd(defaultMicros),
              })}
            </dd>
            <dt className="text-zinc-500">{t("server.maxChoice")}</dt>
            <dd>
              {maxUserMicros === null ? t("server.noMax") : t("server.maxValue", { amount: formatUsd(maxUserMicros) })}
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
