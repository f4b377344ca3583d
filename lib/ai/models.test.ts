import { describe, expect, it } from "vitest";
import {
  acceptsImages,
  chatModelsOf,
  effectiveMaxOutputTokens,
  listModels,
  MAX_OUTPUT_TOKENS,
  modelCapabilities,
  OPENAI_CHAT_MODELS,
} from "./models";

describe("listModels", () => {
  it("offers the OpenAI catalog with the default first and no duplicate", () => {
    const models = listModels({ defaultModel: "gpt-4o-mini" });
    expect(models[0]).toBe("gpt-4o-mini");
    expect(models.filter((m) => m === "gpt-4o-mini")).toHaveLength(1);
    expect(models).toHaveLength(OPENAI_CHAT_MODELS.length);
  });

  it("uses OPENAI_MODELS for compatible servers and keeps a default that is not in the catalog", () => {
    expect(listModels({ defaultModel: "llama3.2", configured: " qwen2.5 , ,deepseek-chat" })).toEqual([
      "llama3.2",
      "qwen2.5",
      "deepseek-chat",
    ]);
  });
});

describe("modelCapabilities", () => {
  it("knows reasoning models, their efforts and limits, dated snapshots included", () => {
    expect(modelCapabilities("o3")).toEqual({
      isReasoning: true,
      reasoningEfforts: ["low", "medium", "high"],
      contextWindow: 200_000,
      maxOutputTokens: 100_000,
    });
    expect(modelCapabilities("gpt-5-mini-2025-08-07").reasoningEfforts).toEqual(["minimal", "low", "medium", "high"]);
    expect(modelCapabilities("gpt-4o-2024-08-06")).toEqual({
      isReasoning: false,
      reasoningEfforts: [],
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
    });
  });

  it("treats unknown ids as plain chat models with unknown limits", () => {
    expect(modelCapabilities("deepseek-chat")).toEqual({
      isReasoning: false,
      reasoningEfforts: [],
      contextWindow: null,
      maxOutputTokens: null,
    });
  });
});

describe("effectiveMaxOutputTokens", () => {
  it("defaults to 4,096, capped by the model's maximum", () => {
    expect(effectiveMaxOutputTokens({ model: "gpt-4o" })).toBe(MAX_OUTPUT_TOKENS);
    expect(effectiveMaxOutputTokens({ model: "gpt-4o", maxOutputTokens: 1_000 })).toBe(1_000);
    expect(effectiveMaxOutputTokens({ model: "gpt-4o", maxOutputTokens: 99_999 })).toBe(16_384);
    expect(effectiveMaxOutputTokens({ model: "llama3.2", maxOutputTokens: 99_999 })).toBe(99_999);
  });
});

describe("the upstream's model list", () => {
  it("offers its chat models after the configured ones, without duplicates", () => {
    expect(chatModelsOf(["gpt-4o", "text-embedding-3-small", "whisper-1", "dall-e-3", "tts-1", "fake-model"])).toEqual([
      "gpt-4o",
      "fake-model",
    ]);
    // Completions-only models are the Playground's, not the chat's; other servers' instruct models chat.
    expect(
      chatModelsOf(["gpt-3.5-turbo-instruct", "gpt-3.5-turbo-instruct-0914", "davinci-002", "Qwen2.5-7B-Instruct"]),
    ).toEqual(["Qwen2.5-7B-Instruct"]);
    expect(listModels({ defaultModel: "a", configured: "a,b", listed: ["b", "c", "omni-moderation-latest"] })).toEqual([
      "a",
      "b",
      "c",
    ]);
  });
});

describe("acceptsImages", () => {
  it("OpenAI's vision models and their snapshots, not the mini reasoning models without vision", () => {
    for (const model of [
      "gpt-4o",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-nano",
      "gpt-5",
      "gpt-5-mini",
      "o1",
      "o3",
      "o4-mini",
    ]) {
      expect(acceptsImages(model), model).toBe(true);
    }
    for (const model of ["o1-mini", "o3-mini", "gpt-3.5-turbo", "gpt-4", "fake-model", "llava:13b"]) {
      expect(acceptsImages(model), model).toBe(false);
    }
  });

  it("and the ids an operator adds (OPENAI_VISION_MODELS)", () => {
    expect(acceptsImages("llava:13b", ["llava:13b"])).toBe(true);
  });
});
