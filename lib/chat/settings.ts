// A conversation's model parameters, shared by the chat's settings form, presets, the API and the turn. Safe on the
// client. Which of them a given model accepts is decided per model (lib/ai/models.ts); ranges are OpenAI's.
import { z } from "zod";

export const REASONING_EFFORTS = ["minimal", "low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Longest system prompt accepted, in characters. */
export const MAX_SYSTEM_PROMPT_CHARS = 20_000;

const range = (name: string, min: number, max: number) =>
  z
    .number({ error: `${name} must be a number from ${min} to ${max}.` })
    .min(min, `${name} must be from ${min} to ${max}.`)
    .max(max, `${name} must be from ${min} to ${max}.`);

/** Every field optional: an absent one is the model's (or the server's) default. */
export const chatSettingsSchema = z.strictObject({
  systemPrompt: z
    .string()
    .max(
      MAX_SYSTEM_PROMPT_CHARS,
      `The system prompt is limited to ${MAX_SYSTEM_PROMPT_CHARS.toLocaleString("en-US")} characters.`,
    )
    .optional(),
  temperature: range("Temperature", 0, 2).optional(),
  topP: range("Top P", 0, 1).optional(),
  /** Output-token limit of one reply; also the worst case the budget reserves. At most the model's own limit. */
  maxOutputTokens: z
    .number()
    .int("Max output tokens must be a whole number.")
    .min(1, "Max output tokens must be at least 1.")
    .optional(),
  presencePenalty: range("Presence penalty", -2, 2).optional(),
  frequencyPenalty: range("Frequency penalty", -2, 2).optional(),
  /** Reasoning models only. */
  reasoningEffort: z
    .enum(REASONING_EFFORTS, { error: `Reasoning effort must be one of ${REASONING_EFFORTS.join(", ")}.` })
    .optional(),
  /**
   * What to do when the conversation outgrows the model's context window: "refuse" (the default) says so with the
   * counts; "keep-last" drops the oldest messages so at most `keepLastTokens` prompt tokens are sent.
   */
  contextPolicy: z.enum(["refuse", "keep-last"]).optional(),
  keepLastTokens: z.number().int().min(1_000, "Keep at least 1,000 tokens of history.").optional(),
});

export type ChatSettings = z.infer<typeof chatSettingsSchema>;
