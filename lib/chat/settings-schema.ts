// The schema of a conversation's parameters (lib/chat/settings.ts has the rules that need no zod): what the APIs,
// presets and the Parameters panel parse settings with.
import { z } from "zod";
import { type ChatSettings, MAX_SYSTEM_PROMPT_CHARS, REASONING_EFFORTS } from "./settings";

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
    .number({ error: "Max output tokens must be a whole number." })
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
  keepLastTokens: z
    .number({ error: "The tokens to keep must be a whole number." })
    .int("The tokens to keep must be a whole number.")
    .min(1_000, "Keep at least 1,000 tokens of history.")
    .optional(),
});

/** Settings as stored on a conversation (JSON text); anything unreadable counts as the defaults. */
export function parseStoredSettings(text: string | null | undefined): ChatSettings {
  if (!text) return {};
  try {
    const parsed = chatSettingsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Settings as stored (parsed JSON, or null for none), read by the schema; ones no longer valid give the defaults. */
export function storedChatSettings(value: unknown): ChatSettings {
  const parsed = chatSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}
