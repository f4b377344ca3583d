import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type ChatMessage, countChatPromptTokens, countTextTokens, loadTokenizer } from "@/lib/billing/tokens";
import { createPromptCounter, createPromptEstimator, type PromptMessage, preloadTokenizer } from "./prompt-counter";

// Spies around the real functions, to see what gets tokenized and to make a load fail.
vi.mock("@/lib/billing/tokens", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/billing/tokens")>();
  return {
    ...actual,
    countChatPromptTokens: vi.fn(actual.countChatPromptTokens),
    loadTokenizer: vi.fn(actual.loadTokenizer),
  };
});

const ENGLISH = "The quick brown fox jumps over the lazy dog. Tokenizers split text into byte-pair merges.";
const CHINESE = "人工智能正在改变世界。机器学习是人工智能的一个重要分支，它让计算机能够从数据中学习规律。";

function history(count: number, text: string): PromptMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    role: index % 2 === 0 ? "user" : "assistant",
    content: `${index}: ${text.repeat((index % 5) + 1)}`,
  }));
}

function expected(messages: readonly PromptMessage[], draft: string, model: string): number {
  const chat: ChatMessage[] = messages.map(({ role, content }) => ({ role, content }));
  return countChatPromptTokens([...chat, { role: "user", content: draft }], model);
}

/** Content tokenized by countChatPromptTokens since the last reset (the priming-only `[]` call tokenizes nothing). */
function tokenizedContents(): string[] {
  return vi.mocked(countChatPromptTokens).mock.calls.flatMap(([messages]) => messages.map((m) => m.content));
}

beforeAll(async () => {
  await Promise.all([loadTokenizer("o200k_base"), loadTokenizer("cl100k_base")]);
});

beforeEach(() => {
  vi.mocked(countChatPromptTokens).mockClear();
  vi.mocked(loadTokenizer).mockClear();
});

