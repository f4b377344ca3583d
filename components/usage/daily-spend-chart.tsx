"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { ExchangeRate } from "@/lib/billing/money";
import type { DaySpend } from "@/lib/billing/report";
import { CHART_COLOR, GRID_COLOR, moneyText, TICK_STYLE, usdTick } from "./format";

export function DailySpendChart({ days, currency }: { days: DaySpend[]; currency: ExchangeRate | null }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      data={days}
      style={{ width: "100%", height: 224 }}
      margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
    >
      <CartesianGrid vertical={false} stroke={GRID_COLOR} />
      <XAxis
        dataKey="day"
        tickFormatter={(day: string) => day.slice(5)}
        tick={TICK_STYLE}
        tickLine={false}
        minTickGap={12}
      />
      <YAxis tickFormatter={usdTick} tick={TICK_STYLE} tickLine={false} axisLine={false} width={76} />
      <Tooltip
        cursor={{ fill: "#f4f4f5" }}
        separator=": "
        labelFormatter={(day) => `${String(day)} (UTC)`}
        formatter={(micros, _name, item) => [
          `${moneyText(micros, currency)} · ${(item.payload as DaySpend).calls} calls`,
          "Spend",
        ]}
      />
      <Bar dataKey="costMicros" name="Spend" fill={CHART_COLOR} radius={[3, 3, 0, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
