import { defineConfig } from "@playwright/test";
import base from "../playwright.config";

// `npm run screenshots`: the README's screenshots (docs/screenshots/*.png), taken from the production build against the
// fake upstream like the specs (so the meter's figures are the fake's reported usage, priced as usual). Not a test and
// not part of `npm test`: run it after a UI change and commit the pictures.
export default defineConfig({
  ...base,
  testDir: "screenshots",
  testMatch: "**/*.shots.ts",
  outputDir: "../test-results/screenshots",
  globalSetup: "./global-setup.ts",
  workers: 1,
  reporter: [["list"]],
  projects: [{ ...base.projects?.[0], name: "screenshots", testIgnore: undefined }],
});
