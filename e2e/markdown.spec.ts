// How replies render: code coloured by Shiki with a copy button, math set by KaTeX in all four delimiters, the block
// elements as such, a hostile reply inert, copying a message, and a reply streamed in pieces that never shows raw
// Markdown. The fake upstream replies with exactly the text of `[[reply:…]]` (e2e/fake-openai/README.md).
import { randomUUID } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** Shiki and KaTeX load after hydration, on first need: a page load and a large script on a loaded machine. */
const LAZY_LOAD_MS = 60_000;

/** A conversation whose one reply is `reply`, stored through the real API, opened; returns that reply, rendered. */
async function openReply(page: Page, reply: string): Promise<Locator> {
  const conversationId = randomUUID();
  const response = await page.request.post("/api/chat", {
    data: { conversationId, model: "gpt-5-mini", text: `[[reply:${reply}]]` },
  });
  expect(response.ok()).toBe(true);
  // The reply is stored before its stream ends.
  await response.text();
  await page.goto(`/c/${conversationId}`);
  const chat = new ChatPage(page);
  return chat.waitForReply();
}

function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

test("a code block is coloured, names its language, and its button copies exactly the code", async ({
  page,
  account: _signedIn,
}) => {
  const code = 'const total = entries.reduce((sum, e) => sum + e.cost, 0);\nconsole.log("total:", total / 1e6);';
  const reply = await openReply(page, `Here it is:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`);
  const block = reply.locator("pre");
  await expect(block).toHaveText(code);
  await expect(block).toHaveAttribute("data-highlighted", "true", { timeout: LAZY_LOAD_MS });
  const colours = await block
    .locator("span[style]")
    .evaluateAll((spans) => new Set(spans.map((span) => getComputedStyle(span).color)).size);
  expect(colours, "distinct token colours").toBeGreaterThan(2);
  await expect(reply.getByText("ts", { exact: true })).toBeVisible();

  const copy = reply.getByRole("button", { name: "Copy code" });
  await copy.click();
  await expect(copy).toHaveText("Copied");
  expect(await clipboard(page)).toBe(code);
});

test("math renders with KaTeX in $…$, $$…$$, \\(…\\) and \\[…\\]; in code and as prices it stays text", async ({
  page,
  account: _signedIn,
}) => {
  const reply = await openReply(
    page,
    [
      "Pythagoras: $a^2+b^2=c^2$, and Euler: \\(e^{i\\pi}+1=0\\).",
      "$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$",
      "\\[\n\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}\n\\]",
      "In code `\\(x\\)` stays, and so do prices: from $5 to $10.",
      "```latex\n\\[y\\]\n```",
    ].join("\n\n"),
  );
  await expect(reply.locator(".katex")).toHaveCount(4, { timeout: LAZY_LOAD_MS });
  await expect(reply.locator(".katex-display")).toHaveCount(2);
  await expect(reply.locator("p code")).toHaveText("\\(x\\)");
  await expect(reply.locator("pre")).toHaveText("\\[y\\]");
  await expect(reply).toContainText("from $5 to $10.");
  // KaTeX's stylesheet is there, and its fonts come from this server.
  const fontFamily = await reply
    .locator(".katex")
    .first()
    .evaluate((element) => getComputedStyle(element).fontFamily);
  expect(fontFamily).toContain("KaTeX_Main");
  const fontOrigins = () =>
    page.evaluate(async () => {
      await document.fonts.ready;
      const fonts = performance.getEntriesByType("resource").filter((entry) => /\.(woff2?|ttf)(\?|$)/.test(entry.name));
      return [...new Set(fonts.map((entry) => new URL(entry.name).origin))];
    });
  await expect.poll(fontOrigins).toEqual([new URL(page.url()).origin]);
});

