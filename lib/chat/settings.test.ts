import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { firstIssue } from "@/lib/validations";
import { english } from "@/test/english";
import { settingsForModel, settingsProblem } from "./settings";
import { chatSettingsSchema, parseStoredSettings } from "./settings-schema";

describe("settingsProblem", () => {
  it("lets a plain chat model take sampling parameters, and refuses reasoning effort", () => {
    expect(
      english(settingsProblem({ model: "gpt-4o", settings: { temperature: 0.2, topP: 0.9, presencePenalty: 1 } })),
    ).toBe(null);
    expect(english(settingsProblem({ model: "gpt-4o", settings: { reasoningEffort: "low" } }))).toBe(
      "Reasoning effort is only accepted by reasoning models; gpt-4o is not one.",
    );
  });

  it("refuses temperature, top P and penalties on reasoning models (o-series, gpt-5)", () => {
    expect(english(settingsProblem({ model: "o3", settings: { temperature: 1 } }))).toBe(
      "Temperature is not accepted by o3, a reasoning model.",
    );
    expect(english(settingsProblem({ model: "gpt-5-mini", settings: { frequencyPenalty: 0 } }))).toBe(
      "Frequency penalty is not accepted by gpt-5-mini, a reasoning model.",
    );
    expect(english(settingsProblem({ model: "gpt-5-mini", settings: { reasoningEffort: "minimal" } }))).toBe(null);
    expect(english(settingsProblem({ model: "o4-mini", settings: { reasoningEffort: "minimal" } }))).toBe(
      "o4-mini takes a reasoning effort of low, medium, high.",
    );
  });

  it("treats a model of unknown kind as a plain chat model with unknown limits", () => {
    expect(
      english(settingsProblem({ model: "llama3.2", settings: { temperature: 0.7, maxOutputTokens: 1_000_000 } })),
    ).toBe(null);
  });

  it("refuses more output tokens than the model writes", () => {
    expect(english(settingsProblem({ model: "gpt-4o", settings: { maxOutputTokens: 16_385 } }))).toBe(
      "gpt-4o writes at most 16,384 output tokens per reply.",
    );
  });
});

describe("chatSettingsSchema", () => {
  it("refuses out-of-range values with a sentence", () => {
    const parsed = chatSettingsSchema.safeParse({ temperature: 2.5 });
    expect(parsed.success).toBe(false);
    expect(english(parsed.error && firstIssue(parsed.error))).toBe("Temperature must be from 0 to 2.");
    expect(
      english(firstIssue(chatSettingsSchema.safeParse({ maxOutputTokens: Number.NaN }).error ?? new ZodError([]))),
    ).toBe("Max output tokens must be a whole number.");
    expect(chatSettingsSchema.safeParse({ unknown: 1 }).success).toBe(false);
  });
});

describe("settingsForModel", () => {
  it("keeps only what the model takes", () => {
    const settings = {
      systemPrompt: "Be brief.",
      temperature: 0.3,
      reasoningEffort: "high" as const,
      maxOutputTokens: 50_000,
    };
    expect(settingsForModel({ settings, model: "o3" })).toEqual({
      systemPrompt: "Be brief.",
      reasoningEffort: "high",
      maxOutputTokens: 50_000,
    });
    expect(settingsForModel({ settings, model: "gpt-4o" })).toEqual({
      systemPrompt: "Be brief.",
      temperature: 0.3,
      maxOutputTokens: 16_384,
    });
  });
});

describe("parseStoredSettings", () => {
  it("reads stored JSON, and falls back to the defaults for anything unreadable", () => {
    expect(parseStoredSettings('{"temperature":0.5}')).toEqual({ temperature: 0.5 });
    expect(parseStoredSettings(null)).toEqual({});
    expect(parseStoredSettings("{oops")).toEqual({});
    expect(parseStoredSettings('{"temperature":9}')).toEqual({});
  });
});
