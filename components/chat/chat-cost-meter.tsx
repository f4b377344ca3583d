"use client";

import { useLocale, useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useId, useState } from "react";
import { cn } from "@/lib/utils";
import { CostMeter } from "./cost-meter";
import type { EstimateInput, MeterFigures } from "./estimated-cost-meter";
import { compactMeterFigures } from "./meter-format";
import { TOUCH_TARGET } from "./touch";
import { whenLoadedAndIdle } from "./when-idle";

// The next message's live estimate: see ChatCostMeter.
const EstimatedCostMeter = lazy(() =>
  import("./estimated-cost-meter").then((module) => ({ default: module.EstimatedCostMeter })),
);

/**
 * The cost meter beside a chat. The next message's estimate is not needed before the user types, so its code loads
 * once the page has loaded and is idle, or at the first key if that comes sooner; until then the meter shows the rest.
 */
function ChatCostMeter(props: EstimateInput & MeterFigures) {
  const t = useTranslations("meter");
  const { draft, budget, chat, currency, model, price } = props;
  const [isEstimating, setIsEstimating] = useState(false);
  useEffect(() => {
    if (isEstimating) return;
    const start = () => setIsEstimating(true);
    const cancel = whenLoadedAndIdle(start);
    const unsubscribe = draft.subscribe(start);
    return () => {
      cancel();
      unsubscribe();
    };
  }, [draft, isEstimating]);
  const withoutEstimate = (
    <CostMeter
      budget={budget}
      chat={chat}
      currency={currency}
      nextMessage={
        <>
          <p className="mt-1 text-zinc-400">{t("typeToEstimate")}</p>
          {price === null ? <p className="text-amber-700">{t("modelUnpriced", { model })}</p> : null}
        </>
      }
    />
  );
  return isEstimating ? (
    <Suspense fallback={withoutEstimate}>
      <EstimatedCostMeter {...props} />
    </Suspense>
  ) : (
    withoutEstimate
  );
}

/**
 * Where the meter goes: from 1024 px the column beside the chat; narrower, a one-line bar above the composer (this
 * chat's tokens and cost) that unfolds the whole meter on a tap. The meter stays mounted while folded, so its estimate
 * keeps counting, and the bar is always there: nothing moves when a reply arrives. Its props are flat so that a chat's
 * render with the same figures leaves it alone (chat.tsx defers its hydration).
 */
export function MeterDock(props: EstimateInput & MeterFigures) {
  const t = useTranslations("meter");
  const locale = useLocale();
  const [isExpanded, setIsExpanded] = useState(false);
  const panelId = useId();
  const { chat, currency, budget } = props;
  const { input, output, cost } = compactMeterFigures({ chat, currency, locale });
  return (
    <div className="flex shrink-0 max-lg:order-1 max-lg:flex-col max-lg:border-t max-lg:border-zinc-200">
      <button
        type="button"
        aria-expanded={isExpanded}
        aria-controls={panelId}
        onClick={() => setIsExpanded((expanded) => !expanded)}
        className={cn(
          "flex w-full items-center gap-2 px-3 text-left text-xs text-zinc-600 hover:bg-zinc-50 lg:hidden",
          TOUCH_TARGET,
          budget.level === "warning" && "bg-amber-50 text-amber-900",
          budget.level === "exceeded" && "bg-red-50 text-red-800",
        )}
      >
        <span className="min-w-0 flex-1 truncate">{t("compact", { input, output, cost: cost ?? t("unpriced") })}</span>
        <span aria-hidden="true" className={cn("transition-transform", isExpanded && "rotate-180")}>
          ▴
        </span>
      </button>
      <div
        id={panelId}
        className={cn("flex max-lg:max-h-[50dvh] max-lg:overflow-y-auto", !isExpanded && "max-lg:hidden")}
      >
        <ChatCostMeter {...props} />
      </div>
    </div>
  );
}
