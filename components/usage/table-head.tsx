/** A figures table's header row: the first column names the row, the others hold numbers (right-aligned). */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="text-left text-zinc-500">
      <tr>
        {columns.map((label, index) => (
          <th key={label} scope="col" className={index === 0 ? "py-1 font-medium" : "py-1 pl-3 text-right font-medium"}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
