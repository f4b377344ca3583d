"use client";

import { useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { UnitRates } from "@/lib/billing/prices";
import type { ChatUIMessage, MeterState } from "@/lib/chat/ui-message";
import { cn } from "@/lib/utils";
import { type Draft, useDraftText } from "./draft";
import { TOUCH_TARGET } from "./touch";
import { whenLoadedAndIdle } from "./when-idle";

// Image generation from the composer: the "Image" mode (or a message starting with "/image "), its pickers and the
// most it can cost, and the request to POST /api/images whose answer (the stored prompt and reply) joins the chat.
// The pickers and the request are in image-options.tsx, out of the page's first load: fetched when the page has loaded
// and is idle, or at the first sign of intent (the switch, a message starting with "/image", a send in Image mode).

/** The server's image model and its unit prices today (null: unpriced), handed down by the chat's page. */
export type ImageModel = { model: string; rates: UnitRates | null };

export type ImageSettings = { size: string; quality: string; count: number };

const COMMAND = /^\/image(?:\s+|$)/;

/** The prompt of a message that asks for images (in Image mode, or starting with "/image "), else null. */
export function imagePromptOf(text: string, isImageMode: boolean): string | null {
  if (COMMAND.test(text)) return text.replace(COMMAND, "");
  return isImageMode ? text : null;
}

let loading: Promise<typeof import("./image-options")> | undefined;
const loadImageOptions = () => (loading ??= import("./image-options"));
const preload = () => void loadImageOptions();

const ImageOptionsPanel = lazy(() => loadImageOptions().then((module) => ({ default: module.ImageOptionsPanel })));

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
  const [isOn, setIsOn] = useState(false);
  // Null: the image model's defaults (image-options.tsx knows them), for one image.
  const [settings, setSettings] = useState<ImageSettings | null>(null);
  const [pending, setPending] = useState<number | null>(null);
  const latest = useRef({ onMeter, onRefused });
  latest.current = { onMeter, onRefused };
  const state = { conversationId, chatModel, image, settings, setMessages, setPending, latest, t };

  useEffect(() => whenLoadedAndIdle(preload), []);

  async function generate(prompt: string) {
    const module = await loadImageOptions();
    await module.requestImages(state, prompt);
  }

  return { isOn, setIsOn, settings, setSettings, pending, isGenerating: pending !== null, generate, image };
}

/** What image-options.tsx's request needs of the mode. */
export type ImageModeState = {
  conversationId: string;
  chatModel: string;
  image: ImageModel;
  settings: ImageSettings | null;
  setMessages: (update: (messages: ChatUIMessage[]) => ChatUIMessage[]) => void;
  setPending: (count: number | null) => void;
  latest: { current: { onMeter: (meter: MeterState) => void; onRefused: (message: string, prompt: string) => void } };
  t: ReturnType<typeof useTranslations<"images">>;
};

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
      onPointerEnter={preload}
      onPointerDown={preload}
      onFocus={preload}
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
  const text = useDraftText(draft);
  const prompt = imagePromptOf(text, mode.isOn);
  if (prompt === null) return null;
  return (
    <Suspense fallback={null}>
      <ImageOptionsPanel mode={mode} prompt={prompt} disabled={disabled} />
    </Suspense>
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
