// The usage page's charts, drawn on the server as plain HTML boxes: no charting library in the browser (recharts
// was ~100 KiB gzip of the page's JavaScript). Each bar's tooltip is its title; the figure's table
// (./chart-figure.tsx) carries the same figures for assistive technology.
import { axisTicks, usdTick } from "./format";

export type ChartBar = { key: string; label: string; micros: number; tooltip: string };

const TICK_LABEL = "text-[11px] text-zinc-500 tabular-nums";

const percent = (value: number, of: number) => `${of > 0 ? (value / of) * 100 : 0}%`;

/** A line at each tick: across the plot (`bottom`, labelled at its left end) or up it (`left`, labelled below). */
function GridLines({ ticks, top, edge }: { ticks: number[]; top: number; edge: "bottom" | "left" }) {
  return ticks.map((tick) => (
    <div
      key={tick}
      className={`absolute border-zinc-200 ${edge === "bottom" ? "inset-x-0 border-t" : "inset-y-0 border-l"}`}
      style={{ [edge]: percent(tick, top) }}
    >
      {edge === "bottom" ? (
        <span className={`absolute right-full mr-2 -translate-y-1/2 whitespace-nowrap ${TICK_LABEL}`}>
          {usdTick(tick)}
        </span>
      ) : null}
    </div>
  ));
}

/** A column per bar (days along the bottom, every `labelEvery`th one labelled), amounts up the side. */
export function ColumnChart({ bars, labelEvery = 1 }: { bars: ChartBar[]; labelEvery?: number }) {
  const ticks = axisTicks(Math.max(0, ...bars.map((bar) => bar.micros)));
  const top = ticks.at(-1) ?? 0;
  return (
    <div className="flex flex-col gap-1 pt-2 pr-2">
      <div className="relative ml-[76px] h-48">
        <GridLines ticks={ticks} top={top} edge="bottom" />
        <div className="absolute inset-0 flex items-end gap-[2px]">
          {bars.map((bar) => (
            <div key={bar.key} title={bar.tooltip} className="flex h-full flex-1 items-end hover:bg-zinc-100">
              <div className="w-full rounded-t-[3px] bg-emerald-600" style={{ height: percent(bar.micros, top) }} />
            </div>
          ))}
        </div>
      </div>
      <div className="ml-[76px] flex gap-[2px]">
        {bars.map((bar, index) => (
          <span key={bar.key} className={`flex-1 overflow-visible text-center whitespace-nowrap ${TICK_LABEL}`}>
            {index % labelEvery === 0 ? bar.label : ""}
          </span>
        ))}
      </div>
    </div>
  );
}

/** A row per bar (labels down the side), amounts along the bottom. */
export function RowChart({ bars }: { bars: ChartBar[] }) {
  const ticks = axisTicks(Math.max(0, ...bars.map((bar) => bar.micros)));
  const top = ticks.at(-1) ?? 0;
  return (
    <div className="flex flex-col gap-1 pt-2 pr-4">
      <div className="relative">
        <div className="absolute inset-y-0 right-0 left-[112px]">
          <GridLines ticks={ticks} top={top} edge="left" />
        </div>
        {bars.map((bar) => (
          <div key={bar.key} title={bar.tooltip} className="relative flex h-9 items-center hover:bg-zinc-100">
            <span className={`w-[112px] shrink-0 truncate pr-2 text-right ${TICK_LABEL}`}>{bar.label}</span>
            <div className="h-6 flex-1">
              <div className="h-full rounded-r-[3px] bg-emerald-600" style={{ width: percent(bar.micros, top) }} />
            </div>
          </div>
        ))}
      </div>
      <div className="relative ml-[112px] h-4">
        {ticks.map((tick) => (
          <span
            key={tick}
            className={`absolute -translate-x-1/2 whitespace-nowrap ${TICK_LABEL}`}
            style={{ left: percent(tick, top) }}
          >
            {usdTick(tick)}
          </span>
        ))}
      </div>
    </div>
  );
}
