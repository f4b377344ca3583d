import { describe, expect, it } from "vitest";
import type { ChatUIMessage } from "@/lib/chat/ui-message";
import { historyChange, promptHistory } from "./use-prompt-estimate";

function message(id: string, role: "user" | "assistant", text: string, status?: "complete" | "stopped" | "error") {
  return {
    id,
    role,
    parts: text ? [{ type: "text", text }] : [],
    metadata: status ? { status } : undefined,
  } satisfies ChatUIMessage;
}

describe("promptHistory", () => {
  it("keeps what the server sends upstream: no failed replies, no empty replies, user messages always", () => {
    expect(
      promptHistory([
        message("1", "user", "Hi"),
        message("2", "assistant", "Hello!", "complete"),
        message("3", "user", "Tell me a story"),
        message("4", "assistant", "Once upon", "stopped"),
        message("5", "user", "Go on"),
        message("6", "assistant", "partial text before the upstream failed", "error"),
        message("7", "assistant", "", "stopped"),
        message("8", "user", ""),
      ]),
    ).toEqual([
      { id: "1", role: "user", content: "Hi" },
      { id: "2", role: "assistant", content: "Hello!" },
      { id: "3", role: "user", content: "Tell me a story" },
      { id: "4", role: "assistant", content: "Once upon" },
      { id: "5", role: "user", content: "Go on" },
      { id: "8", role: "user", content: "" },
    ]);
  });

  it("joins a message's text parts", () => {
    const streamed: ChatUIMessage = {
      id: "a",
      role: "assistant",
      parts: [
        { type: "text", text: "one " },
        { type: "text", text: "two" },
      ],
    };
    expect(promptHistory([streamed])).toEqual([{ id: "a", role: "assistant", content: "one two" }]);
  });
});

describe("historyChange", () => {
  const a = { id: "a", role: "user", content: "Hi" };
  const b = { id: "b", role: "assistant", content: "Hello" };
  const c = { id: "c", role: "user", content: "More" };

  it("is null for an equal history, even rebuilt", () => {
    expect(historyChange([a, b], [{ ...a }, { ...b }])).toBeNull();
    expect(historyChange([], [])).toBeNull();
  });

  it("sends only the tail after the common start", () => {
    expect(historyChange([], [a, b])).toEqual({ keep: 0, append: [a, b] });
    expect(historyChange([a, b], [a, b, c])).toEqual({ keep: 2, append: [c] });
    expect(historyChange([a, b], [a, { ...b, content: "Hello there" }])).toEqual({
      keep: 1,
      append: [{ ...b, content: "Hello there" }],
    });
    expect(historyChange([a, b, c], [a])).toEqual({ keep: 1, append: [] });
    expect(historyChange([a, b], [b])).toEqual({ keep: 0, append: [b] });
  });

  it("posts only the fields the worker needs", () => {
    const withParts = { ...a, parts: [{ type: "text", text: "Hi" }] };
    expect(historyChange([], [withParts])?.append).toEqual([a]);
  });
});
