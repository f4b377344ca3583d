import { useFormatter, useTranslations } from "next-intl";
import { budgetFormValues, budgetSource, effectiveLimit } from "@/lib/billing/budget";
import { formatUsd } from "@/lib/billing/money";
import type { AdminUserRow } from "@/lib/db/users";
import { ActionButton } from "./action-button";
import { AdminTable, type Column } from "./admin-table";
import { utcDay } from "./format";
import { UserBudgetForm } from "./user-budget-form";

type Action = (formData: FormData) => Promise<{ error?: string; notice?: string }>;

/** Every account: this month's spend, the budget that applies and where it comes from, and what an admin can change. */
export function UserTable({
  users,
  adminId,
  defaultMicros,
  maxUserMicros,
  setBudgetAction,
  setStatusAction,
}: {
  users: AdminUserRow[];
  /** The administrator looking: they cannot disable themselves. */
  adminId: string;
  defaultMicros: number | null;
  maxUserMicros: number | null;
  setBudgetAction: Action;
  setStatusAction: Action;
}) {
  const t = useTranslations("admin.users");
  const format = useFormatter();
  const columns: Column[] = [
    { title: t("columns.user") },
    { title: t("columns.role") },
    { title: t("columns.created") },
    { title: t("columns.status") },
    { title: t("columns.thisMonth"), isNumeric: true },
    { title: t("columns.budget") },
    { title: t("columns.changeBudget") },
    { title: t("columns.access"), isHidden: true },
  ];
  return (
    <AdminTable
      id="users-title"
      title={t("heading")}
      intro={<p className="text-sm text-zinc-600">{t("intro")}</p>}
      columns={columns}
    >
      {users.map((user) => {
        const limit = effectiveLimit({
          mode: user.budgetMode,
          monthlyBudgetMicros: user.monthlyBudgetMicros,
          defaultMicros,
          maxUserMicros,
          isSetByAdmin: user.isBudgetSetByAdmin,
        });
        const source = budgetSource({ mode: user.budgetMode, isSetByAdmin: user.isBudgetSetByAdmin });
        const isSelf = user.id === adminId;
        return (
          <tr key={user.id} className="border-t border-zinc-100 align-top">
            <td className="py-1.5 pr-3">
              <span className="block">{user.email}</span>
              {user.name ? <span className="block text-zinc-500">{user.name}</span> : null}
            </td>
            <td className="px-3 py-1.5">
              {user.isAdmin ? t("roles.admin") : t("roles.user")}
              {user.isAdmin && user.role !== "admin" ? (
                <span className="block text-xs text-zinc-500">{t("viaAdminEmails")}</span>
              ) : null}
            </td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              <time
                dateTime={user.createdAt.toISOString()}
                title={format.dateTime(user.createdAt, { dateStyle: "long" })}
              >
                {utcDay(user.createdAt)}
              </time>
            </td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              {user.disabledAt ? t("disabledOn", { date: utcDay(user.disabledAt) }) : t("active")}
            </td>
            <td className="px-3 py-1.5 text-right">{formatUsd(user.monthSpendMicros)}</td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              {limit === null ? t("unlimited") : formatUsd(limit)}
              <span className="block text-xs text-zinc-500">{t(`sources.${source}`)}</span>
            </td>
            <td className="px-3 py-1.5">
              <UserBudgetForm
                action={setBudgetAction}
                userId={user.id}
                email={user.email}
                values={budgetFormValues({ ...user, isBudgetSetByAdmin: false })}
              />
            </td>
            <td className="py-1.5 pl-3">
              {isSelf ? (
                <span className="text-zinc-500">{t("you")}</span>
              ) : (
                <ActionButton
                  action={setStatusAction}
                  fields={{ userId: user.id, status: user.disabledAt ? "active" : "disabled" }}
                  label={user.disabledAt ? t("enable") : t("disable")}
                  accessibleName={
                    user.disabledAt ? t("enableUser", { email: user.email }) : t("disableUser", { email: user.email })
                  }
                  variant={user.disabledAt ? "secondary" : "danger"}
                />
              )}
            </td>
          </tr>
        );
      })}
    </AdminTable>
  );
}
