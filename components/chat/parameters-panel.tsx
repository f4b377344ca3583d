"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useErrorText } from "@/components/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { MAX_OUTPUT_TOKENS } from "@/lib/ai/models";
import { acceptedSettings, type ChatSettings, settingsForModel, settingsProblem } from "@/lib/chat/settings";
import { refusalMessage } from "@/lib/error-text";
import { formatTokens } from "@/lib/utils";
import { TOUCH_TARGET } from "./touch";

type Props = {
  model: string;
  settings: ChatSettings;
  conversationId: string;
  /** The chat has no messages and is not stored: its first message will carry the settings. */
  isUnstored: boolean;
  /** The settings were saved (or, for a chat not stored yet, are to go with its first message). */
  onSaved: (settings: ChatSettings) => void;
  onClose: () => void;
};

const NUMBER_FIELDS = ["temperature", "topP", "presencePenalty", "frequencyPenalty", "maxOutputTokens"] as const;

/** The form's fields as the schema's input: blank is "the default" (absent); text that is no number stays NaN. */
function settingsFromForm(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const number = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : Number(value);
  };
  const values: Record<string, unknown> = {};
  const systemPrompt = form.get("systemPrompt");
  if (typeof systemPrompt === "string" && systemPrompt.trim() !== "") values.systemPrompt = systemPrompt;
  for (const field of NUMBER_FIELDS) values[field] = number(field);
  values.reasoningEffort = text("reasoningEffort");
  // "refuse" is the default: stored as absent, like every other default.
  if (text("contextPolicy") === "keep-last") {
    values.contextPolicy = "keep-last";
    values.keepLastTokens = number("keepLastTokens");
  }
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/**
 * The chat's model parameters: only those the chosen model takes are shown, and the same rules as the server's
 * (lib/chat/settings.ts) refuse a value before it is saved.
 */
