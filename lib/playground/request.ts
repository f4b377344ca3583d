import "server-only";
import { z } from "zod";
import { chatSettingsSchema } from "@/lib/chat/settings-schema";
import { MAX_CHOICES, MAX_PROMPT_CHARS, MAX_STOP_CHARS, MAX_STOP_SEQUENCES } from "./limits";

// POST /api/playground's body. What depends on the model (is it offered, does the prompt fit its window, how many
// tokens may be asked) is checked by the run once the prompt is counted (lib/playground/run.ts).

/** A prompt of MAX_PROMPT_CHARS characters, 4 bytes each at most in UTF-8, and the parameters. */
export const MAX_PLAYGROUND_BODY_BYTES = 4 * MAX_PROMPT_CHARS + 16 * 1024;

export const playgroundRunSchema = z.strictObject({
  model: z
    .string({ error: "validation.playgroundModelMissing" })
    .trim()
    .min(1, "validation.playgroundModelMissing")
    .max(100),
  prompt: z
    .string({ error: "validation.playgroundPromptEmpty" })
    .max(MAX_PROMPT_CHARS, "validation.playgroundPromptTooLong")
    .refine((prompt) => prompt.trim() !== "", "validation.playgroundPromptEmpty"),
  // The chat's own checks and messages (Temperature 0–2, Top P 0–1).
  temperature: chatSettingsSchema.shape.temperature,
  topP: chatSettingsSchema.shape.topP,
  maxTokens: z
    .number({ error: "validation.playgroundMaxTokens" })
    .int("validation.playgroundMaxTokens")
    .min(1, "validation.playgroundMaxTokens"),
  n: z
    .custom<number>((n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_CHOICES, {
      message: "validation.playgroundChoices",
      params: { max: MAX_CHOICES },
    })
    .default(1),
  stop: z
    .array(
      z.custom<string>((stop) => typeof stop === "string" && stop.length >= 1 && stop.length <= MAX_STOP_CHARS, {
        message: "validation.playgroundStopLength",
        params: { max: MAX_STOP_CHARS },
      }),
    )
    .max(MAX_STOP_SEQUENCES, "validation.playgroundStopTooMany")
    .default([]),
});

export type PlaygroundRun = z.infer<typeof playgroundRunSchema>;

/** POST /api/playground/stop: the running call (its ledger entry's id, sent first in the run's stream). */
export const playgroundStopSchema = z.strictObject({
  callId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: "errors.playgroundNotRunning" }),
});
