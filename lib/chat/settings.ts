// A conversation's model parameters, shared by the chat's settings form, presets, the API and the turn. Safe on the
// client, and free of zod: the schema (./settings-schema.ts) loads only where settings are parsed (the server, the
// Parameters panel). Which of them a given model accepts is decided per model (lib/ai/models.ts); ranges are OpenAI's.
import type { z } from "zod";
import { modelCapabilities } from "@/lib/ai/models";
import type { ErrorText } from "@/lib/errors";
import type { chatSettingsSchema } from "./settings-schema";

export const REASONING_EFFORTS = ["minimal", "low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Longest system prompt accepted, in characters. */
export const MAX_SYSTEM_PROMPT_CHARS = 20_000;

export type ChatSettings = z.infer<typeof chatSettingsSchema>;

/** The parameters only plain chat models take: reasoning models refuse them. */
const SAMPLING_FIELDS = ["temperature", "topP", "presencePenalty", "frequencyPenalty"] as const;

/** Which of the parameters `model` accepts, for the form (what it shows) and the request (what it sends). */
export function acceptedSettings(model: string) {
  const capabilities = modelCapabilities(model);
  return {
    isReasoning: capabilities.isReasoning,
    sampling: !capabilities.isReasoning,
    reasoningEfforts: capabilities.reasoningEfforts,
    maxOutputTokens: capabilities.maxOutputTokens,
    contextWindow: capabilities.contextWindow,
  };
}

/**
 * Why `model` cannot take these (already schema-valid) settings, as a message for the form or a 400; null when it
 * can. A parameter the model refuses is an error here: the form sends only what the model takes (`settingsForModel`).
 */
export function settingsProblem({ settings, model }: { settings: ChatSettings; model: string }): ErrorText | null {
  const accepted = acceptedSettings(model);
  if (!accepted.sampling) {
    const refused = SAMPLING_FIELDS.find((field) => settings[field] !== undefined);
    if (refused) return { key: "validation.settingRefusedByReasoning", params: { field: refused, model } };
  }
  if (settings.reasoningEffort !== undefined && !accepted.reasoningEfforts.includes(settings.reasoningEffort)) {
    return accepted.reasoningEfforts.length === 0
      ? { key: "validation.reasoningEffortNotReasoning", params: { model } }
      : { key: "validation.reasoningEffortChoices", params: { model, efforts: accepted.reasoningEfforts.join(", ") } };
  }
  if (
    settings.maxOutputTokens !== undefined &&
    accepted.maxOutputTokens !== null &&
    settings.maxOutputTokens > accepted.maxOutputTokens
  ) {
    return { key: "validation.maxOutputTooHigh", params: { model, max: accepted.maxOutputTokens } };
  }
  return null;
}

/** The settings without what `model` does not take (after switching models), so what is sent is always accepted. */
export function settingsForModel({ settings, model }: { settings: ChatSettings; model: string }): ChatSettings {
  const accepted = acceptedSettings(model);
  const kept: ChatSettings = { ...settings };
  if (!accepted.sampling) for (const field of SAMPLING_FIELDS) delete kept[field];
  if (kept.reasoningEffort !== undefined && !accepted.reasoningEfforts.includes(kept.reasoningEffort)) {
    delete kept.reasoningEffort;
  }
  if (kept.maxOutputTokens !== undefined && accepted.maxOutputTokens !== null) {
    kept.maxOutputTokens = Math.min(kept.maxOutputTokens, accepted.maxOutputTokens);
  }
  return kept;
}
