import { describe, expect, it } from "vitest";
import { english } from "@/test/english";
import { describeContextOverflow, fitContext } from "./context-window";
import { chatPromptTokensFromCounts } from "./tokens";

const user = (contentTokens: number) => ({ role: "user", contentTokens });
const assistant = (contentTokens: number) => ({ role: "assistant", contentTokens });
// Each message costs 3 framing + 1 role token on top of its content; the reply priming is 3.
const history = [user(100), assistant(200), user(300), assistant(400)];

describe("fitContext", () => {
  it("sends everything when the window is unknown or large enough", () => {
    const all = chatPromptTokensFromCounts([{ role: "system", contentTokens: 50 }, ...history, user(10)]);
    for (const contextWindow of [null, all + 100]) {
      expect(
        fitContext({
          system: { role: "system", contentTokens: 50 },
          history,
          last: user(10),
          contextWindow,
          maxOutputTokens: 100,
        }),
      ).toEqual({ fits: true, firstSent: 0, omitted: 0, promptTokens: all });
    }
  });

  it("refuses with the counts when the prompt and the output limit overflow the window", () => {
    const fit = fitContext({ system: null, history, last: user(10), contextWindow: 1_000, maxOutputTokens: 100 });
    expect(fit).toEqual({ fits: false, promptTokens: 3 + 5 * 4 + 1_010, contextWindow: 1_000, maxOutputTokens: 100 });
    if (fit.fits) throw new Error("unreachable");
    expect(english(describeContextOverflow({ model: "gpt-4o", fit, isKeepLast: false }))).toBe(
      "This conversation is 1,033 tokens; gpt-4o takes 1,000 tokens in all, 100 of them kept for the reply. " +
        "Start a new chat, lower max output tokens, or keep only the last messages (Parameters).",
    );
  });

  it("keep-last drops the oldest messages until the prompt fits the window, keeping system prompt and new message", () => {
    const fit = fitContext({
      system: { role: "system", contentTokens: 50 },
      history,
      last: user(10),
      contextWindow: 1_000,
      maxOutputTokens: 100,
      policy: { policy: "keep-last" },
    });
    // 900 allowed: system 54 + new 14 + priming 3 = 71; the last two messages (304 + 404) fit, the third would not.
    expect(fit).toEqual({ fits: true, firstSent: 2, omitted: 2, promptTokens: 71 + 304 + 404 });
  });

  it("keep-last also caps the prompt at keepLastTokens", () => {
    const fit = fitContext({
      system: null,
      history,
      last: user(10),
      contextWindow: null,
      maxOutputTokens: 100,
      policy: { policy: "keep-last", keepLastTokens: 500 },
    });
    expect(fit).toEqual({ fits: true, firstSent: 3, omitted: 3, promptTokens: 3 + 14 + 404 });
  });

  it("keep-last still sends system prompt and new message past keepLastTokens, but never past the window", () => {
    const big = user(2_000);
    const within = fitContext({
      system: null,
      history,
      last: big,
      contextWindow: 10_000,
      maxOutputTokens: 100,
      policy: { policy: "keep-last", keepLastTokens: 1_000 },
    });
    expect(within).toEqual({ fits: true, firstSent: 4, omitted: 4, promptTokens: 3 + 2_004 });
    const beyond = fitContext({
      system: null,
      history,
      last: big,
      contextWindow: 2_000,
      maxOutputTokens: 100,
      policy: { policy: "keep-last" },
    });
    expect(beyond).toEqual({ fits: false, promptTokens: 2_007, contextWindow: 2_000, maxOutputTokens: 100 });
  });
});