export function ParametersPanel({ model, settings: stored, conversationId, isUnstored, onSaved, onClose }: Props) {
  const t = useTranslations("parameters");
  const tChat = useTranslations("chat");
  const locale = useLocale();
  // What the model takes of them: after switching models, the rest is neither sent nor shown.
  const settings = settingsForModel({ settings: stored, model });
  const accepted = acceptedSettings(model);
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [policy, setPolicy] = useState(settings.contextPolicy ?? "refuse");
  const formId = useId();
  const errorId = `${formId}-error`;

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = settingsFromForm(new FormData(event.currentTarget));
    // The server's schema, with zod, is loaded on the first save: it is in no page's first load.
    const [{ chatSettingsSchema }, { firstIssue }] = await Promise.all([
      // biome-ignore lint/style/noRestrictedImports: loaded on the first save, in a chunk of its own.
      import("@/lib/chat/settings-schema"),
      // biome-ignore lint/style/noRestrictedImports: as above.
      import("@/lib/validations"),
    ]);
    const parsed = chatSettingsSchema.safeParse(values);
    const problem = parsed.success ? settingsProblem({ settings: parsed.data, model }) : firstIssue(parsed.error);
    if (problem || !parsed.success) return setError(problem && errorText(problem));
    setIsSaving(true);
    const refusal = await save(parsed.data);
    setIsSaving(false);
    setError(refusal);
    if (!refusal) onClose();
  }

  /** Saves checked settings on the server; resolves to an error message when refused. */
  async function save(next: ChatSettings): Promise<string | null> {
    const response = await fetch(`/api/conversations/${encodeURIComponent(conversationId)}/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, settings: next }),
    });
    // A chat without messages is not stored yet: its first message carries them.
    if (response.ok || (response.status === 404 && isUnstored)) {
      onSaved(next);
      return null;
    }
    return refusalMessage(await response.text()) ?? tChat("saveFailed", { status: response.status });
  }

  const numberField = (name: (typeof NUMBER_FIELDS)[number], label: string, hint: string) => (
    <div className="flex flex-col gap-1 text-xs text-zinc-600">
      <label htmlFor={`${formId}-${name}`}>{label}</label>
      <Input
        id={`${formId}-${name}`}
        name={name}
        inputMode="decimal"
        defaultValue={settings[name]?.toString() ?? ""}
        placeholder={hint}
        aria-describedby={error ? errorId : undefined}
      />
    </div>
  );

  return (
    <section
      aria-label={t("label")}
      className="border-b border-zinc-200 bg-zinc-50 px-4 py-3 max-lg:max-h-[60dvh] max-lg:overflow-y-auto"
    >
      <form onSubmit={submit} className="mx-auto flex max-w-3xl flex-col gap-3" noValidate>
        <label className="flex flex-col gap-1 text-xs text-zinc-600">
          {t("systemPrompt")}
          <textarea
            name="systemPrompt"
            rows={3}
            defaultValue={settings.systemPrompt ?? ""}
            placeholder={t("systemPromptPlaceholder")}
            className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-emerald-600"
          />
        </label>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {accepted.sampling ? (
            <>
              {numberField("temperature", t("temperature"), t("temperatureHint"))}
              {numberField("topP", t("topP"), t("topPHint"))}
              {numberField("presencePenalty", t("presencePenalty"), t("penaltyHint"))}
              {numberField("frequencyPenalty", t("frequencyPenalty"), t("penaltyHint"))}
            </>
          ) : (
            <div className="flex flex-col gap-1 text-xs text-zinc-600">
              <label htmlFor={`${formId}-reasoningEffort`}>{t("reasoningEffort")}</label>
              <select
                id={`${formId}-reasoningEffort`}
                name="reasoningEffort"
                defaultValue={settings.reasoningEffort ?? ""}
                className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm"
              >
                <option value="">{t("modelDefault")}</option>
                {accepted.reasoningEfforts.map((effort) => (
                  <option key={effort} value={effort}>
                    {effort}
                  </option>
                ))}
              </select>
            </div>
          )}
          {numberField(
            "maxOutputTokens",
            t("maxOutputTokens"),
            accepted.maxOutputTokens === null
              ? t("maxOutputHint", {
                  default: formatTokens(MAX_OUTPUT_TOKENS, locale),
                })
              : t("maxOutputHintLimited", {
                  default: formatTokens(Math.min(MAX_OUTPUT_TOKENS, accepted.maxOutputTokens), locale),
                  max: formatTokens(accepted.maxOutputTokens, locale),
                }),
          )}
          <div className="flex flex-col gap-1 text-xs text-zinc-600">
            <label htmlFor={`${formId}-contextPolicy`}>{t("contextPolicy")}</label>
            <select
              id={`${formId}-contextPolicy`}
              name="contextPolicy"
              value={policy}
              onChange={(event) => setPolicy(event.target.value as typeof policy)}
              className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm"
            >
              <option value="refuse">{t("policyRefuse")}</option>
              <option value="keep-last">{t("policyKeepLast")}</option>
            </select>
          </div>
          {policy === "keep-last" ? (
            <div className="flex flex-col gap-1 text-xs text-zinc-600">
              <label htmlFor={`${formId}-keepLastTokens`}>{t("keepLastTokens")}</label>
              <Input
                id={`${formId}-keepLastTokens`}
                name="keepLastTokens"
                inputMode="numeric"
                defaultValue={settings.keepLastTokens?.toString() ?? ""}
                placeholder={t("keepLastHint")}
              />
            </div>
          ) : null}
        </div>
        <p className="text-xs text-zinc-500">
          {t(accepted.isReasoning ? "reasoningModel" : "samplingModel", { model })} {t("budgetHolds")}
        </p>
        <p id={errorId} role="alert" className="text-sm text-red-700 empty:hidden">
          {error}
        </p>
        <div className="flex gap-2">
          <Button type="submit" className={TOUCH_TARGET} disabled={isSaving}>
            {isSaving ? t("saving") : t("save")}
          </Button>
          <Button variant="ghost" className={TOUCH_TARGET} onClick={onClose}>
            {t("cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}
