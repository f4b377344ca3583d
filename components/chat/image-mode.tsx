"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { imageOptions } from "@/lib/billing/image-variants";
import { imageWorstCase } from "@/lib/billing/media-cost";
import { formatUsd } from "@/lib/billing/money";
import type { UnitRates } from "@/lib/billing/prices";
import type { ChatUIMessage, MeterState } from "@/lib/chat/ui-message";
import { AppError } from "@/lib/errors";
import { cn } from "@/lib/utils";
import { type Draft, useDraftText } from "./draft";
import { announceConversationsChanged } from "./events";
import { TOUCH_TARGET } from "./touch";

// Image generation from the composer: the "Image" mode (or a message starting with "/image "), its pickers and the
// most it can cost, and the request to POST /api/images whose answer (the stored prompt and reply) joins the chat.

/** The server's image model and its unit prices today (null: unpriced), handed down by the chat's page. */
export type ImageModel = { model: string; rates: UnitRates | null };

export type ImageSettings = { size: string; quality: string; count: number };

const COMMAND = /^\/image(?:\s+|$)/;

/** The prompt of a message that asks for images (in Image mode, or starting with "/image "), else null. */
export function imagePromptOf(text: string, isImageMode: boolean): string | null {
  if (COMMAND.test(text)) return text.replace(COMMAND, "");
  return isImageMode ? text : null;
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

/**
 * The chat's image mode and requests. `setMessages` is the chat's: the prompt shows at once, and the stored messages
 * replace it when the answer comes. A request refused before anything was stored (bad input, budget) goes to
 * `onRefused` with its prompt, for the box.
 */
export function useImageMode({
  conversationId,
  chatModel,
  image,
  setMessages,
  onMeter,
  onRefused,
}: {
  conversationId: string;
  chatModel: string;
  image: ImageModel;
  setMessages: (update: (messages: ChatUIMessage[]) => ChatUIMessage[]) => void;
  onMeter: (meter: MeterState) => void;
  onRefused: (message: string, prompt: string) => void;
}) {
  const t = useTranslations("images");
  const options = imageOptions(image.model);
  const [isOn, setIsOn] = useState(false);
  const [settings, setSettings] = useState<ImageSettings>({ ...options.defaults, count: 1 });
  const [pending, setPending] = useState<number | null>(null);
  const latest = useRef({ onMeter, onRefused });
  latest.current = { onMeter, onRefused };

  async function generate(prompt: string) {
    const asked = { ...settings };
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

  return { isOn, setIsOn, settings, setSettings, pending, isGenerating: pending !== null, generate, image };
}

export type ImageMode = ReturnType<typeof useImageMode>;

/** The composer's "Image" switch. */
export function ImageToggle({ mode, disabled }: { mode: ImageMode; disabled: boolean }) {
  const t = useTranslations("images");
  return (
    <button
      type="button"
      aria-pressed={mode.isOn}
      title={t("modeHint")}
      disabled={disabled}
      onClick={() => mode.setIsOn(!mode.isOn)}
      className={cn(
        "ml-auto shrink-0 rounded-lg border px-2.5 py-1.5 text-sm font-medium",
        mode.isOn
          ? "border-emerald-600 bg-emerald-50 text-emerald-800"
          : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50",
        TOUCH_TARGET,
      )}
    >
      {t("mode")}
    </button>
  );
}

/**
 * Size, quality and count, from what the image model takes, and the most the request can cost: shown in Image mode
 * and while the message starts with "/image".
 */
export function ImageOptions({ mode, draft, disabled }: { mode: ImageMode; draft: Draft; disabled: boolean }) {
  const t = useTranslations("images");
  const locale = useLocale();
  const text = useDraftText(draft);
  const costId = useId();
  const prompt = imagePromptOf(text, mode.isOn);
  if (prompt === null) return null;
  const { model, rates } = mode.image;
  const options = imageOptions(model);
  const { settings, setSettings } = mode;
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

/** Where the reply will be while the images are made. */
export function ImagePending({ count }: { count: number }) {
  const t = useTranslations("images");
  return (
    <p role="status" className="animate-pulse text-zinc-500">
      {t("generating", { count })}
    </p>
  );
}