describe("createPromptCounter", () => {
  it.each([
    ["gpt-4o-mini", ENGLISH, "o200k_base", true],
    ["gpt-5-mini", CHINESE, "o200k_base", true],
    ["gpt-4", ENGLISH, "cl100k_base", true],
    ["gpt-3.5-turbo", CHINESE, "cl100k_base", true],
    ["llama3.2", CHINESE, "o200k_base", false],
  ])("%s: equals countChatPromptTokens of history + draft (%#)", (model, text, encoding, isKnownEncoding) => {
    const countPrompt = createPromptCounter();
    const messages = history(40, text);
    const draft = `${text} and one more line`;
    expect(countPrompt({ model, history: messages, draft })).toEqual({
      promptTokens: expected(messages, draft, model),
      encoding,
      isKnownEncoding,
      omitted: 0,
    });
  });

  it("counts the system prompt, and leaves out what the context policy drops, as the server's fitContext does", () => {
    const countPrompt = createPromptCounter();
    const messages = history(20, ENGLISH);
    const system = { role: "system", content: "Answer in one sentence." };
    const withSystem = countPrompt({
      model: "gpt-4o",
      history: messages,
      draft: "hi",
      context: { systemPrompt: system.content, contextWindow: null, maxOutputTokens: 4096 },
    });
    expect(withSystem.promptTokens).toBe(
      countChatPromptTokens([system, ...messages, { role: "user", content: "hi" }], "gpt-4o"),
    );

    const kept = countPrompt({
      model: "gpt-4o",
      history: messages,
      draft: "hi",
      context: {
        systemPrompt: system.content,
        contextWindow: null,
        maxOutputTokens: 4096,
        policy: "keep-last",
        keepLastTokens: 1_000,
      },
    });
    expect(kept.omitted).toBeGreaterThan(0);
    expect(kept.promptTokens).toBeLessThanOrEqual(1_000);
    expect(kept.promptTokens).toBe(
      countChatPromptTokens([system, ...messages.slice(kept.omitted), { role: "user", content: "hi" }], "gpt-4o"),
    );
    // One message more would not have fitted.
    expect(
      countChatPromptTokens([system, ...messages.slice(kept.omitted - 1), { role: "user", content: "hi" }], "gpt-4o"),
    ).toBeGreaterThan(1_000);

    const refused = countPrompt({
      model: "gpt-4",
      history: messages,
      draft: "hi",
      context: { contextWindow: 8_192, maxOutputTokens: 8_000 },
    });
    expect(refused.overflow).toEqual({
      fits: false,
      promptTokens: expected(messages, "hi", "gpt-4"),
      contextWindow: 8_192,
      maxOutputTokens: 8_000,
    });
  });

  it("tokenizes only the draft while the history is unchanged", () => {
    const countPrompt = createPromptCounter();
    const messages = history(30, ENGLISH);
    countPrompt({ model: "gpt-4o", history: messages, draft: "H" });
    vi.mocked(countChatPromptTokens).mockClear();

    // A new array of equal messages, as a re-render builds it.
    const again = messages.map((message) => ({ ...message }));
    const result = countPrompt({ model: "gpt-4o", history: again, draft: "Hello" });
    expect(tokenizedContents()).toEqual(["Hello"]);
    expect(result.promptTokens).toBe(expected(messages, "Hello", "gpt-4o"));
  });

  it("counts a message again when its content or role changed under the same id", () => {
    const countPrompt = createPromptCounter();
    const messages = history(6, ENGLISH);
    countPrompt({ model: "gpt-4o", history: messages, draft: "x" });
    vi.mocked(countChatPromptTokens).mockClear();

    const streamedOn = messages.map((message, index) =>
      index === 5 ? { ...message, content: `${message.content} and the reply went on` } : message,
    );
    const result = countPrompt({ model: "gpt-4o", history: streamedOn, draft: "x" });
    expect(tokenizedContents()).toEqual([streamedOn[5]?.content, "x"]);
    expect(result.promptTokens).toBe(expected(streamedOn, "x", "gpt-4o"));

    const roleChanged = streamedOn.map((message, index) => (index === 0 ? { ...message, role: "assistant" } : message));
    expect(countPrompt({ model: "gpt-4o", history: roleChanged, draft: "x" }).promptTokens).toBe(
      expected(roleChanged, "x", "gpt-4o"),
    );
  });

  it("keeps counts per encoding, so switching models is exact both ways", () => {
    const countPrompt = createPromptCounter();
    const messages = history(20, CHINESE);
    for (const model of ["gpt-4o", "gpt-4", "gpt-4o", "gpt-4"]) {
      expect(countPrompt({ model, history: messages, draft: CHINESE }).promptTokens).toBe(
        expected(messages, CHINESE, model),
      );
    }
    expect(expected(messages, CHINESE, "gpt-4o")).not.toBe(expected(messages, CHINESE, "gpt-4"));
  });

  it("takes counts made elsewhere (the server's, for messages the chat has not loaded) as the content's own", () => {
    const countPrompt = createPromptCounter();
    const messages = history(30, ENGLISH);
    const draft = "and now?";
    const context = { contextWindow: null, maxOutputTokens: 0, policy: "keep-last" as const, keepLastTokens: 400 };
    const whole = countPrompt({ model: "gpt-5-mini", history: messages, draft, context });
    // The first 20 arrive counted, without their text: the count and what the policy leaves out stay the same.
    const counted = messages.map((message, index) =>
      index < 20 ? { ...message, content: "", contentTokens: countTextTokens(message.content, "o200k_base") } : message,
    );
    vi.mocked(countChatPromptTokens).mockClear();
    expect(createPromptCounter()({ model: "gpt-5-mini", history: counted, draft, context })).toEqual(whole);
    expect(whole.omitted).toBeGreaterThan(0);
    expect(tokenizedContents().filter((content) => content !== "" && content !== draft)).toHaveLength(10);
  });

  it("is exact for messages sharing an id, removed messages, an empty draft and special-token text", () => {
    const countPrompt = createPromptCounter();
    const messages = history(10, ENGLISH);
    countPrompt({ model: "gpt-4o", history: messages, draft: "" });
    const edited: PromptMessage[] = [
      ...messages.slice(0, 3),
      { id: "m1", role: "user", content: "same id, other text" },
      { id: "m9", role: "assistant", content: "<|endoftext|> is plain text here" },
    ];
    for (const draft of ["", "<|endoftext|>", "  spaces  "]) {
      expect(countPrompt({ model: "gpt-4o", history: edited, draft }).promptTokens).toBe(
        expected(edited, draft, "gpt-4o"),
      );
    }
  });
});