test("headings, quotes, lists, task lists, tables and rules render as such; links open in a new tab", async ({
  page,
  account: _signedIn,
}) => {
  const reply = await openReply(
    page,
    [
      "# Title",
      "## Section",
      "> A quoted line",
      "- one\n- two",
      "1. first\n2. second",
      "- [ ] to do\n- [x] done",
      "| model | price |\n| --- | --- |\n| gpt-5-mini | cheap |",
      "---",
      "Read [the docs](https://example.com/docs).",
    ].join("\n\n"),
  );
  const title = reply.getByRole("heading", { level: 1, name: "Title" });
  await expect(title).toBeVisible();
  await expect(reply.getByRole("heading", { level: 2, name: "Section" })).toBeVisible();
  await expect(reply.locator("blockquote")).toHaveText("A quoted line");
  await expect(reply.locator("ul:not(.contains-task-list) > li")).toHaveText(["one", "two"]);
  await expect(reply.locator("ol > li")).toHaveText(["first", "second"]);
  const tasks = reply.getByRole("checkbox");
  await expect(tasks).toHaveCount(2);
  await expect(tasks.nth(0)).not.toBeChecked();
  await expect(tasks.nth(1)).toBeChecked();
  await expect(reply.getByRole("table").getByRole("columnheader")).toHaveText(["model", "price"]);
  await expect(reply.getByRole("table").getByRole("cell")).toHaveText(["gpt-5-mini", "cheap"]);
  await expect(reply.locator("hr")).toHaveCount(1);

  // Styled, not body text: a heading is larger and bolder, a quote has its rule.
  const size = (locator: Locator) =>
    locator.evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
  expect(await size(title)).toBeGreaterThan((await size(reply.locator("p").last())) * 1.3);
  expect(await title.evaluate((element) => Number(getComputedStyle(element).fontWeight))).toBeGreaterThanOrEqual(600);
  expect(
    await reply
      .locator("blockquote")
      .evaluate((element) => Number.parseFloat(getComputedStyle(element).borderLeftWidth)),
  ).toBeGreaterThan(0);

  const link = reply.getByRole("link", { name: "the docs" });
  await expect(link).toHaveAttribute("href", "https://example.com/docs");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
});

test("a hostile reply stays inert, streamed and stored: no script, no handler, no javascript: link, no image load", async ({
  page,
  account: _signedIn,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const evilRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("evil.example")) evilRequests.push(request.url());
  });
  const hostile = [
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img')\">",
    "Click [here](javascript:alert('link')) or [there](data:text/html,<b>x</b>) or [this](vbscript:msgbox).",
    "![tracker](http://evil.example/a.png)",
  ].join("\n\n");

  await page.goto("/");
  const chat = new ChatPage(page);
  await chat.send(`[[reply:${hostile}]]`);
  const reply = await chat.waitForReply();

  const check = async () => {
    await expect(reply).toContainText("<script>alert('script')</script>");
    await expect(reply).toContainText("<img src=x onerror=\"alert('img')\">");
    await expect(reply.locator("script")).toHaveCount(0);
    await expect(page.locator("img")).toHaveCount(0);
    for (const name of ["here", "there", "this"]) {
      await expect(reply.getByText(name, { exact: true })).toBeVisible();
      await expect(reply.getByRole("link", { name })).toHaveCount(0);
    }
    await expect(page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]')).toHaveCount(0);
    // The image is a link naming its host, not an image.
    const image = reply.getByRole("link", { name: /tracker.*evil\.example/ });
    await expect(image).toHaveAttribute("href", "http://evil.example/a.png");
    await expect(image).toHaveAttribute("rel", "noopener noreferrer");
    // The user's own message is plain text too.
    await expect(chat.userMessages().last()).toContainText("<img src=x onerror=");
  };
  await check();
  await page.reload();
  await chat.waitForReply();
  await check();
  expect(dialogs).toEqual([]);
  expect(evilRequests).toEqual([]);
});

/**
 * Clicks a copy button until it says "Copied" (for its 2 s): a page opened with messages shows the server's HTML
 * until the message component has loaded, and a click on that button before then does nothing, as for a user, who
 * clicks again. On a loaded machine the component can arrive after the first click.
 */
async function copyWith(button: Locator) {
  await expect(async () => {
    await button.click();
    await expect(button).toContainText("Copied", { timeout: 1_500 });
  }).toPass({ timeout: 30_000 });
}

