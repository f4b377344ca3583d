import fs from "node:fs";
import { defineConfig, devices, type ReporterDescription } from "@playwright/test";

// Browsers can't be downloaded here: use Debian's chromium, else whatever Playwright has installed.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses.
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// scripts/test.ts runs the suite once per database; the name keeps their artifacts and app logs apart.
const runName = process.env.E2E_RUN_NAME ?? "e2e";
const jsonReport = process.env.PLAYWRIGHT_JSON_OUTPUT_FILE;
const reporter: ReporterDescription[] = [["list"]];
if (jsonReport) reporter.push(["json", { outputFile: jsonReport }]);
if (!process.env.CI) reporter.push(["html", { open: "never", outputFolder: "playwright-report" }]);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: `test-results/${runName}`,
  // Starts the fake OpenAI upstream, the fake Telegram Bot API and `next start` on free ports; its returned function
  // tears them down.
  globalSetup: "./e2e/global-setup.ts",
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // A 2-core machine busy with other work renders, streams and answers slowly (the suite is run with the CPU loaded
  // on purpose: see README). Budgets follow what is waited for: a test is a dozen page loads and replies at most;
  // one expectation is one page load or one reply.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter,
  use: {
    // Set by global setup, which runs before the workers load this file.
    baseURL: process.env.E2E_BASE_URL,
    screenshot: "only-on-failure",
    // The interface follows the browser's Accept-Language: English unless a spec asks for another (e2e/i18n.spec.ts).
    locale: "en-US",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: "stress/**",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: fs.existsSync(chromiumPath) ? chromiumPath : undefined,
          // A fake microphone (a tone) that needs no permission prompt: e2e/voice.spec.ts records with it.
          args: [...chromiumArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        },
      },
    },
    {
      // API-only load on the same server, after the browser specs so it does not slow them down.
      // `npm run test:stress` runs it alone (--no-deps).
      name: "stress",
      testMatch: "stress/**/*.spec.ts",
      dependencies: ["chromium"],
    },
  ],
});
