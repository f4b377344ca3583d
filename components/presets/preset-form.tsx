"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type ChatSettings, MAX_SYSTEM_PROMPT_CHARS, REASONING_EFFORTS } from "@/lib/chat/settings";
import { MAX_PRESET_NAME_CHARS } from "@/lib/input-rules";

export type PresetValues = { name: string; model: string; settings: ChatSettings };

type NumberField = "temperature" | "topP" | "maxOutputTokens" | "presencePenalty" | "frequencyPenalty";

/** The numeric parameters, left empty for the model's default. Ranges are checked by the server (chatSettingsSchema). */
const NUMBER_FIELDS: { key: NumberField; step: string; min: number; max?: number }[] = [
  { key: "temperature", step: "0.1", min: 0, max: 2 },
  { key: "topP", step: "0.05", min: 0, max: 1 },
  { key: "maxOutputTokens", step: "1", min: 1 },
  { key: "presencePenalty", step: "0.1", min: -2, max: 2 },
  { key: "frequencyPenalty", step: "0.1", min: -2, max: 2 },
];

const fieldClass = "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm";

/**
 * A preset's name, model and parameters. `onSave` answers with an error message to show, or null when saved. Settings
 * the form does not show (context policy) are kept as they were.
 */
export function PresetForm({
  initial,
  models,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial: PresetValues;
  models: string[];
  submitLabel: string;
  onSave: (values: PresetValues) => Promise<string | null>;
  onCancel: () => void;
}) {
  const t = useTranslations("presets.form");
  const tCommon = useTranslations("common");
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  // A preset may name a model this server no longer offers: it stays choosable until changed.
  const choices = models.includes(initial.model) ? models : [initial.model, ...models];

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const settings: ChatSettings = { ...initial.settings };
    const systemPrompt = text("systemPrompt");
    settings.systemPrompt = systemPrompt.trim() ? systemPrompt : undefined;
    for (const field of NUMBER_FIELDS) {
      const value = text(field.key).trim();
      settings[field.key] = value === "" ? undefined : Number(value);
    }
    const effort = text("reasoningEffort");
    settings.reasoningEffort = REASONING_EFFORTS.find((choice) => choice === effort);
    setIsSaving(true);
    setError(await onSave({ name: text("name"), model: text("model"), settings: withoutUnset(settings) }));
    setIsSaving(false);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            {t("name")}
          </label>
          <Input id={`${id}-name`} name="name" defaultValue={initial.name} maxLength={MAX_PRESET_NAME_CHARS} />
        </div>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("model")}
          <select name="model" defaultValue={initial.model} className={fieldClass}>
            {choices.map((model) => (
              <option key={model} value={model}>
                {model}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("systemPrompt")}
        <textarea
          name="systemPrompt"
          defaultValue={initial.settings.systemPrompt ?? ""}
          maxLength={MAX_SYSTEM_PROMPT_CHARS}
          rows={6}
          className={fieldClass}
        />
      </label>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm text-zinc-600">{t("parameters")}</legend>
        {NUMBER_FIELDS.map((field) => (
          <div key={field.key} className="flex flex-col gap-1">
            <label htmlFor={`${id}-${field.key}`} className="text-sm font-medium">
              {t(field.key)}
            </label>
            <Input
              id={`${id}-${field.key}`}
              name={field.key}
              type="number"
              inputMode="decimal"
              step={field.step}
              min={field.min}
              max={field.max}
              defaultValue={initial.settings[field.key] ?? ""}
            />
          </div>
        ))}
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("reasoningEffort")}
          <select name="reasoningEffort" defaultValue={initial.settings.reasoningEffort ?? ""} className={fieldClass}>
            <option value="">{t("modelDefault")}</option>
            {REASONING_EFFORTS.map((effort) => (
              <option key={effort} value={effort}>
                {t(`efforts.${effort}`)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      {error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={isSaving}>
          {submitLabel}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={isSaving}>
          {tCommon("cancel")}
        </Button>
      </div>
    </form>
  );
}

function withoutUnset(settings: ChatSettings): ChatSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as ChatSettings;
}
