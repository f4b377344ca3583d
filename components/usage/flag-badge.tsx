import { useTranslations } from "next-intl";
import { cn } from "@/lib/utils";

export type LedgerFlag = "estimated" | "unpriced" | "reserved" | "released";

const FLAG_CLASSES: Record<LedgerFlag, string> = {
  estimated: "bg-amber-50 text-amber-800 ring-amber-200",
  unpriced: "bg-red-50 text-red-800 ring-red-200",
  reserved: "bg-sky-50 text-sky-800 ring-sky-200",
  released: "bg-zinc-100 text-zinc-600 ring-zinc-200",
};

/** A visible flag on a ledger entry or a total; its meaning is in the tooltip and in the ledger's legend. */
export function FlagBadge({ flag }: { flag: LedgerFlag }) {
  const t = useTranslations("usage");
  return (
    <span
      title={t(`flagMeanings.${flag}`)}
      className={cn(
        "inline-flex rounded-full px-1.5 py-0.5 text-[11px] leading-none font-medium ring-1 ring-inset",
        FLAG_CLASSES[flag],
      )}
    >
      {t(`flags.${flag}`)}
    </span>
  );
}
