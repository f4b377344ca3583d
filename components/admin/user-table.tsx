import { budgetSource, effectiveLimit } from "@/lib/billing/budget";
import { formatLimit, formatUsd } from "@/lib/billing/money";
import type { AdminUserRow } from "@/lib/db/users";
import { budgetFormValues } from "@/lib/input-rules";
import { ActionButton } from "./action-button";
import { AdminTable, type Column } from "./admin-table";
import { utcDay } from "./format";
import { UserBudgetForm } from "./user-budget-form";

type Action = (formData: FormData) => Promise<{ error?: string; notice?: string }>;

const COLUMNS: Column[] = [
  { title: "User" },
  { title: "Role" },
  { title: "Created" },
  { title: "Status" },
  { title: "This month", isNumeric: true },
  { title: "Budget" },
  { title: "Change budget" },
  { title: "Access", isHidden: true },
];

const SOURCE_LABELS = { default: "server default", own: "their own", admin: "set by an administrator" } as const;

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
  return (
    <AdminTable
      id="users-title"
      title="Users"
      intro={
        <p className="text-sm text-zinc-600">
          A budget you set applies as set, above the users&apos; maximum too; &quot;Server default&quot; hands the
          choice back to the user. A disabled user cannot sign in and is signed out at once; their history and ledger
          are kept.
        </p>
      }
      columns={COLUMNS}
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
              {user.isAdmin ? "admin" : "user"}
              {user.isAdmin && user.role !== "admin" ? (
                <span className="block text-xs text-zinc-500">ADMIN_EMAILS</span>
              ) : null}
            </td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              <time dateTime={user.createdAt.toISOString()}>{utcDay(user.createdAt)}</time>
            </td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              {user.disabledAt ? `disabled ${utcDay(user.disabledAt)}` : "active"}
            </td>
            <td className="px-3 py-1.5 text-right">{formatUsd(user.monthSpendMicros)}</td>
            <td className="px-3 py-1.5 whitespace-nowrap">
              {formatLimit(limit)}
              <span className="block text-xs text-zinc-500">{SOURCE_LABELS[source]}</span>
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
                <span className="text-zinc-500">you</span>
              ) : (
                <ActionButton
                  action={setStatusAction}
                  fields={{ userId: user.id, status: user.disabledAt ? "active" : "disabled" }}
                  label={user.disabledAt ? "Enable" : "Disable"}
                  accessibleName={`${user.disabledAt ? "Enable" : "Disable"} ${user.email}`}
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
