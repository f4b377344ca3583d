import { type Api, GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { EDIT_INTERVAL_MS, telegramReplyWriter } from "./reply";

// The streaming writer against a recording stand-in for grammY's Api (the Bot API's own behaviour is the e2e specs'
// fake server): how often it edits, how it splits, what it does when Telegram says 429 or 403.

type Call = { method: string; messageId?: number; text?: string; entities?: unknown[]; at: number };

function recordingApi({ failFirst }: { failFirst?: Record<string, GrammyError> } = {}) {
  const calls: Call[] = [];
  const failures = new Map(Object.entries(failFirst ?? {}));
  let nextId = 1;
  const take = (method: string) => {
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  };
  const api = {
    sendMessage: async (_chat: number, text: string, options: { entities?: unknown[] } = {}) => {
      take("sendMessage");
      const messageId = nextId++;
      calls.push({ method: "sendMessage", messageId, text, entities: options.entities, at: Date.now() });
      return { message_id: messageId };
    },
    editMessageText: async (_chat: number, messageId: number, text: string, options: { entities?: unknown[] } = {}) => {
      take("editMessageText");
      calls.push({ method: "editMessageText", messageId, text, entities: options.entities, at: Date.now() });
      return true;
    },
    deleteMessage: async (_chat: number, messageId: number) => {
      calls.push({ method: "deleteMessage", messageId, at: Date.now() });
      return true;
    },
  };
  return { api: api as unknown as Api, calls };
}

const apiError = (method: string, error_code: number, description: string, retry_after?: number) =>
  new GrammyError(
    `Call to '${method}' failed!`,
    { ok: false, error_code, description, parameters: retry_after ? { retry_after } : {} },
    method,
    {},
  );

const target = (api: Api) => ({
  api,
  chatId: 1,
  describeFailure: (errorText: string) => `failed: ${errorText}`,
  emptyReply: "(empty)",
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a reply streamed into a Telegram chat", () => {
  it("sends the first words at once, then edits at most once a second, ending formatted", async () => {
    const { api, calls } = recordingApi();
    const writer = telegramReplyWriter(target(api));
    const started = Date.now();
    for (let word = 1; word <= 25; word++) {
      writer.text(word === 1 ? "**word1**" : ` word${word}`);
      await sleep(100);
    }
    writer.finish({ model: "m" });
    await writer.done();
    const elapsed = Date.now() - started;
    expect(calls[0]).toMatchObject({ method: "sendMessage", text: "**word1**" });
    const edits = calls.filter((call) => call.method === "editMessageText");
    // Streaming edits a second apart at most (2.5 s of words: 2 or 3 of them), plus the final formatted one.
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(elapsed / EDIT_INTERVAL_MS) + 1);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (const [index, edit] of edits.slice(0, -1).entries()) {
      const previous = index === 0 ? calls[0] : edits[index - 1];
      expect(edit.at - (previous?.at ?? 0)).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS - 20);
    }
    const last = edits.at(-1);
    expect(last?.text).toBe(`word1${Array.from({ length: 24 }, (_, i) => ` word${i + 2}`).join("")}`);
    expect(last?.entities).toEqual([{ type: "bold", offset: 0, length: 5 }]);
  });

  it("goes on in new messages past 4,096 characters, every part within the limit", async () => {
    const { api, calls } = recordingApi();
    const writer = telegramReplyWriter(target(api));
    const paragraph = `${"x".repeat(999)}\n\n`;
    writer.text(paragraph.repeat(10));
    writer.finish({ model: "m" });
    await writer.done();
    const sent = calls.filter((call) => call.method === "sendMessage");
    expect(sent).toHaveLength(3);
    for (const call of calls) expect(call.text?.length ?? 0).toBeLessThanOrEqual(4_096);
  });

  it("waits as long as a 429 asks, then sends; a chat that blocked the bot ends the writing quietly", async () => {
    const limited = recordingApi({ failFirst: { sendMessage: apiError("sendMessage", 429, "Too Many Requests", 1) } });
    const writer = telegramReplyWriter(target(limited.api));
    writer.text("hello");
    writer.finish({ model: "m" });
    await writer.done();
    expect(limited.calls.map((call) => [call.method, call.text])).toEqual([["sendMessage", "hello"]]);

    const blocked = recordingApi({
      failFirst: { sendMessage: apiError("sendMessage", 403, "Forbidden: bot was blocked by the user") },
    });
    const gone = telegramReplyWriter(target(blocked.api));
    gone.text("nobody reads this");
    await sleep(10);
    gone.text(" and this");
    gone.fail({ model: "m" }, "upstream broke");
    await gone.done();
    expect(blocked.calls).toEqual([]);
  });

  it("says a failure after the words so far, and an empty reply as such", async () => {
    const { api, calls } = recordingApi();
    const writer = telegramReplyWriter(target(api));
    writer.text("partial");
    writer.fail({ model: "m" }, "cut");
    await writer.done();
    expect(calls.map((call) => call.text)).toEqual(["partial", "⚠️ failed: cut"]);

    const empty = recordingApi();
    const nothing = telegramReplyWriter(target(empty.api));
    nothing.finish({ model: "m" });
    await nothing.done();
    expect(empty.calls.map((call) => call.text)).toEqual(["(empty)"]);
  });
});
