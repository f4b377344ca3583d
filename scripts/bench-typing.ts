// `npm run bench:typing`: what one keystroke in the composer costs the browser's main thread beside a long
// conversation (300 messages of a few thousand characters of Markdown), in Chromium against the production build
// (`npm run build` first), a fresh SQLite database and the fake upstream. A benchmark, not a test: it prints figures.
//
//   main thread  renderer task time per keystroke (Chrome's TaskDuration metric: script, style, layout, paint)
//   wall         time from the first key to the last one handled, per keystroke
//   long tasks   tasks over 50 ms while typing (PerformanceObserver "longtask"), and the longest
//
//   npm run bench:typing -- --messages 300 --keys 20 [--json FILE: the figures, for scripts/bench.ts]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { startApp } from "../e2e/app-server";
import { startFakeOpenAI } from "../e2e/fake-openai/server";
import { writeJson } from "./bench-app";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "300" },
    keys: { type: "string", default: "20" },
    json: { type: "string" },
  },
});
const MESSAGES = Number(values.messages);
const KEYS = Number(values.keys);

/** About 2,500 characters of Markdown: headings, emphasis, lists, a table and code, as replies have them. */
function longReply(turn: number): string {
  const paragraph =
    "The ledger keeps one entry per upstream call, with the tokens, the cost in micro-USD and a copy of the price, " +
    "so that history never changes when prices do. ";
  return [
    `## Part ${turn}`,
    `${paragraph.repeat(3)}**Reservations** hold the _worst case_ until the reply settles; \`settleReservation\` ends them.`,
    "- the prompt, counted with the model's tokenizer\n- up to 4,096 output tokens\n  - at the output price",
    "| model | input | output |\n| --- | --- | --- |\n| gpt-5-mini | $0.25 | $2.00 |\n| gpt-4o | $2.50 | $10.00 |",
    "```ts\nconst total = entries.reduce((sum, entry) => sum + entry.costMicros, 0n);\n```",
    paragraph.repeat(6),
  ].join("\n\n");
}

async function main() {
  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatledger-bench-typing-"));
  const fake = await startFakeOpenAI({ port: 0 });
  const app = await startApp({
    name: "bench-typing",
    databaseUrl: `file:${path.join(dir, "app.db")}`,
    upstreamUrl: fake.url,
  });
  const browser = await chromium.launch({
    executablePath: fs.existsSync(chromiumPath) ? chromiumPath : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const page = await browser.newPage({ baseURL: app.url, viewport: { width: 1280, height: 720 } });
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill("bench@example.test");
    await page.getByLabel("Password").fill("bench typing 42");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("textbox", { name: "Message" }).waitFor();

    const conversationId = crypto.randomUUID();
    for (let turn = 0; turn < MESSAGES / 2; turn++) {
      // The user's message carries the reply's text too: both are long.
      const response = await page.request.post("/api/chat", {
        data: { conversationId, model: "gpt-5-mini", text: `[[reply:${longReply(turn)}]]` },
        timeout: 120_000,
      });
      if (!response.ok()) throw new Error(`seeding turn ${turn}: ${response.status()} ${await response.text()}`);
      await response.text();
    }

    await page.goto(`/c/${conversationId}`, { timeout: 120_000 });
    const composer = page.getByRole("textbox", { name: "Message" });
    // The chat opens with its latest page: the rest is loaded, so the keystrokes are measured beside every message.
    const older = page.getByRole("button", { name: "Load older messages" });
    while ((await older.count()) > 0) {
      await older.click();
      await page
        .getByRole("button", { name: "Loading older messages…" })
        .waitFor({ state: "detached", timeout: 120_000 });
    }
    await page
      .locator('article[data-role="assistant"]')
      .nth(MESSAGES / 2 - 1)
      .waitFor({ timeout: 120_000 });
    const chars = await page.evaluate(() =>
      [...document.querySelectorAll("[data-role]")].reduce(
        (sum, element) => sum + (element.textContent?.length ?? 0),
        0,
      ),
    );
    await composer.focus();
    // Let the page settle (hydration, the first estimate) before measuring.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 2_000)));

    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: "longtask" });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const taskSeconds = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((metric) => metric.name === "TaskDuration")?.value ?? Number.NaN;
    };

    const text = "how much did that cost?".repeat(5).slice(0, KEYS);
    const before = await taskSeconds();
    const started = performance.now();
    await page.keyboard.type(text);
    await page.waitForFunction(
      (expected) => (document.querySelector("textarea") as HTMLTextAreaElement | null)?.value === expected,
      text,
      { timeout: 600_000 },
    );
    const wallMs = performance.now() - started;
    const mainMs = ((await taskSeconds()) - before) * 1000;
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);

    console.log(
      `${MESSAGES} messages (${chars.toLocaleString("en-US")} characters on screen), ${KEYS} keystrokes:\n` +
        `  main thread  ${(mainMs / KEYS).toFixed(1)} ms per keystroke\n` +
        `  wall         ${(wallMs / KEYS).toFixed(1)} ms per keystroke\n` +
        `  long tasks   ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`,
    );
    writeJson(values.json, { bench: "typing", messages: MESSAGES, keys: KEYS, mainMs, wallMs, longTasksMs: longTasks });
  } finally {
    await browser.close();
    await app.stop();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
