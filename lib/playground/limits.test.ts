import { describe, expect, it } from "vitest";
import { completionContextWindow, MAX_TOKENS_UNKNOWN_MODEL, maxTokensLimit, parseStopText, stopText } from "./limits";

describe("the playground's limits", () => {
  it("knows OpenAI's completion models' windows, dated snapshots included, and none of other servers' models", () => {
    expect(completionContextWindow("gpt-3.5-turbo-instruct")).toBe(4_096);
    expect(completionContextWindow("gpt-3.5-turbo-instruct-0914")).toBe(4_096);
    expect(completionContextWindow("davinci-002")).toBe(16_384);
    expect(completionContextWindow("llama-3.1-8b-instruct")).toBeNull();
  });

  it("leaves max_tokens what the window leaves after the prompt, or the bound for an unknown model", () => {
    expect(maxTokensLimit({ model: "gpt-3.5-turbo-instruct", promptTokens: 1_000 })).toBe(3_096);
    expect(maxTokensLimit({ model: "gpt-3.5-turbo-instruct", promptTokens: 5_000 })).toBe(0);
    expect(maxTokensLimit({ model: "gpt-3.5-turbo-instruct" })).toBe(4_096);
    expect(maxTokensLimit({ model: "my-vllm-model", promptTokens: 1_000 })).toBe(MAX_TOKENS_UNKNOWN_MODEL);
  });

  it("reads stop sequences one a line, with \\n, \\t and \\\\ escapes, and writes them back the same", () => {
    expect(parseStopText("\\n\\n\nEND\n\n\\t|\nC:\\\\")).toEqual(["\n\n", "END", "\t|", "C:\\"]);
    const stops = ["\n", "###", "a\\nb", "\t"];
    expect(parseStopText(stopText(stops))).toEqual(stops);
    expect(parseStopText("")).toEqual([]);
  });
});
