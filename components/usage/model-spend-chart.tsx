"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { ExchangeRate } from "@/lib/billing/money";
import type { ModelSpend } from "@/lib/billing/report";
import { CHART_COLOR, GRID_COLOR, moneyText, TICK_STYLE, usdTick } from "./format";

const BAR_ROW_PX = 36;

export function ModelSpendChart({ models, currency }: { models: ModelSpend[]; currency: ExchangeRate | null }) {
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      layout="vertical"
      data={models}
      style={{ width: "100%", height: Math.max(120, models.length * BAR_ROW_PX + 40) }}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid horizontal={false} stroke={GRID_COLOR} />
      <XAxis type="number" tickFormatter={usdTick} tick={TICK_STYLE} tickLine={false} />
      <YAxis type="category" dataKey="model" tick={TICK_STYLE} tickLine={false} axisLine={false} width={112} />
      <Tooltip
        cursor={{ fill: "#f4f4f5" }}
        separator=": "
        formatter={(micros, _name, item) => {
          const model = item.payload as ModelSpend;
          const cost = model.hasUnpriced ? `${moneyText(micros, currency)} + unpriced` : moneyText(micros, currency);
          return [`${cost} · ${model.calls} calls`, "Spend"];
        }}
      />
      <Bar dataKey="costMicros" name="Spend" fill={CHART_COLOR} radius={[0, 3, 3, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
