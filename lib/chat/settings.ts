// A conversation's model parameters, shared by the chat's settings form, presets, the API and the turn. Safe on the
// client, and free of zod: the schema (./settings-schema.ts) loads only where settings are parsed (the server, the
// Parameters panel). Which of them a given model accepts is decided per model (lib/ai/models.ts); ranges are OpenAI's.
import type { z } from "zod";
import { modelCapabilities } from "@/lib/ai/models";
import type { chatSettingsSchema } from "./settings-schema";

export const REASONING_EFFORTS = ["minimal", "low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Longest system prompt accepted, in characters. */
export const MAX_SYSTEM_PROMPT_CHARS = 20_000;

export type ChatSettings = z.infer<typeof chatSettingsSchema>;

/** The parameters only plain chat models take: reasoning models refuse them. */
const SAMPLING_FIELDS = ["temperature", "topP", "presencePenalty", "frequencyPenalty"] as const;

const FIELD_NAMES: Record<(typeof SAMPLING_FIELDS)[number] | "reasoningEffort", string> = {
  temperature: "Temperature",
  topP: "Top P",
  presencePenalty: "Presence penalty",
  frequencyPenalty: "Frequency penalty",
  reasoningEffort: "Reasoning effort",
};

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
 * Why `model` cannot take these (already schema-valid) settings, as one sentence for the form or a 400; null when it
 * can. A parameter the model refuses is an error here: the form sends only what the model takes (`settingsForModel`).
 */
export function settingsProblem({ settings, model }: { settings: ChatSettings; model: string }): string | null {
  const accepted = acceptedSettings(model);
  if (!accepted.sampling) {
    const refused = SAMPLING_FIELDS.find((field) => settings[field] !== undefined);
    if (refused) return `${FIELD_NAMES[refused]} is not accepted by ${model}, a reasoning model.`;
  }
  if (settings.reasoningEffort !== undefined && !accepted.reasoningEfforts.includes(settings.reasoningEffort)) {
    return accepted.reasoningEfforts.length === 0
      ? `${FIELD_NAMES.reasoningEffort} is only accepted by reasoning models; ${model} is not one.`
      : `${model} takes a reasoning effort of ${accepted.reasoningEfforts.join(", ")}.`;
  }
  if (
    settings.maxOutputTokens !== undefined &&
    accepted.maxOutputTokens !== null &&
    settings.maxOutputTokens > accepted.maxOutputTokens
  ) {
    return `${model} writes at most ${accepted.maxOutputTokens.toLocaleString("en-US")} output tokens per reply.`;
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
