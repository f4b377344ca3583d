import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // Server modules guard themselves with `import "server-only"`, which throws outside React's server build.
      "server-only": path.resolve(__dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    // next-auth imports `next/server` and `next/headers` the way Next's bundler resolves them, not Node's: Vite
    // resolves them when it processes next-auth itself (lib/session-token.test.ts runs Auth.js's own session reading).
    server: { deps: { inline: ["next-auth"] } },
    // Database and worker tests on a loaded 2-core machine: generous, since each waits on real I/O, not a clock.
    testTimeout: 30_000,
    // Hooks load tokenizers and migrate fresh databases: on a loaded machine that outlasts Vitest's 10 s default.
    hookTimeout: 60_000,
    // Playwright's specs are *.spec.ts and run through `playwright test`.
    exclude: ["**/node_modules/**", ".next/**", ".prisma-build/**"],
  },
});
