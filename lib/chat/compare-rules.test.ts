import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import { compareRequestSchema, continueComparisonSchema, firstIssue } from "../validations";

// What POST /api/compare and its continue accept (lib/validations.ts), and the words of each refusal.

const valid = { prompt: "Which is larger, 9.11 or 9.9?", models: ["gpt-5-mini", "gpt-4o-mini"] };

/** The English message of the first problem, or null when the body is accepted. */
function problem(schema: typeof compareRequestSchema | typeof continueComparisonSchema, body: unknown) {
  const parsed = schema.safeParse(body);
  return parsed.success ? null : english(firstIssue(parsed.error));
}

describe("compareRequestSchema", () => {
  it("takes a prompt, 2 to 4 models, an optional system prompt and the chat's parameters in range", () => {
    expect(problem(compareRequestSchema, valid)).toBeNull();
    expect(
      problem(compareRequestSchema, {
        ...valid,
        models: ["gpt-5-mini", "gpt-4o-mini", "gpt-4.1-nano", "gpt-4o"],
        systemPrompt: "Be brief.",
        temperature: 2,
        maxOutputTokens: 1,
      }),
    ).toBeNull();
  });

  it("refuses a number of models outside 2–4, an empty prompt, parameters out of range and unknown fields", () => {
    const models = (count: number) => Array.from({ length: count }, (_, i) => `gpt-${i}`);
    expect(problem(compareRequestSchema, { ...valid, models: models(1) })).toBe("Pick from 2 to 4 models to compare.");
    expect(problem(compareRequestSchema, { ...valid, models: models(5) })).toBe("Pick from 2 to 4 models to compare.");
    expect(problem(compareRequestSchema, { ...valid, models: "gpt-5-mini" })).toBe(
      "Pick from 2 to 4 models to compare.",
    );
    expect(problem(compareRequestSchema, { ...valid, prompt: " \n " })).toMatch(/^Type a message/);
    expect(problem(compareRequestSchema, { ...valid, prompt: "x".repeat(32_001) })).toMatch(/32,000/);
    expect(problem(compareRequestSchema, { ...valid, temperature: 2.5 })).toBe("Temperature must be from 0 to 2.");
    expect(problem(compareRequestSchema, { ...valid, maxOutputTokens: 0 })).not.toBeNull();
    expect(problem(compareRequestSchema, { ...valid, maxOutputTokens: 1.5 })).not.toBeNull();
    expect(problem(compareRequestSchema, { ...valid, systemPrompt: "x".repeat(20_001) })).toMatch(/20,000/);
    expect(problem(compareRequestSchema, { ...valid, userId: "someone" })).not.toBeNull();
  });
});

describe("continueComparisonSchema", () => {
  it("takes a column from 0 to 3", () => {
    for (const answer of [0, 3]) expect(problem(continueComparisonSchema, { answer })).toBeNull();
    for (const answer of [-1, 4, 1.5, "1"]) {
      expect(problem(continueComparisonSchema, { answer })).toBe(
        "Name the answer to continue with by its column, from 0 to 3.",
      );
    }
  });
});
