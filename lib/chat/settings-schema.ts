// The schema of a conversation's parameters (lib/chat/settings.ts has the rules that need no zod): what the APIs,
// presets and the Parameters panel parse settings with.
import { z } from "zod";
import { type ChatSettings, MAX_SYSTEM_PROMPT_CHARS, REASONING_EFFORTS, type ReasoningEffort } from "./settings";

// Messages are keys of lib/i18n/messages' "validation" namespace; firstIssue (lib/validations.ts) adds the field
// (the path) and the arguments below.
const range = (min: number, max: number) =>
  z
    .custom<number>((value) => typeof value === "number" && Number.isFinite(value), {
      message: "validation.settingNotNumber",
      params: { min, max },
    })
    .refine((value) => value >= min && value <= max, { message: "validation.settingRange", params: { min, max } });

/** Every field optional: an absent one is the model's (or the server's) default. */
export const chatSettingsSchema = z.strictObject({
  systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS, "validation.systemPromptTooLong").optional(),
  temperature: range(0, 2).optional(),
  topP: range(0, 1).optional(),
  /** Output-token limit of one reply; also the worst case the budget reserves. At most the model's own limit. */
  maxOutputTokens: z
    .number({ error: "validation.maxOutputWhole" })
    .int("validation.maxOutputWhole")
    .min(1, "validation.maxOutputMin")
    .optional(),
  presencePenalty: range(-2, 2).optional(),
  frequencyPenalty: range(-2, 2).optional(),
  /** Reasoning models only. */
  reasoningEffort: z
    .custom<ReasoningEffort>((value) => (REASONING_EFFORTS as readonly unknown[]).includes(value), {
      message: "validation.reasoningEffortInvalid",
      params: { efforts: REASONING_EFFORTS.join(", ") },
    })
    .optional(),
  /**
   * What to do when the conversation outgrows the model's context window: "refuse" (the default) says so with the
   * counts; "keep-last" drops the oldest messages so at most `keepLastTokens` prompt tokens are sent.
   */
  contextPolicy: z.enum(["refuse", "keep-last"]).optional(),
  keepLastTokens: z
    .number({ error: "validation.keepLastWhole" })
    .int("validation.keepLastWhole")
    .min(1_000, "validation.keepLastMin")
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
