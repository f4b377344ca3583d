import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import messages from "@/lib/i18n/messages/en.json";
import { Markdown } from "./markdown";

// Block by block drops the line breaks between top-level elements, which the browser does not show. The code block's
// button takes its name from the messages, as under the app's root layout.
const html = (text: string, isStreaming: boolean) =>
  renderToStaticMarkup(
    createElement(NextIntlClientProvider, {
      locale: "en",
      messages,
      // biome-ignore lint/correctness/noChildrenProp: the provider's props type requires them there.
      children: createElement(Markdown, { text, isStreaming }),
    }),
  ).replace(/>\s+</g, "><");

describe("Markdown", () => {
  it("renders a finished reply in one pass exactly as it renders one streaming block by block", () => {
    const reply = [
      "## Costs",
      "The ledger keeps **one entry** per call,\nwith _tokens_ and `cost`; see https://example.com.",
      "- the prompt\n- the reply\n  - nested",
      "1. first\n\n2. second\n\n   still second",
      "| model | input |\n| --- | ---: |\n| gpt-5-mini | $0.25 |",
      "```ts\nconst total = 1;\n\n\nconst more = 2;\n```",
      "> quoted\n> lines",
      "- [ ] task\n- [x] done",
      "Area \\(\\pi r^2\\) and ~~struck~~ text.",
      "***",
      "Closing words.",
    ].join("\n\n");
    const whole = html(reply, false);
    expect(whole).toContain("<table>");
    expect(whole).toContain('aria-label="Copy code"');
    expect(whole).toContain("<del>struck</del>");
    expect(html(reply, true)).toBe(whole);
  });
});
