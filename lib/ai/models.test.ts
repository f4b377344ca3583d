import { describe, expect, it } from "vitest";
import { listModels, OPENAI_CHAT_MODELS } from "./models";

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
