import { cn } from "@/lib/utils";

/** A column: its title (read by screen readers only when `isHidden`), right-aligned for amounts. */
export type Column = { title: string; isNumeric?: boolean; isHidden?: boolean };

/** An admin page section: a titled card (its region's name) holding a table with these columns and `children` rows. */
export function AdminTable({
  id,
  title,
  intro,
  columns,
  children,
}: {
  id: string;
  title: string;
  /** What sits between the title and the table: explanations, a form. */
  intro: React.ReactNode;
  columns: Column[];
  /** The <tr> rows, or null for an empty table (then `intro` says why). */
  children: React.ReactNode | null;
}) {
  return (
    <section aria-labelledby={id} className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5">
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {intro}
      {children === null ? null : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left whitespace-nowrap text-zinc-500">
              <tr>
                {columns.map((column, index) => (
                  <th
                    key={column.title}
                    scope="col"
                    className={cn(
                      "py-1.5 font-medium",
                      index === 0 ? "pr-3" : index === columns.length - 1 ? "pl-3" : "px-3",
                      column.isNumeric && "text-right",
                    )}
                  >
                    {column.isHidden ? <span className="sr-only">{column.title}</span> : column.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="tabular-nums">{children}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