describe("createPromptEstimator", () => {
  it("reuses the last history when a request omits it", async () => {
    const estimate = createPromptEstimator();
    const messages = history(12, CHINESE);
    const first = await estimate({
      requestId: 1,
      model: "gpt-4o",
      history: { keep: 0, append: messages },
      draft: "你好",
    });
    const second = await estimate({ requestId: 2, model: "gpt-4o", draft: "你好，世界" });
    expect(first).toMatchObject({ requestId: 1, promptTokens: expected(messages, "你好", "gpt-4o") });
    expect(second).toMatchObject({ requestId: 2, promptTokens: expected(messages, "你好，世界", "gpt-4o") });
  });

  it("applies history changes: keeps the first `keep` messages, then appends", async () => {
    const estimate = createPromptEstimator();
    const messages = history(10, ENGLISH);
    await estimate({ requestId: 1, model: "gpt-4o", history: { keep: 0, append: messages }, draft: "x" });
    const streamedOn = { id: "m9", role: "assistant", content: "a different ending" };
    const appended = { id: "m10", role: "user", content: "and a new question" };
    const changed = await estimate({
      requestId: 2,
      model: "gpt-4o",
      history: { keep: 9, append: [streamedOn, appended] },
      draft: "x",
    });
    expect(changed).toMatchObject({
      promptTokens: expected([...messages.slice(0, 9), streamedOn, appended], "x", "gpt-4o"),
    });
    const truncated = await estimate({ requestId: 3, model: "gpt-4o", history: { keep: 2, append: [] }, draft: "x" });
    expect(truncated).toMatchObject({ promptTokens: expected(messages.slice(0, 2), "x", "gpt-4o") });
  });

  it("answers only the newest of requests that arrive while the encoding loads, each with its own history", async () => {
    const estimate = createPromptEstimator();
    const older = history(4, ENGLISH);
    const newer = history(8, ENGLISH);
    const answers = await Promise.all([
      estimate({ requestId: 1, model: "gpt-4", history: { keep: 0, append: older }, draft: "a" }),
      estimate({ requestId: 2, model: "gpt-4", history: { keep: 0, append: newer }, draft: "ab" }),
      estimate({ requestId: 3, model: "gpt-4", draft: "abc" }),
    ]);
    expect(answers).toEqual([
      null,
      null,
      {
        requestId: 3,
        promptTokens: expected(newer, "abc", "gpt-4"),
        encoding: "cl100k_base",
        isKnownEncoding: true,
        omitted: 0,
      },
    ]);
  });

  it("turns a failed encoding load into an error answer, and a later request can succeed", async () => {
    const estimate = createPromptEstimator();
    vi.mocked(loadTokenizer).mockRejectedValueOnce(new Error("Failed to fetch dynamically imported module"));
    expect(await estimate({ requestId: 1, model: "gpt-4o", draft: "hi" })).toEqual({
      requestId: 1,
      error: "Counting the prompt for gpt-4o failed: Failed to fetch dynamically imported module",
    });
    expect(await estimate({ requestId: 2, model: "gpt-4o", draft: "hi" })).toMatchObject({
      requestId: 2,
      promptTokens: expected([], "hi", "gpt-4o"),
    });
  });
});

describe("preloadTokenizer", () => {
  it("loads the model's encoding, which the estimate then uses without loading it again", async () => {
    vi.mocked(loadTokenizer).mockClear();
    await preloadTokenizer("gpt-4");
    expect(vi.mocked(loadTokenizer).mock.calls).toEqual([["cl100k_base"]]);
    const loading = vi.mocked(loadTokenizer).mock.results[0]?.value;
    expect(loadTokenizer("cl100k_base")).toBe(loading);
  });

  it("never rejects: a failed load is left to the estimate, which loads again and reports it", async () => {
    vi.mocked(loadTokenizer).mockRejectedValueOnce(new Error("Failed to fetch dynamically imported module"));
    await expect(preloadTokenizer("gpt-4o")).resolves.toBeUndefined();
    expect(await createPromptEstimator()({ requestId: 1, model: "gpt-4o", draft: "hi" })).toMatchObject({
      requestId: 1,
      promptTokens: expected([], "hi", "gpt-4o"),
    });
  });
});
