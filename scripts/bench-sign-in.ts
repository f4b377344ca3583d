// `npm run bench:sign-in`: what a burst of anonymous sign-ins does to everyone else, on the production build in .next
// (`npm run build` first) with a fresh SQLite database. A benchmark, not a test: it prints figures.
//
//   health alone   p50 and max of GET /api/health, 40 in a row, nothing else running
//   health during  the same while 20 sign-ins with unknown emails run at once (each a full bcrypt comparison), sampled
//                  until they have all answered
//   sign-ins       how long the burst took, and its answers by status
import { performance } from "node:perf_hooks";
import { formatMs, percentile, runBench, withBenchApp } from "./bench-app";

const BURST = 20;

async function timeHealth(baseUrl: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${baseUrl}/api/health`);
  await response.arrayBuffer();
  return performance.now() - start;
}

async function signIn(baseUrl: string, index: number): Promise<number> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const cookie = (csrf.headers.getSetCookie?.() ?? []).map((value) => value.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({
      email: `nobody-${index}-${Date.now()}@example.test`,
      password: "a wrong password 1",
      csrfToken,
      callbackUrl: "/",
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

const summary = (times: number[]) =>
  `p50 ${formatMs(percentile(times, 50))}, max ${formatMs(Math.max(...times))} (${times.length} requests)`;

runBench(async () => {
  await withBenchApp({ kind: "sqlite", name: "bench-sign-in" }, async ({ app }) => {
    // Warm-up: the routes load, and one sign-in starts the hashing.
    for (let i = 0; i < 5; i++) await timeHealth(app.url);
    await signIn(app.url, -1);
    const alone: number[] = [];
    for (let i = 0; i < 40; i++) alone.push(await timeHealth(app.url));

    const burstStart = performance.now();
    let isDone = false;
    const burst = Promise.all(Array.from({ length: BURST }, (_, index) => signIn(app.url, index))).finally(() => {
      isDone = true;
    });
    const during: number[] = [];
    while (!isDone) during.push(await timeHealth(app.url));
    const statuses = await burst;
    const burstMs = performance.now() - burstStart;
    const counts = new Map<number, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);

    console.log(`health alone:  ${summary(alone)}`);
    console.log(`health during: ${summary(during)}`);
    console.log(
      `${BURST} sign-ins at once: ${formatMs(burstMs)}; answers ${[...counts].map(([s, n]) => `${n}× ${s}`).join(", ")}`,
    );
  });
});
