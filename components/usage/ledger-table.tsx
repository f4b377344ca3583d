import { useFormatter, useTranslations } from "next-intl";
import { AppLink } from "@/components/chat/app-link";
import type { ExchangeRate } from "@/lib/billing/money";
import { formatUsd } from "@/lib/billing/money";
import { describeRates } from "@/lib/billing/prices";
import type { UsageRange } from "@/lib/billing/report";
import type { LedgerPage, LedgerRow } from "@/lib/db/usage";
import { EntryKind } from "./entry-kind";
import { FlagBadge, type LedgerFlag } from "./flag-badge";
import { tooltip } from "./format";
import { Money } from "./money";
import { useExactAmountNote } from "./use-exact-amount-note";

const LEGEND: LedgerFlag[] = ["estimated", "unpriced", "reserved", "released"];

/** "2026-11-22 04:39:12", in UTC: ISO 8601 in every language, as in the CSV export, so rows compare at a glance. */
function utcTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", " ");
}

function Cost({ entry, currency }: { entry: LedgerRow; currency: ExchangeRate | null }) {
  const t = useTranslations("usage.ledger");
  const exactAmountNote = useExactAmountNote();
  const priceLabel = entry.rates ? describeRates(entry.rates) : undefined;
  const flags: LedgerFlag[] = [];
  if (entry.status === "reserved") flags.push("reserved");
  if (entry.status === "released") flags.push("released");
  if (entry.isUnpriced && entry.status !== "released") flags.push("unpriced");
  if (entry.isEstimated) flags.push("estimated");
  let amount: React.ReactNode = null;
  if (entry.status === "reserved") {
    // Not charged yet: what is held is the worst case, shown as such. Unpriced calls hold nothing.
    amount = entry.isUnpriced ? null : (
      <span className="text-zinc-500" title={tooltip(exactAmountNote(entry.reservedMicros), priceLabel)}>
        {t("upTo", { amount: formatUsd(entry.reservedMicros) })}
      </span>
    );
  } else if (entry.status === "released" || !entry.isUnpriced) {
    amount = (
      <Money
        micros={entry.costMicros}
        currency={currency}
        title={tooltip(exactAmountNote(entry.costMicros), priceLabel)}
      />
    );
  }
  // Amount above its flags, and the second currency may wrap below the USD: the column stays narrow enough for
  // the table to fit beside the sidebar.
  return (
    <span className="flex flex-col items-end gap-0.5">
      {amount}
      {flags.length > 0 ? (
        <span className="flex gap-1">
          {flags.map((flag) => (
            <FlagBadge key={flag} flag={flag} />
          ))}
        </span>
      ) : null}
    </span>
  );
}

function Conversation({ entry }: { entry: LedgerRow }) {
  const t = useTranslations("usage.ledger");
  if (entry.conversationTitle !== null && entry.conversationId !== null) {
    return (
      <AppLink
        href={`/c/${entry.conversationId}`}
        className="block max-w-52 truncate text-emerald-700 underline"
        title={entry.conversationTitle}
      >
        {entry.conversationTitle}
      </AppLink>
    );
  }
  return <span className="text-zinc-400 italic">{entry.conversationId ? t("deletedChat") : "—"}</span>;
}

function pageHref(range: UsageRange, page: number) {
  return `/usage?range=${range}&page=${page}`;
}

/** The ledger, one row per billable call, newest first, a page at a time. */
export function LedgerTable({
  ledger,
  range,
  rangeLabel,
  currency,
}: {
  ledger: LedgerPage;
  range: UsageRange;
  rangeLabel: string;
  currency: ExchangeRate | null;
}) {
  const t = useTranslations("usage");
  const format = useFormatter();
  const { entries, page, pageCount, total, pageSize } = ledger;
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + entries.length;
  return (
    <section
      aria-labelledby="ledger-title"
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="ledger-title" className="text-base font-semibold">
          {t("ledger.title", { range: rangeLabel })}
        </h2>
        <p className="text-sm text-zinc-500">
          {total === 0
            ? t("ledger.noEntries")
            : t("ledger.shown", { first: format.number(first), last: format.number(last), total })}
        </p>
      </div>
      {total === 0 ? (
        <p className="text-sm text-zinc-600">{t("ledger.noCalls")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left whitespace-nowrap text-zinc-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  {t("ledger.time")}
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  {t("ledger.kind")}
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  {t("ledger.model")}
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  {t("ledger.conversation")}
                </th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">
                  {t("ledger.prompt")}
                </th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">
                  {t("ledger.cached")}
                </th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">
                  {t("ledger.completion")}
                </th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">
                  {t("ledger.reasoning")}
                </th>
                <th scope="col" className="py-1.5 pl-3 text-right font-medium">
                  {t("ledger.cost")}
                </th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {entries.map((entry) => (
                <tr key={entry.id} className="border-t border-zinc-100 align-top">
                  <td className="py-1.5 pr-3 whitespace-nowrap">
                    <time dateTime={entry.createdAt.toISOString()}>{utcTime(entry.createdAt)}</time>
                  </td>
                  <td className="px-3 py-1.5">
                    <EntryKind entry={entry} />
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap">{entry.model}</td>
                  <td className="px-3 py-1.5">
                    <Conversation entry={entry} />
                  </td>
                  <td className="px-3 py-1.5 text-right">{format.number(entry.promptTokens)}</td>
                  <td className="px-3 py-1.5 text-right">{format.number(entry.cachedTokens)}</td>
                  <td className="px-3 py-1.5 text-right">{format.number(entry.completionTokens)}</td>
                  <td className="px-3 py-1.5 text-right">{format.number(entry.reasoningTokens)}</td>
                  <td className="py-1.5 pl-3 text-right">
                    <Cost entry={entry} currency={currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 ? (
        <nav aria-label={t("ledger.pages")} className="flex items-center justify-between text-sm">
          {page > 1 ? (
            <AppLink href={pageHref(range, page - 1)} className="font-medium text-emerald-700 underline">
              {t("ledger.newer")}
            </AppLink>
          ) : (
            <span />
          )}
          <span className="text-zinc-500">{t("ledger.pageOf", { page, count: pageCount })}</span>
          {page < pageCount ? (
            <AppLink href={pageHref(range, page + 1)} className="font-medium text-emerald-700 underline">
              {t("ledger.older")}
            </AppLink>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      <dl className="grid gap-x-3 gap-y-1 text-xs text-zinc-500 sm:grid-cols-[auto_1fr]">
        {LEGEND.map((flag) => (
          <div key={flag} className="contents">
            <dt>
              <FlagBadge flag={flag} />
            </dt>
            <dd>{t(`flagMeanings.${flag}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-zinc-500">{t("ledger.exactNote")}</p>
    </section>
  );
}
