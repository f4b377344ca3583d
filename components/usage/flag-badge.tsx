import { cn } from "@/lib/utils";

export type LedgerFlag = "estimated" | "unpriced" | "reserved" | "released";

const FLAGS: Record<LedgerFlag, { className: string; meaning: string }> = {
  estimated: {
    className: "bg-amber-50 text-amber-800 ring-amber-200",
    meaning: "Counted with our tokenizer because the provider reported no usage (a stopped or cut reply).",
  },
  unpriced: {
    className: "bg-red-50 text-red-800 ring-red-200",
    meaning: "No known price for this model: the cost is unknown, not zero.",
  },
  reserved: {
    className: "bg-sky-50 text-sky-800 ring-sky-200",
    meaning: "In flight: its worst-case cost is held against your budget until the reply settles.",
  },
  released: {
    className: "bg-zinc-100 text-zinc-600 ring-zinc-200",
    meaning: "The provider refused the call: nothing was spent.",
  },
};

export function flagMeaning(flag: LedgerFlag): string {
  return FLAGS[flag].meaning;
}

/** A visible flag on a ledger entry or a total; its meaning is in the tooltip and in the ledger's legend. */
export function FlagBadge({ flag }: { flag: LedgerFlag }) {
  return (
    <span
      title={FLAGS[flag].meaning}
      className={cn(
        "inline-flex rounded-full px-1.5 py-0.5 text-[11px] leading-none font-medium ring-1 ring-inset",
        FLAGS[flag].className,
      )}
    >
      {flag}
    </span>
  );
}