test("a message's copy button copies its Markdown source, and the user's text as typed", async ({
  page,
  account: _signedIn,
}) => {
  const source = "Some **bold**, some `code`:\n\n- an item\n- [a link](https://example.com)";
  const reply = await openReply(page, source);
  await expect(reply.locator("strong")).toHaveText("bold");
  await copyWith(reply.getByRole("button", { name: "Copy message" }));
  expect(await clipboard(page)).toBe(source);

  const chat = new ChatPage(page);
  await copyWith(page.getByRole("button", { name: "Copy message" }).first());
  expect(await clipboard(page)).toBe(`[[reply:${source}]]`);
  await expect(chat.userMessages()).toHaveText([`[[reply:${source}]]`]);
});

test("a reply streamed in pieces never shows raw Markdown, and renders no earlier message again", async ({
  page,
  account: _signedIn,
}) => {
  const earlier = await openReply(page, "Earlier:\n\n```ts\nconst a = 1;\n```\n\nwith $x^2$ in it.");
  await expect(earlier.locator("pre")).toHaveAttribute("data-highlighted", "true", { timeout: LAZY_LOAD_MS });
  await expect(earlier.locator(".katex")).toHaveCount(1, { timeout: LAZY_LOAD_MS });
  // React gives an element a new props object each time the component that renders it runs again: the earlier
  // messages' text and rendered Markdown must keep theirs while a reply streams (as in chat-screen.spec.ts). The
  // controls under the earlier reply may change once (it is no longer the last, so it loses Regenerate).
  await page.evaluate(() => {
    const elements = [...document.querySelectorAll('[data-role="user"], [data-role="user"] *, .prose-chat *')];
    const props = elements.map((element) => {
      const key = Object.keys(element).find((name) => name.startsWith("__reactProps$"));
      return key ? (element as unknown as Record<string, unknown>)[key] : undefined;
    });
    (window as unknown as { earlier: { elements: Element[]; props: unknown[] } }).earlier = { elements, props };
  });
  // Every text the streaming reply shows, as the DOM changes, and whether its code block showed while it streamed.
  await page.evaluate(() => {
    const seen = { states: [] as string[], codeWhileStreaming: false };
    (window as unknown as { seen: typeof seen }).seen = seen;
    new MutationObserver(() => {
      const replies = document.querySelectorAll('article[data-role="assistant"]');
      if (replies.length < 2) return;
      const reply = replies[replies.length - 1];
      const body = reply?.querySelector(".prose-chat");
      const text = body?.textContent ?? "";
      if (text && seen.states.at(-1) !== text) seen.states.push(text);
      if (reply?.getAttribute("aria-busy") === "true" && body?.querySelector("pre")) seen.codeWhileStreaming = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  const chat = new ChatPage(page);
  const reply = "Intro with **bold words** here.\n\n```python\nprint('hi')\nprint('there')\n```\n\nAfter the code.";
  // Half a second between words: even a browser starved of CPU renders some of them apart.
  await chat.send(`[[slow:500]][[reply:${reply}]]`);
  const message = await chat.waitForReply(1);
  await expect(message.locator("strong")).toHaveText("bold words");
  await expect(message.locator("pre")).toHaveText("print('hi')\nprint('there')");

  const seen = await page.evaluate(
    () => (window as unknown as { seen: { states: string[]; codeWhileStreaming: boolean } }).seen,
  );
  expect(seen.states.length, `states seen while streaming: ${JSON.stringify(seen.states)}`).toBeGreaterThan(2);
  expect(seen.codeWhileStreaming, "the code block showed while the reply streamed").toBe(true);
  for (const state of seen.states) {
    expect(state).not.toContain("```");
    expect(state).not.toContain("**");
  }
  const renderedAgain = await page.evaluate(() => {
    const { elements, props } = (window as unknown as { earlier: { elements: Element[]; props: unknown[] } }).earlier;
    return elements.filter((element, index) => {
      const key = Object.keys(element).find((name) => name.startsWith("__reactProps$"));
      return (
        !element.isConnected ||
        (key !== undefined && (element as unknown as Record<string, unknown>)[key] !== props[index])
      );
    }).length;
  });
  expect(renderedAgain, "elements of the earlier messages rendered again").toBe(0);
});
