"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId } from "react";
import { imageOptions } from "@/lib/billing/image-variants";
import { imageWorstCase } from "@/lib/billing/media-cost";
import { formatUsd } from "@/lib/billing/money";
import type { UnitRates } from "@/lib/billing/prices";
import type { ChatUIMessage, MeterState } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import { cn } from "@/lib/utils";
import { announceConversationsChanged } from "./events";
import type { ImageMode, ImageModeState, ImageSettings } from "./image-mode";
import { TOUCH_TARGET } from "./touch";

// Image mode's work (image-mode.tsx keeps the switch and the state, in the page's first load): the pickers and the
// most a request can cost, and the request to POST /api/images whose answer (the stored prompt and reply) joins the
// chat. Loaded when the page is idle, or at the first sign of intent (the switch, a message starting with "/image").

/** The settings in force: the user's choice, else the image model's defaults for one image. */
export function imageSettingsOf(model: string, settings: ImageSettings | null): ImageSettings {
  return settings ?? { ...imageOptions(model).defaults, count: 1 };
}

/**
 * The most the images can cost, as the server reserves it: the prompt's tokens are bounded by its UTF-8 bytes (a
 * token is at least a byte), so the figure shown is never below what the server holds. Null: unpriced.
 */
export function imageCostBound({
  rates,
  prompt,
  settings,
}: {
  rates: UnitRates | null;
  prompt: string;
  settings: ImageSettings;
}) {
  if (!rates) return null;
  const promptTokens = new TextEncoder().encode(prompt).byteLength;
  return imageWorstCase({ promptTokens, count: settings.count, size: settings.size, quality: settings.quality }, rates);
}

type ImageAnswer = { messages: ChatUIMessage[]; meter?: MeterState };

/** Asks for the images of `prompt` with the mode's settings; the prompt shows at once, the stored messages after. */
export async function requestImages(mode: ImageModeState, prompt: string) {
  const { conversationId, chatModel, image, setMessages, setPending, latest, t } = mode;
  const asked = imageSettingsOf(image.model, mode.settings);
  const optimisticId = `image-prompt-${Date.now()}`;
  setMessages((list) => [...list, { id: optimisticId, role: "user", parts: [{ type: "text", text: prompt }] }]);
  setPending(asked.count);
  const withoutPrompt = (list: ChatUIMessage[]) => list.filter((message) => message.id !== optimisticId);
  try {
    const response = await fetch("/api/images", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ conversationId, prompt, model: chatModel, ...asked }),
    });
    const text = await response.text();
    if (!response.ok) {
      setMessages(withoutPrompt);
      const refusal = AppError.fromText(text)?.message ?? t("requestFailed", { status: response.status });
      return latest.current.onRefused(refusal, prompt);
    }
    const answer = JSON.parse(text) as ImageAnswer;
    setMessages((list) => [...withoutPrompt(list), ...answer.messages]);
    if (answer.meter) latest.current.onMeter(answer.meter);
    announceConversationsChanged();
  } catch {
    setMessages(withoutPrompt);
    latest.current.onRefused(t("requestFailed", { status: 0 }), prompt);
  } finally {
    setPending(null);
  }
}

/**
 * Size, quality and count, from what the image model takes, and the most the request can cost (see ImageOptions).
 */
export function ImageOptionsPanel({ mode, prompt, disabled }: { mode: ImageMode; prompt: string; disabled: boolean }) {
  const t = useTranslations("images");
  const locale = useLocale();
  const costId = useId();
  const { model, rates } = mode.image;
  const options = imageOptions(model);
  const settings = imageSettingsOf(model, mode.settings);
  const { setSettings } = mode;
  const bound = imageCostBound({ rates, prompt, settings });
  const counts = Array.from({ length: options.maxCount }, (_, i) => String(i + 1));
  return (
    <fieldset
      aria-label={t("options")}
      aria-describedby={costId}
      className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 pb-1 text-xs text-zinc-600"
    >
      <span className="font-medium text-zinc-700">{model}</span>
      <Picker
        label={t("size")}
        value={settings.size}
        choices={options.sizes.map((size) => [size, size])}
        disabled={disabled}
        onChange={(size) => setSettings({ ...settings, size })}
      />
      <Picker
        label={t("quality")}
        value={settings.quality}
        choices={options.qualities.map((quality) => [quality, t("qualityName", { quality })])}
        disabled={disabled}
        onChange={(quality) => setSettings({ ...settings, quality })}
      />
      <Picker
        label={t("count")}
        value={String(settings.count)}
        choices={counts.map((count) => [count, count])}
        disabled={disabled || options.maxCount === 1}
        onChange={(count) => setSettings({ ...settings, count: Number(count) })}
      />
      <output
        id={costId}
        aria-live="polite"
        className={cn("font-medium", bound === null ? "text-amber-700" : "text-zinc-700")}
      >
        {bound === null ? t("unpriced", { model }) : t("upTo", { cost: formatUsd(bound, { locale }) })}
      </output>
    </fieldset>
  );
}

/** One labelled select of the image options; `choices` are [value, label]. */
function Picker({
  label,
  value,
  choices,
  disabled,
  onChange,
}: {
  label: string;
  value: string;
  choices: [string, string][];
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <label className="flex items-center gap-1">
      {label}
      <select
        className={cn(
          "rounded-md border border-zinc-300 bg-zinc-50 px-2 py-1 text-xs text-zinc-700 disabled:text-zinc-400",
          TOUCH_TARGET,
        )}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
