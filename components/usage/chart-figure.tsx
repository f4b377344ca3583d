import { useTranslations } from "next-intl";

/**
 * A chart with its text alternative: the heading and a one-sentence summary as the figure's caption, the drawing
 * hidden from assistive technology, and the same figures as a table anyone can open.
 */
export function ChartFigure({
  id,
  title,
  summary,
  chart,
  table,
}: {
  id: string;
  title: string;
  summary: React.ReactNode;
  chart: React.ReactNode;
  table: React.ReactNode;
}) {
  const t = useTranslations("usage");
  return (
    <figure
      aria-labelledby={`${id}-title`}
      className="flex min-w-0 flex-col gap-3 rounded-2xl border border-zinc-200 p-5"
    >
      <figcaption>
        <h2 id={`${id}-title`} className="text-base font-semibold">
          {title}
        </h2>
        <p className="mt-1 text-sm text-zinc-600">{summary}</p>
      </figcaption>
      {/* The table below carries the same figures for screen readers and keyboards. */}
      <div aria-hidden="true">{chart}</div>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900">{t("showAsTable")}</summary>
        <div className="mt-2 max-h-72 overflow-y-auto">{table}</div>
      </details>
    </figure>
  );
}
